/**
 * Publishing synthesized files without losing anything the user had: the
 * synth keeps every file in memory, and only once the whole synth succeeded
 * are they written into the output folder one by one (temporary file, then
 * rename, so a reader never sees half a file). A file whose content is
 * already there is not touched. Nothing else in the output folder is
 * touched either: `.terraform/`, lock files and state stay, and no stack
 * folder is ever deleted.
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";

/**
 * The output folder cannot take the files: a path that should be a folder is
 * a file (or the reverse), or a folder is not writable. Raised before anything
 * is written whenever the problem can be seen beforehand.
 */
export class OutputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("; "));
    this.name = "OutputError";
  }
}

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
  // manifest.json last: until it names the new stacks, a reader (cdktf,
  // terraform wrappers) still sees the previous, complete set.
  const paths = [...files.keys()].sort((a, b) =>
    a === "manifest.json" ? 1 : b === "manifest.json" ? -1 : a < b ? -1 : a > b ? 1 : 0,
  );
  checkWritable(paths, outdir);
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const rel of paths) {
    const content = Buffer.from(files.get(rel)!, "utf8");
    const target = join(outdir, rel);
    if (readIfFile(target)?.equals(content)) {
      unchanged.push(rel);
      continue;
    }
    const temp = `${target}.strata-${process.pid}.tmp`;
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(temp, content);
      renameSync(temp, target);
    } catch (err) {
      rmSync(temp, { force: true });
      throw new OutputError([`cannot write ${rel}: ${reason(err)}`]);
    }
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

/**
 * Every problem the output folder has for these files, found before any is
 * written: each existing part of a target's path must be a folder (the
 * target itself a file), and the deepest existing folder writable.
 */
function checkWritable(paths: readonly string[], outdir: string): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  const shown = (p: string) => relative(process.cwd(), p) || p;
  const kindOf = (p: string): "file" | "dir" | undefined => {
    try {
      return statSync(p).isDirectory() ? "dir" : "file";
    } catch {
      return undefined;
    }
  };
  const report = (problem: string) => {
    if (!seen.has(problem)) problems.push(problem);
    seen.add(problem);
  };
  for (const rel of paths) {
    const target = join(outdir, rel);
    // Walk up from the target to the deepest part of its path that exists.
    let existing = target;
    while (kindOf(existing) === undefined && dirname(existing) !== existing) existing = dirname(existing);
    const kind = kindOf(existing);
    if (existing === target) {
      if (kind === "dir") report(`${shown(target)} is a folder, where strata writes a file`);
      else if (!writable(dirname(target))) report(`${shown(dirname(target))} is not writable`);
    } else if (kind === "file") {
      report(`${shown(existing)} is a file, where a folder is needed`);
    } else if (!writable(existing)) {
      report(`${shown(existing)} is not writable`);
    }
  }
  if (problems.length > 0) throw new OutputError(problems);
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "not permitted",
    EISDIR: "it is a folder",
    ENOTDIR: "a part of its path is a file",
    ENOSPC: "the disk is full",
    EROFS: "the file system is read-only",
  };
  return (code && words[code]) ?? (err instanceof Error ? err.message : String(err));
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
