/**
 * Build step, run by `npm run build` last: records the code cache of the
 * `strata` command (see compile-cache.ts) by synthesizing the bundled
 * examples once, in a child process, into a temporary folder it removes.
 *
 * The child writes its recording to a file of its own beside the cache
 * (STRATA_COMPILE_CACHE=record:FILE), and only when its synth succeeded. A
 * fresh process then checks that V8 takes it, and only then is it renamed
 * over dist/code-cache.bin: the cache in place is always whole and checked,
 * and builds running side by side each put a good one there. A recording
 * that fails leaves the previous cache, whose entries still serve every
 * module that has not changed since.
 *
 * V8 takes cached code only in a process with the same V8 flags, so the
 * recording runs with none: NODE_OPTIONS is left out, as cdktf-cli sets it
 * (--max-old-space-size) around the `npm run build` of its `app`, and a cache
 * recorded under it was refused by every plain `strata` run.
 *
 * The cache only saves time, so a build whose recording fails still
 * succeeds, and says why on stderr; the tests run the same synth and fail
 * loudly if it is broken.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CompileCacheStats, DEFAULT_CACHE_FILE, DEFAULT_ROOT } from "./compile-cache";

/** Records the cache into dist/; returns why it could not, or undefined. */
export function recordCompileCache(): string | undefined {
  let scratch: string | undefined;
  // Beside the cache, so that the rename stays on one filesystem.
  const recording = join(dirname(DEFAULT_CACHE_FILE), `code-cache.${process.pid}.recording`);
  try {
    scratch = mkdtempSync(join(tmpdir(), "strata-code-cache-"));
    const env: NodeJS.ProcessEnv = { ...process.env, STRATA_COMPILE_CACHE: `record:${recording}` };
    delete env.NODE_OPTIONS;
    const ran = spawnSync(process.execPath, [join(DEFAULT_ROOT, "bin", "strata.js"), "synth", "--out", join(scratch, "out")], {
      cwd: scratch,
      env,
      encoding: "utf8",
    });
    if (ran.error) return ran.error.message;
    if (ran.status !== 0) return `strata synth of the examples exited with ${ran.status}: ${ran.stderr.trim()}`;
    if (!existsSync(recording)) return `the recording could not be written to ${recording}`;
    const refused = checkCache(env, recording);
    if (refused !== undefined) return refused;
    renameSync(recording, DEFAULT_CACHE_FILE);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    rmSync(recording, { force: true });
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

/** What the cache did in a fresh process that loaded the CLI's modules. */
export type CacheProbe = CompileCacheStats & { readonly why?: string };

/**
 * Loads the modules of strata's CLI in a fresh process with the cache on
 * (the same ones bin/strata.js loads at start-up), and reports what the
 * cache did there. Used by the build, the tests and the benchmark.
 */
export function probeCompileCache(env: NodeJS.ProcessEnv = process.env, cacheFile = DEFAULT_CACHE_FILE): CacheProbe {
  const dist = (f: string) => JSON.stringify(join(DEFAULT_ROOT, "dist", "src", f));
  const script = `const cache = require(${dist("compile-cache.js")});
    const why = cache.useCompileCache({ mode: "use", cacheFile: ${JSON.stringify(cacheFile)} });
    require(${dist("deferred-loads.js")}).deferUnusedLoads();
    require(${dist("cli.js")}); require(${dist("synth.js")}); require(${dist("assemble.js")});
    process.stdout.write(JSON.stringify({ why, ...cache.compileCacheStats() }));`;
  const ran = spawnSync(process.execPath, ["-e", script], { env: { ...env, STRATA_COMPILE_CACHE: "on" }, encoding: "utf8" });
  if (ran.status !== 0 || ran.stderr !== "") {
    throw new Error(`the code cache probe failed (exit ${ran.status}): ${ran.stderr.trim() || ran.error?.message}`);
  }
  return JSON.parse(ran.stdout) as CacheProbe;
}

function checkCache(env: NodeJS.ProcessEnv, cacheFile: string): string | undefined {
  const probe = probeCompileCache(env, cacheFile);
  if (probe.mode === "off") return `the recorded cache is not used: ${probe.why}`;
  if (probe.rejected > 0 || probe.served === 0) return `V8 refused the recorded cache (${probe.rejected} modules)`;
  return undefined;
}

if (require.main === module) {
  const failed = recordCompileCache();
  if (failed !== undefined) {
    process.stderr.write(`strata build: WARNING: no new code cache recorded, so start-up may be slower: ${failed}\n`);
  }
}
