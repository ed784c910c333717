/**
 * Publishing synthesized files without losing anything the user had: the
 * synth keeps every file in memory, and only once the whole synth succeeded
 * are they written into the output folder one by one (temporary file, then
 * rename, so a reader never sees half a file). A file whose content is
 * already there is not touched. Nothing else in the output folder is
 * touched either: `.terraform/`, lock files and state stay, and no stack
 * folder is ever deleted.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface PublishResult {
  /** Files whose content changed (or that were new), relative to the output folder. */
  readonly written: readonly string[];
  /** Files already identical, left as they were. */
  readonly unchanged: readonly string[];
  /** Stack folders in the output folder that this synth did not produce. */
  readonly stale: readonly string[];
}

/**
 * Writes `files` (path relative to `outdir`, with forward slashes, to
 * content) into `outdir`, in path order.
 */
export function publish(files: ReadonlyMap<string, string>, outdir: string): PublishResult {
  const paths = [...files.keys()].sort();
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const rel of paths) {
    const content = Buffer.from(files.get(rel)!, "utf8");
    const target = join(outdir, rel);
    if (readIfFile(target)?.equals(content)) {
      unchanged.push(rel);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    const temp = `${target}.strata-${process.pid}.tmp`;
    writeFileSync(temp, content);
    renameSync(temp, target);
    written.push(rel);
  }

  const produced = new Set(paths.map((f) => f.split("/")[1]).filter(Boolean));
  const stacksDir = join(outdir, "stacks");
  const stale = existsSync(stacksDir)
    ? readdirSync(stacksDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && !produced.has(d.name))
        .map((d) => d.name)
        .sort()
    : [];
  return { written, unchanged, stale };
}

/** The bytes of the file at `path`; undefined when there is none. */
function readIfFile(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
