/**
 * Start-up time of the `strata` command: a V8 code cache for the JavaScript
 * it loads (bin/strata.js installs this first; the library and main.ts do
 * not).
 *
 * A strata synth of the bundled examples spends about a third of its time
 * compiling: parsing some 280 files (5.6 MB: cdktf, the provider classes,
 * yaml, commander, strata) and compiling each function the first time it
 * runs. `npm run build` runs the examples once with this file recording
 * (compile-cache-build.ts), and writes what V8 compiled into one file,
 * dist/code-cache.bin. Later runs hand each module's cached code back to V8
 * and skip that work: measured on the examples, 0.35 s became 0.27 s.
 *
 * Why not what exists:
 * - Node 22 has `module.enableCompileCache()`; Node 20, which `engines`
 *   allows and this machine runs, has nothing like it.
 * - The `v8-compile-cache` package caches each file's code before it runs,
 *   when V8 has compiled only its top level, and measured no gain here. The
 *   cache is only worth having when it is taken after the run
 *   (`script.createCachedData()` at exit), with the functions that ran.
 *
 * Safety:
 * - A module is served from the cache only when its source is exactly the
 *   one recorded (SHA-256 of its text): V8's own check compares only the
 *   length of the source, so an edited file of the same length would
 *   otherwise run its old code.
 * - The whole cache is ignored unless it was recorded by the same Node.js
 *   version, V8 version and CPU architecture. V8 also refuses cached code
 *   made under other flags; it then compiles the source as usual.
 * - A missing, truncated or foreign file means no cache, never an error.
 * - The cache lives inside the package, never in a shared temporary folder
 *   where another user could plant code, and a run never writes it: only
 *   the build does.
 * - It stays off when a debugger, source maps or STRATA_COMPILE_CACHE=off
 *   ask for Node's own loader, whose debugging hooks this one lacks.
 *
 * Modules without a cached entry go through Node's own compile untouched.
 * For the others, this does what Node 20's CommonJS `Module.prototype._compile`
 * does, with `vm.Script` so that V8 can take the cached code: the same
 * wrapper, the same arguments, and a `require` with `resolve`,
 * `resolve.paths`, `main`, `cache` and `extensions`. A module whose source
 * mentions `import(` gets no entry: `vm.Script` can hand dynamic imports to
 * Node's loader only through an option that Node 20 calls experimental and
 * warns about on stderr.
 */
import { createHash } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import Module from "node:module";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { Script } from "node:vm";

/** Bumped whenever the layout of the cache file changes. */
const FORMAT = 1;
const MAGIC = "strata-code-cache";
/** Anything that may be a dynamic import, comments included: such modules are left to Node. */
const DYNAMIC_IMPORT = /\bimport\s*\(/;

/** The package: this file is dist/src/compile-cache.js once built, src/compile-cache.ts in ts-jest. */
export const DEFAULT_ROOT = basename(dirname(__dirname)) === "dist" ? resolve(__dirname, "..", "..") : resolve(__dirname, "..");
/** Where `npm run build` puts the cache. Cache keys are module paths relative to DEFAULT_ROOT. */
export const DEFAULT_CACHE_FILE = join(DEFAULT_ROOT, "dist", "code-cache.bin");

export type CompileCacheMode = "use" | "record" | "off";

export interface CompileCacheOptions {
  /** `use` serves cached code, `record` writes the cache at exit, `off` does nothing. */
  readonly mode?: CompileCacheMode;
  readonly cacheFile?: string;
  /** Cache keys are module paths relative to this folder. */
  readonly root?: string;
}

/** What the cache did in this process, for tests and the benchmark. */
export interface CompileCacheStats {
  mode: CompileCacheMode;
  /** Why the cache is not in use, when it is not. */
  why?: string;
  /** Modules whose cached code V8 took. */
  served: number;
  /** Modules with an entry that V8 refused (other flags): compiled as usual. */
  rejected: number;
  /** Modules compiled by Node's own loader: no entry, or their source changed. */
  missed: number;
  /** Their keys. */
  missedModules: string[];
  /** Modules recorded (record mode). */
  recorded: number;
}

interface Header {
  readonly magic: string;
  readonly format: number;
  readonly runtime: string;
  /** Module key to [sha256 of its source, offset in the data, length]. */
  readonly entries: Readonly<Record<string, readonly [string, number, number]>>;
}

type Compile = (this: NodeJS.Module, content: string, filename: string) => unknown;

const stats: CompileCacheStats = { mode: "off", served: 0, rejected: 0, missed: 0, missedModules: [], recorded: 0 };
let installed = false;

export function compileCacheStats(): Readonly<CompileCacheStats> {
  return { ...stats, missedModules: [...stats.missedModules] };
}

/** The mode STRATA_COMPILE_CACHE asks for: `off`, `record`, or `use` (unset, `on` or anything else). */
export function modeFromEnvironment(env: NodeJS.ProcessEnv = process.env): CompileCacheMode {
  const asked = env.STRATA_COMPILE_CACHE;
  return asked === "off" || asked === "record" ? asked : "use";
}

/**
 * Installs the cache for the rest of the process; a second call does
 * nothing. Returns why it stays off, or undefined when it is on.
 */
export function useCompileCache(options: CompileCacheOptions = {}): string | undefined {
  if (installed) return "already installed";
  const mode = options.mode ?? modeFromEnvironment();
  const root = options.root ?? DEFAULT_ROOT;
  const cacheFile = options.cacheFile ?? DEFAULT_CACHE_FILE;
  const off = (why: string): string => {
    stats.mode = "off";
    stats.why = why;
    return why;
  };

  if (mode === "off") return off("STRATA_COMPILE_CACHE=off");
  const debugging = process.execArgv.some((a) => a.startsWith("--inspect") || a.startsWith("--debug"));
  if (debugging) return off("a debugger is attached");
  if ((process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled) return off("source maps are on");

  const loader = Module.prototype as unknown as { _compile: Compile };
  const nodeCompile = loader._compile;
  installed = true;
  stats.mode = mode;

  if (mode === "record") {
    const recorded: Array<{ key: string; hash: string; script: Script }> = [];
    loader._compile = function recordingCompile(content, filename) {
      if (DYNAMIC_IMPORT.test(content)) return nodeCompile.call(this, content, filename);
      const script = wrap(content, filename);
      recorded.push({ key: keyOf(root, filename), hash: hashOf(content), script });
      stats.recorded++;
      return run(this, script, filename);
    };
    process.once("exit", () => writeCache(cacheFile, recorded));
    return undefined;
  }

  const cache = readCache(cacheFile);
  if (typeof cache === "string") {
    installed = false;
    return off(cache);
  }
  loader._compile = function cachedCompile(content, filename) {
    const key = keyOf(root, filename);
    const entry = Object.hasOwn(cache.header.entries, key) ? cache.header.entries[key] : undefined;
    if (entry === undefined || entry[0] !== hashOf(content)) {
      stats.missed++;
      stats.missedModules.push(key);
      return nodeCompile.call(this, content, filename);
    }
    const script = wrap(content, filename, cache.data.subarray(entry[1], entry[1] + entry[2]));
    if (script.cachedDataRejected) stats.rejected++;
    else stats.served++;
    return run(this, script, filename);
  };
  return undefined;
}

/** What a cache must have been recorded by to be used here. */
function runtimeId(): string {
  return `node ${process.version} v8 ${process.versions.v8} ${process.platform}-${process.arch}`;
}

function keyOf(root: string, filename: string): string {
  return relative(root, filename).split(sep).join("/");
}

function hashOf(content: string): string {
  return createHash("sha256").update(content).digest("base64");
}

function wrap(content: string, filename: string, cachedData?: Buffer): Script {
  // Node lets a CommonJS file start with "#!"; inside the wrapper it would be
  // a syntax error, so it becomes a comment of the same length.
  const source = content.startsWith("#!") ? `//${content.slice(2)}` : content;
  return new Script(Module.wrap(source), { filename, cachedData });
}

function run(mod: NodeJS.Module, script: Script, filename: string): unknown {
  const compiled = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
  return compiled.call(mod.exports, mod.exports, requireFor(mod), mod, filename, dirname(filename));
}

interface Loader {
  _resolveFilename(request: string, parent: NodeJS.Module, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: NodeJS.Module): string[] | null;
  _extensions: NodeJS.RequireExtensions;
  _cache: NodeJS.Dict<NodeJS.Module>;
}

/** The `require` Node gives a CommonJS module. */
function requireFor(mod: NodeJS.Module): NodeJS.Require {
  const loader = Module as unknown as Loader;
  const req = function require(id: string): unknown {
    return mod.require(id);
  } as NodeJS.Require;
  const resolveFilename = function resolve(request: string, options?: { paths?: string[] }): string {
    return loader._resolveFilename(request, mod, false, options);
  } as NodeJS.RequireResolve;
  resolveFilename.paths = (request: string) => loader._resolveLookupPaths(request, mod);
  req.resolve = resolveFilename;
  req.main = require.main;
  req.extensions = loader._extensions;
  req.cache = loader._cache;
  return req;
}

/*
 * The file: MAGIC, a newline, the header's length in bytes as 10 decimal
 * digits, a newline, the header as JSON, then the cached code of every
 * module, one after the other.
 */

function readCache(cacheFile: string): { header: Header; data: Buffer } | string {
  let file: Buffer;
  try {
    file = readFileSync(cacheFile);
  } catch {
    return `no cache at ${cacheFile}`;
  }
  const start = MAGIC.length + 1;
  const dataStart = start + 11;
  if (file.toString("latin1", 0, start) !== `${MAGIC}\n` || file.length < dataStart) return "not a strata code cache";
  const headerLength = Number(file.toString("latin1", start, start + 10));
  if (!Number.isSafeInteger(headerLength) || dataStart + headerLength > file.length) return "a truncated code cache";
  let header: Header;
  try {
    header = JSON.parse(file.toString("utf8", dataStart, dataStart + headerLength)) as Header;
  } catch {
    return "a damaged code cache";
  }
  if (header.format !== FORMAT || header.magic !== MAGIC) return "a code cache of another strata";
  if (header.runtime !== runtimeId()) return `a code cache of ${String(header.runtime)}, not ${runtimeId()}`;
  const data = file.subarray(dataStart + headerLength);
  for (const entry of Object.values(header.entries ?? {})) {
    if (!Array.isArray(entry) || !(entry[1] >= 0 && entry[2] >= 0 && entry[1] + entry[2] <= data.length)) {
      return "a damaged code cache";
    }
  }
  return { header, data };
}

/** Writes the cache whole or not at all: into a temporary file, renamed over the old one. */
function writeCache(cacheFile: string, recorded: ReadonlyArray<{ key: string; hash: string; script: Script }>): void {
  const entries: Record<string, [string, number, number]> = {};
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const { key, hash, script } of recorded) {
    // Taken now, after the run, so that it holds every function that ran.
    const code = script.createCachedData();
    entries[key] = [hash, offset, code.length];
    chunks.push(code);
    offset += code.length;
  }
  const header = Buffer.from(JSON.stringify({ magic: MAGIC, format: FORMAT, runtime: runtimeId(), entries }));
  const lead = Buffer.from(`${MAGIC}\n${String(header.length).padStart(10, "0")}\n`, "latin1");
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, "w");
    try {
      for (const chunk of [lead, header, ...chunks]) writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, cacheFile);
  } catch {
    // A cache that cannot be written only costs speed; the build reports it.
    rmSync(temporary, { force: true });
  }
}
