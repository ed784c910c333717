/**
 * Publishing synthesized files without losing anything the user had: cdktf
 * writes into a scratch folder, and only once the whole synth succeeded are
 * the files copied into the output folder one by one (temporary file, then
 * rename, so a reader never sees half a file). Nothing else in the output
 * folder is touched: `.terraform/`, lock files and state stay, and no stack
 * folder is ever deleted.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";

export interface PublishResult {
  /** Files whose content changed (or that were new), relative to the output folder. */
  readonly written: readonly string[];
  /** Files already identical, left as they were. */
  readonly unchanged: readonly string[];
  /** Stack folders in the output folder that this synth did not produce. */
  readonly stale: readonly string[];
}

export function publish(scratch: string, outdir: string): PublishResult {
  const files = listFiles(scratch);
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const rel of files) {
    const content = readFileSync(join(scratch, rel));
    const target = join(outdir, rel);
    if (existsSync(target) && readFileSync(target).equals(content)) {
      unchanged.push(rel);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    const temp = `${target}.strata-${process.pid}.tmp`;
    writeFileSync(temp, content);
    renameSync(temp, target);
    written.push(rel);
  }

  const produced = new Set(files.map((f) => f.split("/")[1]).filter(Boolean));
  const stacksDir = join(outdir, "stacks");
  const stale = existsSync(stacksDir)
    ? readdirSync(stacksDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && !produced.has(d.name))
        .map((d) => d.name)
        .sort()
    : [];
  return { written, unchanged, stale };
}

export function removeScratch(scratch: string): void {
  rmSync(scratch, { recursive: true, force: true });
}

/** Every file below `root`, as sorted forward-slash relative paths. */
function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(root, full).split("\\").join("/"));
    }
  };
  walk(root);
  return out.sort();
}
