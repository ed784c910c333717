/**
 * Start-up time of the `strata` command (bin/strata.js installs this before
 * anything else loads; the library and main.ts do not). Loading cdktf's
 * index also loads two packages that a strata synth never calls:
 *
 * - `archiver`, with readable-stream, lodash, glob and compress-commons,
 *   from cdktf/lib/private/fs.js. cdktf zips file assets with it, and even
 *   then in a child process that runs fs.js as a script, never in the
 *   process that synthesizes.
 * - `semver`, from cdktf/lib/validations/validate-binary-version.js, where
 *   only `ValidateBinaryVersion.validate()` calls it; strata adds no such
 *   validation (the memory synthesizer refuses the resource moves that
 *   would).
 * - `json-stable-stringify` (with call-bind, get-intrinsic and 30 more
 *   small files), from cdktf/lib/manifest.js,
 *   cdktf/lib/synthesize/synthesizer.js and cdktf/lib/testing/index.js.
 *   The first two write manifest.json and each stack's file; strata
 *   serializes both itself (synth.ts and memory-synthesizer.ts), to the
 *   same bytes. The third serves cdktf's test helpers.
 *
 * Together they are 290 of the 533 files a synth of the examples would
 * load. Deferring archiver and semver took 70 to 140 ms off the examples'
 * 0.55 s; json-stable-stringify about 10 ms more. Each of these requires
 * gets a stand-in that loads the real package the first time anything is
 * called or read on it, so nothing changes if cdktf does use one.
 *
 * This relies on cdktf's internals as of 0.21.0 (which package.json pins):
 * the file paths, and that each uses its package only as a function or
 * through properties. If a file moves, its require simply is no longer
 * deferred. Node 20 has no public hook for this, so it wraps the CommonJS
 * loader's `Module._load`, as bench/require-times.js does.
 */
import Module from "node:module";
import { sep } from "node:path";

/** Package name to the files (below node_modules) whose requires of it are deferred. */
export const DEFERRED_REQUIRES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  archiver: [["cdktf", "lib", "private", "fs.js"].join(sep)],
  semver: [["cdktf", "lib", "validations", "validate-binary-version.js"].join(sep)],
  "json-stable-stringify": [
    ["cdktf", "lib", "manifest.js"].join(sep),
    ["cdktf", "lib", "synthesize", "synthesizer.js"].join(sep),
    ["cdktf", "lib", "testing", "index.js"].join(sep),
  ],
});

type Load = (request: string, parent: NodeJS.Module | undefined, isMain: boolean) => unknown;

let installed = false;

/** Defers the requires in DEFERRED_REQUIRES for the rest of the process; calling it again does nothing. */
export function deferUnusedLoads(): void {
  if (installed) return;
  installed = true;
  const loader = Module as unknown as { _load: Load };
  const load = loader._load;
  loader._load = function deferringLoad(this: unknown, request, parent, isMain) {
    const from = Object.hasOwn(DEFERRED_REQUIRES, request) ? DEFERRED_REQUIRES[request] : undefined;
    const filename = parent?.filename;
    if (from !== undefined && filename && from.some((f) => filename.endsWith(`${sep}node_modules${sep}${f}`))) {
      return deferred(() => load.call(this, request, parent, isMain));
    }
    return load.call(this, request, parent, isMain);
  };
}

/**
 * A stand-in for a module's exports that loads them on first use: calling
 * it calls the real export, reading a property reads the real one.
 */
export function deferred(loadReal: () => unknown): unknown {
  let real: unknown;
  const target = (): object => (real ??= loadReal()) as object;
  return new Proxy(function deferredExports() {}, {
    apply: (_, self, args) => Reflect.apply(target() as (...a: unknown[]) => unknown, self, args),
    construct: (_, args) => Reflect.construct(target() as new (...a: unknown[]) => object, args),
    get: (_, key) => Reflect.get(target(), key),
    has: (_, key) => Reflect.has(target(), key),
  });
}
