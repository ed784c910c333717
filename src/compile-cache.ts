/**
 * Start-up time of the `strata` command: a V8 code cache for the JavaScript
 * it loads (bin/strata.js installs this first; the library and main.ts do
 * not).
 *
 * A strata synth of the bundled examples spent about a third of its time
 * compiling: parsing some 240 files (5.6 MB: cdktf, the provider classes,
 * yaml, commander, strata) and compiling each function the first time it
 * runs. `npm run build` runs the examples once with this file recording
 * (compile-cache-build.ts), and writes what V8 compiled into one file,
 * dist/code-cache.bin. Later runs hand each module's cached code back to V8
 * and skip that work: measured on the examples, 0.34 s became 0.27 s.
 *
 * Why not what exists:
 * - Node 22 has `module.enableCompileCache()`; Node 20, which `engines`
 *   allows and this machine runs, has nothing like it.
 * - The `v8-compile-cache` package caches each file's code before it runs,
 *   when V8 has compiled only its top level, and measured no gain here. The
 *   cache is only worth having when it is taken after the run
 *   (`script.createCachedData()` at exit), with the functions that ran.
 *
 * Safety: the cache can make strata faster, never different.
 * - A module is served from the cache only when its source is exactly the
 *   one recorded (SHA-256 of its text): V8's own check compares only the
 *   length of the source, so an edited file of the same length would
 *   otherwise run its old code.
 * - The cached code of each module carries a CRC-32, checked before V8 sees
 *   it: V8 does not check its own checksum unless asked by a flag, and one
 *   damaged byte ran wrong code or crashed Node.
 * - The whole cache is ignored unless it was recorded by the same Node.js
 *   version, V8 version and CPU architecture. V8 also refuses cached code
 *   made under other V8 flags; after the first refusal the rest of the run
 *   compiles as usual, without reading or hashing for the cache.
 * - A missing, unreadable, truncated, damaged or foreign file means no
 *   cache, never an error; so does anything unexpected in reading it.
 * - The cache lives inside the package, never in a shared temporary folder
 *   where another user could plant code. A run never writes it: recording
 *   writes only the file STRATA_COMPILE_CACHE=record:FILE names, and only
 *   the build moves a recording into place.
 * - It stays off under a debugger flag, a policy, a preloaded module
 *   (--require and the like: nyc, @babel/register), V8 coverage or source
 *   maps, whose hooks live in Node's own loader; and with
 *   STRATA_COMPILE_CACHE=off.
 *
 * Modules without a usable entry go through Node's own compile untouched,
 * and so do ES modules loaded by require() (Node 20.19 and later pass them
 * through the same method with a format). For the others, this does what
 * Node 20's CommonJS `Module.prototype._compile` does, with `vm.Script` so
 * that V8 can take the cached code: the same wrapper (with line 1's columns
 * shifted back), the same arguments, and a `require` with `resolve`,
 * `resolve.paths`, `main`, `cache` and `extensions`. A module whose source
 * may hold a dynamic `import()` gets no entry: `vm.Script` can hand one to
 * Node's loader only through an option that Node 20 calls experimental and
 * warns about on stderr.
 */
import { createHash } from "node:crypto";
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import Module from "node:module";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { Script } from "node:vm";
import * as zlib from "node:zlib";

/** Bumped whenever the layout of the cache file changes. */
const FORMAT = 2;
const MAGIC = "strata-code-cache";
/**
 * Source that may reach a dynamic `import()`: the word `import`, then perhaps
 * white space, then `(` or a comment (`/*`, `//`, and the `<!--` and `-->`
 * that scripts also take as comments); or a call of `eval` (`eval(`,
 * `(0, eval)(`) or of the Function constructor, which can build one from
 * strings. Matches in comments and strings too; such modules are left to
 * Node. It is a textual check: code that calls eval under another name
 * (`const run = eval; run(text)`) is not caught, and an import() in that
 * text would fail. No module strata loads does that.
 */
const MAY_IMPORT = /\bimport\s*(?:\(|\/\/|\/\*|<!--|-->)|\beval\s*[()]|\bFunction\s*\(/;

/** Whether a module's source may reach a dynamic import(), so that it is left to Node. */
export function mayImport(source: string): boolean {
  return MAY_IMPORT.test(source);
}
/** Module.wrap's text before the source; V8 would count it in line 1's columns. */
const WRAPPER_HEAD = Module.wrap("\0").indexOf("\0");

/** The package: this file is dist/src/compile-cache.js once built, src/compile-cache.ts in ts-jest. */
export const DEFAULT_ROOT = basename(dirname(__dirname)) === "dist" ? resolve(__dirname, "..", "..") : resolve(__dirname, "..");
/** Where `npm run build` puts the cache. Cache keys are module paths relative to DEFAULT_ROOT. */
export const DEFAULT_CACHE_FILE = join(DEFAULT_ROOT, "dist", "code-cache.bin");

export type CompileCacheMode = "use" | "record" | "off";

export interface CompileCacheOptions {
  /** `use` serves cached code, `record` writes a recording at exit, `off` does nothing. */
  readonly mode?: CompileCacheMode;
  /** The cache to read (use), or the file to write (record; required there). */
  readonly cacheFile?: string;
  /** Cache keys are module paths relative to this folder. */
  readonly root?: string;
}

/** What the cache did in this process, for tests and the benchmark. */
export interface CompileCacheStats {
  mode: CompileCacheMode;
  /** Why the cache is not in use, when it is not (or stopped being used). */
  why?: string;
  /** Modules whose cached code V8 took. */
  served: number;
  /** Modules whose entry V8 refused (other flags): compiled as usual. */
  rejected: number;
  /** Modules compiled by Node's own loader: no entry, a changed source, or the cache given up. */
  missed: number;
  /** Their keys. */
  missedModules: string[];
  /** Modules recorded (record mode). */
  recorded: number;
}

type Entry = readonly [sourceHash: string, offset: number, length: number, crc32: number];

interface Header {
  readonly magic: string;
  readonly format: number;
  readonly runtime: string;
  readonly entries: Readonly<Record<string, Entry>>;
}

type Compile = (this: NodeJS.Module, content: string, filename: string, ...rest: unknown[]) => unknown;

// `missed` is not kept: it is the length of `missedModules`.
const stats: Omit<CompileCacheStats, "missed"> = { mode: "off", served: 0, rejected: 0, missedModules: [], recorded: 0 };
let installed = false;

export function compileCacheStats(): Readonly<CompileCacheStats> {
  return { ...stats, missed: stats.missedModules.length, missedModules: [...stats.missedModules] };
}

/** What STRATA_COMPILE_CACHE asks for: `off`, `record:FILE`, or `use` (unset, `on` or anything else). */
export function modeFromEnvironment(env: NodeJS.ProcessEnv = process.env): { mode: CompileCacheMode; file?: string } {
  const asked = env.STRATA_COMPILE_CACHE ?? "";
  if (asked === "off") return { mode: "off" };
  if (asked.startsWith("record:") && asked.length > "record:".length) return { mode: "record", file: asked.slice("record:".length) };
  return { mode: "use" };
}

/**
 * Why Node's own loader must compile everything in this process, if it
 * must. The flags are matched loosely (Node accepts `_` for `-` in names,
 * and NODE_OPTIONS may quote them): a false alarm costs only speed.
 */
function nodeLoaderNeeded(): string | undefined {
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].join(" ").toLowerCase().replace(/_/g, "-");
  if (/inspect|debug/.test(flags)) return "a debugger may attach";
  if (/policy/.test(flags)) return "a policy may be in force";
  // Require hooks (nyc, @babel/register, pirates) see only what Node compiles.
  if (/(^|\s|["'])(-r|--require|--import|--loader|--experimental-loader)(=|\s|$)/.test(flags)) return "a preloaded module may hook the loader";
  if (process.env.NODE_V8_COVERAGE) return "V8 coverage is being collected (its offsets assume Node's loader)";
  if ((process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled) return "source maps are on";
  if (typeof (zlib as { crc32?: unknown }).crc32 !== "function") return "this Node.js has no zlib.crc32 (20.15 or later has)";
  return undefined;
}

/**
 * Installs the cache for the rest of the process; a second call does
 * nothing. Returns why it stays off, or undefined when it is on.
 */
export function useCompileCache(options: CompileCacheOptions = {}): string | undefined {
  if (installed) return "already installed";
  const asked = modeFromEnvironment();
  const mode = options.mode ?? asked.mode;
  const root = options.root ?? DEFAULT_ROOT;
  const off = (why: string): string => {
    stats.mode = "off";
    stats.why = why;
    return why;
  };

  if (mode === "off") return off("STRATA_COMPILE_CACHE=off");
  const needed = nodeLoaderNeeded();
  if (needed !== undefined) return off(needed);
  const loader = Module.prototype as unknown as { _compile: Compile };
  const nodeCompile = loader._compile;

  if (mode === "record") {
    const target = options.cacheFile ?? asked.file;
    if (target === undefined) return off("recording needs a file: STRATA_COMPILE_CACHE=record:FILE");
    const recorded: Recorded[] = [];
    loader._compile = function recordingCompile(content, filename, ...rest) {
      if (!isCommonJs(rest) || MAY_IMPORT.test(content)) return nodeCompile.call(this, content, filename, ...rest);
      let script: Script;
      try {
        script = wrap(content, filename);
      } catch {
        // Not a CommonJS script (Node 20.19+ may load such a file as an ES
        // module after trying), or a syntax error: Node's compile says which.
        return nodeCompile.call(this, content, filename, ...rest);
      }
      recorded.push({ key: keyOf(root, filename), hash: hashOf(content), script });
      stats.recorded++;
      return run(this, script, filename);
    };
    // Only a run that succeeded leaves a recording.
    process.once("exit", (code) => {
      if (code === 0) writeCache(resolve(target), recorded);
    });
    installed = true;
    stats.mode = mode;
    return undefined;
  }

  let cache: Cache | undefined;
  try {
    const read = readCache(options.cacheFile ?? DEFAULT_CACHE_FILE);
    if (typeof read === "string") return off(read);
    cache = read;
  } catch (err) {
    return off(`the code cache could not be read: ${(err as Error).message}`);
  }
  loader._compile = function cachedCompile(content, filename, ...rest) {
    const key = keyOf(root, filename);
    let script: Script | undefined;
    if (cache !== undefined && isCommonJs(rest)) {
      try {
        script = cachedScript(cache, key, content, filename);
      } catch {
        script = undefined; // anything unexpected here only costs the cache
      }
    }
    if (script === undefined) {
      stats.missedModules.push(key);
      return nodeCompile.call(this, content, filename, ...rest);
    }
    if (script.cachedDataRejected) {
      // V8 refuses one module only for what it would refuse them all for
      // (flags, version): stop reading and hashing for the rest of the run.
      stats.rejected++;
      stats.why = "V8 refused the cached code (other V8 flags?); the rest compiles as usual";
      cache = undefined;
    } else {
      stats.served++;
    }
    return run(this, script, filename);
  };
  installed = true;
  stats.mode = mode;
  return undefined;
}

/** An open cache: its header, and where in the file the cached code begins. */
interface Cache {
  readonly header: Header;
  readonly fd: number;
  readonly dataStart: number;
}

interface Recorded {
  readonly key: string;
  readonly hash: string;
  readonly script: Script;
}

/** Node 20.19+ passes ES modules loaded by require() with a format; only CommonJS is cached. */
function isCommonJs(rest: readonly unknown[]): boolean {
  return rest[0] === undefined || rest[0] === "commonjs";
}

/** The module's script with its cached code, or undefined when it has no usable entry. */
function cachedScript(cache: Cache, key: string, content: string, filename: string): Script | undefined {
  const entry = Object.hasOwn(cache.header.entries, key) ? cache.header.entries[key] : undefined;
  if (entry === undefined || entry[0] !== hashOf(content)) return undefined;
  // Read per module, not whole: a command that loads few modules reads little.
  const code = Buffer.allocUnsafe(entry[2]);
  if (readSync(cache.fd, code, 0, entry[2], cache.dataStart + entry[1]) !== entry[2]) return undefined;
  if (zlib.crc32(code) !== entry[3]) return undefined;
  return wrap(content, filename, code);
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
  return new Script(Module.wrap(source), { filename, cachedData, columnOffset: -WRAPPER_HEAD });
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
    // Node's own require.resolve throws the same error for a request that is not a string.
    if (typeof request !== "string") return require.resolve(request);
    return loader._resolveFilename(request, mod, false, options);
  } as NodeJS.RequireResolve;
  resolveFilename.paths = function paths(request: string) {
    if (typeof request !== "string") return require.resolve.paths(request);
    return loader._resolveLookupPaths(request, mod);
  };
  req.resolve = resolveFilename;
  req.main = require.main;
  req.extensions = loader._extensions;
  req.cache = loader._cache;
  return req;
}

/*
 * The file: MAGIC, a newline, the header's length in bytes as 10 decimal
 * digits, a newline, the header as JSON, then the cached code of every
 * module, one after the other. Each entry of the header is
 * [SHA-256 of the module's source, offset in the data, length, CRC-32].
 */

function readCache(cacheFile: string): Cache | string {
  let fd: number;
  let size: number;
  try {
    // A FIFO or a device would block or never end: only a regular file will do.
    const info = statSync(cacheFile);
    if (!info.isFile()) return `no cache at ${cacheFile} (not a regular file)`;
    fd = openSync(cacheFile, "r");
    size = fstatSync(fd).size;
  } catch (err) {
    return `no cache at ${cacheFile} (${(err as NodeJS.ErrnoException).code ?? "unreadable"})`;
  }
  const opened = openCache(fd, size);
  if (typeof opened === "string") closeSync(fd);
  return opened;
}

function openCache(fd: number, size: number): Cache | string {
  const start = MAGIC.length + 1;
  const headerStart = start + 11;
  const lead = Buffer.alloc(headerStart);
  if (size < headerStart || readSync(fd, lead, 0, headerStart, 0) !== headerStart) return "not a strata code cache";
  if (lead.toString("latin1", 0, start) !== `${MAGIC}\n` || lead[headerStart - 1] !== 0x0a) return "not a strata code cache";
  const digits = lead.toString("latin1", start, start + 10);
  const headerLength = /^\d{10}$/.test(digits) ? Number(digits) : NaN;
  if (!Number.isSafeInteger(headerLength) || headerStart + headerLength > size) return "a truncated code cache";
  const text = Buffer.alloc(headerLength);
  if (readSync(fd, text, 0, headerLength, headerStart) !== headerLength) return "a truncated code cache";
  let header: unknown;
  try {
    header = JSON.parse(text.toString("utf8"));
  } catch {
    return "a damaged code cache";
  }
  if (!isRecord(header) || header.magic !== MAGIC || header.format !== FORMAT) return "a code cache of another strata";
  if (header.runtime !== runtimeId()) return `a code cache of ${String(header.runtime)}, not ${runtimeId()}`;
  const dataStart = headerStart + headerLength;
  const entries = header.entries;
  if (!isRecord(entries) || !Object.values(entries).every((e) => isEntry(e, size - dataStart))) return "a damaged code cache";
  return { header: header as unknown as Header, fd, dataStart };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isEntry(value: unknown, dataLength: number): value is Entry {
  if (!Array.isArray(value) || value.length !== 4 || typeof value[0] !== "string") return false;
  const [, offset, length, crc] = value as unknown[];
  const whole = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
  return whole(offset) && whole(length) && whole(crc) && offset + length <= dataLength;
}

/** Writes the recording whole or not at all: into a temporary file, renamed over `cacheFile`. */
function writeCache(cacheFile: string, recorded: readonly Recorded[]): void {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    const entries: Record<string, Entry> = {};
    const chunks: Buffer[] = [];
    let offset = 0;
    for (const { key, hash, script } of recorded) {
      // Taken now, after the run, so that it holds every function that ran.
      const code = script.createCachedData();
      entries[key] = [hash, offset, code.length, zlib.crc32(code)];
      chunks.push(code);
      offset += code.length;
    }
    const header = Buffer.from(JSON.stringify({ magic: MAGIC, format: FORMAT, runtime: runtimeId(), entries }));
    const lead = Buffer.from(`${MAGIC}\n${String(header.length).padStart(10, "0")}\n`, "latin1");
    const fd = openSync(temporary, "w");
    try {
      for (const chunk of [lead, header, ...chunks]) writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, cacheFile);
  } catch {
    // A recording that cannot be written only costs speed; the build says so.
    rmSync(temporary, { force: true });
  }
}
