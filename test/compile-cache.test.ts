import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { mayImport, modeFromEnvironment } from "../src/compile-cache";
import { probeCompileCache } from "../src/compile-cache-build";

// These run the compiled module (npm test builds dist/ first) in fresh
// processes, since the cache hooks the loader of the process it is in.
const ROOT = resolve(__dirname, "..");
const CACHE_JS = join(ROOT, "dist", "src", "compile-cache.js");

interface Outcome {
  why: string | null;
  result: unknown;
  stats: { mode: string; why?: string; served: number; rejected: number; missed: number; recorded: number; missedModules: string[] };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "strata-code-cache-test-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cacheFile = () => join(dir, "code-cache.bin");

/** Writes a small package: main.js requires helper.js. */
function writePackage(word = "one"): void {
  writeFileSync(join(dir, "helper.js"), `module.exports = (x) => x + "!";\n`);
  writeFileSync(join(dir, "main.js"), `const helper = require("./helper.js");\nmodule.exports = () => helper("${word}");\n`);
}

/** Loads `entry` from the package in a fresh process with the cache in `mode`, and calls what it exports. */
function load(mode: "use" | "record" | "off", entry = "main.js", nodeFlags: string[] = [], env: NodeJS.ProcessEnv = {}): Outcome {
  const script = `
    const cache = require(${JSON.stringify(CACHE_JS)});
    const why = cache.useCompileCache({ mode: ${JSON.stringify(mode)}, root: ${JSON.stringify(dir)}, cacheFile: ${JSON.stringify(cacheFile())} });
    Promise.resolve(require(${JSON.stringify(join(dir, entry))})()).then((result) => {
      process.on("exit", () => process.stdout.write(JSON.stringify({ why: why ?? null, result, stats: cache.compileCacheStats() })));
    });`;
  const ran = spawnSync(process.execPath, [...nodeFlags, "-e", script], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 20_000,
  });
  expect(ran.stderr).toBe("");
  expect(ran.status).toBe(0);
  return JSON.parse(ran.stdout) as Outcome;
}

/** Rewrites the header of a recorded cache file (its layout is documented in compile-cache.ts). */
function editHeader(edit: (header: Record<string, unknown>) => void): void {
  const file = readFileSync(cacheFile());
  const start = "strata-code-cache\n".length;
  const length = Number(file.toString("latin1", start, start + 10));
  const header = JSON.parse(file.toString("utf8", start + 11, start + 11 + length)) as Record<string, unknown>;
  edit(header);
  const text = Buffer.from(JSON.stringify(header));
  const lead = Buffer.from(`strata-code-cache\n${String(text.length).padStart(10, "0")}\n`, "latin1");
  writeFileSync(cacheFile(), Buffer.concat([lead, text, file.subarray(start + 11 + length)]));
}

/** Flips one byte of a module's cached code (or of the header's length digits). */
function flipCodeByte(key: string, at: number): void {
  const file = readFileSync(cacheFile());
  const start = "strata-code-cache\n".length;
  const length = Number(file.toString("latin1", start, start + 10));
  const header = JSON.parse(file.toString("utf8", start + 11, start + 11 + length)) as { entries: Record<string, number[]> };
  const [, offset, size] = header.entries[key];
  file[start + 11 + length + offset + (at % size)] ^= 0xff;
  writeFileSync(cacheFile(), file);
}

describe("the code cache", () => {
  test("is recorded at exit, whole, and serves every recorded module to the next process", () => {
    writePackage();
    const recorded = load("record");
    expect(recorded.result).toBe("one!");
    expect(recorded.stats).toMatchObject({ mode: "record", recorded: 2 });
    expect(readdirSync(dir).sort()).toEqual(["code-cache.bin", "helper.js", "main.js"]);

    const used = load("use");
    expect(used).toEqual({ why: null, result: "one!", stats: { mode: "use", served: 2, rejected: 0, missed: 0, recorded: 0, missedModules: [] } });
  });

  test("never runs old code: a module edited to a source of the same length is compiled afresh", () => {
    writePackage("one");
    load("record");
    writePackage("two"); // same length, so V8's own check (the length) would accept the old code

    const used = load("use");
    expect(used.result).toBe("two!");
    expect(used.stats).toMatchObject({ served: 1, missed: 1 });
  });

  test("serves only modules that have an entry; the others go through Node's own loader", () => {
    writePackage();
    load("record");
    writeFileSync(join(dir, "other.js"), `module.exports = () => require("./helper.js")("other");\n`);

    const used = load("use", "other.js");
    expect(used.result).toBe("other!");
    expect(used.stats).toMatchObject({ served: 1, missed: 1, missedModules: ["other.js"] });
  });

  test("is ignored whole when another Node.js, V8 or platform recorded it", () => {
    writePackage();
    load("record");
    editHeader((h) => {
      h.runtime = "node v18.0.0 v8 10.1.124.8 linux-x64";
    });

    const used = load("use");
    expect(used.result).toBe("one!");
    expect(used.why).toMatch(/^a code cache of node v18\.0\.0 .*, not node v/);
    expect(used.stats).toMatchObject({ mode: "off", served: 0 });
  });

  test.each([
    ["no file", () => rmSync(cacheFile()), /^no cache at /],
    ["an empty file", () => writeFileSync(cacheFile(), ""), /^not a strata code cache$/],
    ["a file of something else", () => writeFileSync(cacheFile(), "{\"format\": 1}\n".repeat(50)), /^not a strata code cache$/],
    ["a truncated file", () => writeFileSync(cacheFile(), readFileSync(cacheFile()).subarray(0, 40)), /^a truncated code cache$/],
    ["a file cut short in its data", () => writeFileSync(cacheFile(), readFileSync(cacheFile()).subarray(0, -100)), /^a damaged code cache$/],
    ["a file of another format", () => editHeader((h) => void (h.format = 99)), /^a code cache of another strata$/],
    ["a header without entries", () => editHeader((h) => void delete h.entries), /^a damaged code cache$/],
    ["a header whose entries are null", () => editHeader((h) => void (h.entries = null)), /^a damaged code cache$/],
    ["a header of null", () => writeFileSync(cacheFile(), "strata-code-cache\n0000000004\nnull"), /^a code cache of another strata$/],
    ["an entry of the wrong shape", () => editHeader((h) => void ((h.entries as Record<string, unknown>)["main.js"] = ["x", 0, 1])), /^a damaged code cache$/],
    ["an entry past the end of the data", () => editHeader((h) => void ((h.entries as Record<string, number[]>)["main.js"][2] = 1e9)), /^a damaged code cache$/],
    ["a length that is not digits", () => writeFileSync(cacheFile(), "strata-code-cache\n-000000001\n{}"), /^a truncated code cache$/],
    ["a folder", () => (rmSync(cacheFile()), mkdirSync(cacheFile())), /^no cache at .* \(not a regular file\)$/],
    ["a named pipe nobody writes to", () => (rmSync(cacheFile()), spawnSync("mkfifo", [cacheFile()])), /^no cache at .* \(not a regular file\)$/],
    ["a link to /dev/zero", () => (rmSync(cacheFile()), symlinkSync("/dev/zero", cacheFile())), /^no cache at .* \(not a regular file\)$/],
  ])("%s is no cache, never an error", (_, damage, why) => {
    writePackage();
    load("record");
    damage();

    const used = load("use");
    expect(used.result).toBe("one!");
    expect(used.why).toMatch(why);
    expect(used.stats).toMatchObject({ served: 0 });
  });

  test("when V8 refuses the cached code (other V8 flags), modules compile as usual and still run", () => {
    writePackage();
    load("record");

    const used = load("use", "main.js", ["--max-semi-space-size=7"]);
    expect(used.result).toBe("one!");
    // The first refusal stands for all: the second module is not even looked up.
    expect(used.stats).toMatchObject({ served: 0, rejected: 1, missed: 1, missedModules: ["helper.js"] });
    expect(used.stats.why).toMatch(/^V8 refused the cached code/);
  });

  test("never hands V8 damaged cached code: one flipped byte anywhere in a module's code means no cache for it", () => {
    writePackage();
    load("record");
    const pristine = readFileSync(cacheFile());
    for (const at of [0, 7, 64, 200, 511, 1000, 1503, 2048, 3333]) {
      writeFileSync(cacheFile(), pristine);
      flipCodeByte("main.js", at);

      const used = load("use");
      expect(used.result).toBe("one!");
      expect(used.stats).toMatchObject({ served: 1, missed: 1, missedModules: ["main.js"] });
    }
  });

  test("a run that fails records nothing", () => {
    writePackage();
    const script = `require(${JSON.stringify(CACHE_JS)}).useCompileCache({ mode: "record", root: ${JSON.stringify(dir)}, cacheFile: ${JSON.stringify(cacheFile())} });
      require(${JSON.stringify(join(dir, "main.js"))}); process.exitCode = 1;`;
    const ran = spawnSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" });

    expect(ran.status).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(["helper.js", "main.js"]);
  });

  test("recording writes only the file it is given", () => {
    writePackage();
    const script = `require(${JSON.stringify(CACHE_JS)}).useCompileCache({ root: ${JSON.stringify(dir)} }); require(${JSON.stringify(join(dir, "main.js"))});`;
    const plain = spawnSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8", env: { ...process.env, STRATA_COMPILE_CACHE: "record" } });
    expect(plain.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["helper.js", "main.js"]); // "record" alone names no file: nothing is written

    const target = join(dir, "elsewhere.bin");
    const named = spawnSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8", env: { ...process.env, STRATA_COMPILE_CACHE: `record:${target}` } });
    expect(named.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["elsewhere.bin", "helper.js", "main.js"]);
  });

  test("leaves an ES module loaded by require() to Node's loader", () => {
    writeFileSync(join(dir, "esm.mjs"), "export const value = 3;\n");
    writeFileSync(join(dir, "main.js"), `module.exports = () => require("./esm.mjs").value;\n`);
    expect(load("record")).toMatchObject({ result: 3, stats: { recorded: 1 } });

    const used = load("use");
    expect(used.result).toBe(3);
    expect(used.stats).toMatchObject({ served: 1, missed: 1, missedModules: ["esm.mjs"] });
  });

  test.each([
    ["a policy", (policy: string) => ({ NODE_OPTIONS: `--experimental-policy=${policy}` }), "a policy may be in force"],
    ["a policy, spelt with _", (policy: string) => ({ NODE_OPTIONS: `--experimental_policy=${policy}` }), "a policy may be in force"],
    ["a policy, quoted", (policy: string) => ({ NODE_OPTIONS: `"--experimental-policy=${policy}"` }), "a policy may be in force"],
    ["a preloaded module", () => ({ NODE_OPTIONS: `--require ${join(dir, "helper.js")}` }), "a preloaded module may hook the loader"],
    ["a preloaded module (-r)", () => ({ NODE_OPTIONS: `-r ${join(dir, "helper.js")}` }), "a preloaded module may hook the loader"],
    ["V8 coverage", () => ({ NODE_V8_COVERAGE: join(dir, "coverage") }), "V8 coverage is being collected (its offsets assume Node's loader)"],
  ])("stays off under %s, whose hooks only Node's loader serves", (_, env, why) => {
    writePackage();
    load("record");
    const policy = join(dir, "policy.json");
    writeFileSync(policy, JSON.stringify({ onerror: "log", resources: {} }));
    const script = `const cache = require(${JSON.stringify(CACHE_JS)});
      console.log(cache.useCompileCache({ root: ${JSON.stringify(dir)}, cacheFile: ${JSON.stringify(cacheFile())} }));`;
    const ran = spawnSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8", env: { ...process.env, ...env(policy) } });

    expect(ran.stdout.trim()).toBe(why);
  });

  test.each([
    ["import(", `await import("node:path")`],
    ["a block comment", `await import /* path */ ("node:path")`],
    ["an HTML-like comment", `await import <!-- path\n("node:path")`],
    ["an HTML-like closing comment", `await import\n--> path\n("node:path")`],
    ["eval", `await eval("imp" + "ort('node:path')")`],
    ["indirect eval", `await (0, eval)("imp" + "ort('node:path')")`],
    ["the Function constructor", `await new Function("return imp" + "ort('node:path')")()`],
  ])("leaves a module that may import() dynamically (%s) to Node's loader, where the import works", (_, expression) => {
    writeFileSync(join(dir, "helper.js"), `module.exports = 2;\n`);
    writeFileSync(join(dir, "main.js"), `const two = require("./helper.js");\nmodule.exports = async () => [two, typeof (${expression}).join];\n`);
    expect(load("record").stats).toMatchObject({ recorded: 1 });

    const used = load("use");
    expect(used.result).toEqual([2, "function"]);
    expect(used.stats).toMatchObject({ served: 1, missed: 1, missedModules: ["main.js"] });
  });

  test("leaves a .js file that Node finds to be an ES module to Node's loader, when recording too", () => {
    writeFileSync(join(dir, "esm.js"), "export const value = 3;\n");
    writeFileSync(join(dir, "main.js"), `module.exports = () => require("./esm.js").value;\n`);
    expect(load("record")).toMatchObject({ result: 3, stats: { recorded: 1 } });

    const used = load("use");
    expect(used.result).toBe(3);
    expect(used.stats).toMatchObject({ served: 1, missed: 1, missedModules: ["esm.js"] });
  });

  test("stays off when source maps are on, which only Node's loader applies", () => {
    writePackage();
    load("record");

    const used = load("use", "main.js", ["--enable-source-maps"]);
    expect(used.why).toBe("source maps are on");
    expect(used.stats).toMatchObject({ mode: "off", served: 0 });
  });

  test("a module served from it sees what Node's loader gives a CommonJS module", () => {
    writeFileSync(join(dir, "helper.js"), "#!/usr/bin/env node\nmodule.exports = 1;\n");
    writeFileSync(
      join(dir, "main.js"),
      [
        `"use strict"; const lineOne = () => new Error("on line 1");`,
        `const path = require("node:path");`,
        `const thisIsExports = this === module.exports, exportsIsModuleExports = exports === module.exports;`,
        `function fails() { throw new Error("from main"); }`,
        `module.exports = async () => {`,
        `  let line;`,
        `  try { fails(); } catch (e) { line = /main\\.js:(\\d+)/.exec(e.stack)[1]; }`,
        `  return {`,
        `    filename: path.basename(__filename), dirname: __dirname === path.dirname(__filename),`,
        `    thisIsExports, exportsIsModuleExports,`,
        `    helper: require("./helper.js"), same: require("./helper.js") === require.cache[require.resolve("./helper.js")].exports,`,
        `    resolved: path.basename(require.resolve("./helper.js")), lookup: Array.isArray(require.resolve.paths("x")),`,
        `    main: require.main === process.mainModule, extensions: typeof require.extensions[".js"],`,
        `    line, column: /main\\.js:1:(\\d+)/.exec(lineOne().stack)[1],`,
        `    badResolve: (() => { try { require.resolve(42); } catch (e) { return e.message; } })(),`,
        `    badPaths: (() => { try { return require.resolve.paths(42); } catch (e) { return e.message; } })(),`,
        `  };`,
        `};`,
      ].join("\n") + "\n",
    );
    const plain = load("off");
    load("record");
    const cached = load("use");

    expect(cached.stats).toMatchObject({ served: 2, missed: 0 });
    expect(cached.result).toEqual(plain.result);
    expect(plain.result).toEqual({
      filename: "main.js",
      dirname: true,
      thisIsExports: true,
      exportsIsModuleExports: true,
      helper: 1,
      same: true,
      resolved: "helper.js",
      lookup: true,
      main: true,
      extensions: "function",
      line: "4",
      column: "37",
      badResolve: 'The "request" argument must be of type string. Received type number (42)',
      badPaths: 'The "request" argument must be of type string. Received type number (42)',
    });
  });
});

describe("STRATA_COMPILE_CACHE", () => {
  test.each([
    [undefined, { mode: "use" }],
    ["", { mode: "use" }],
    ["on", { mode: "use" }],
    ["off", { mode: "off" }],
    ["record", { mode: "use" }],
    ["record:", { mode: "use" }],
    ["record:/some/file.bin", { mode: "record", file: "/some/file.bin" }],
  ])("%p means %p", (value, mode) => {
    expect(modeFromEnvironment(value === undefined ? {} : { STRATA_COMPILE_CACHE: value })).toEqual(mode);
  });
});

describe("the strata command's code cache", () => {
  test("was recorded by the build, and serves every module the command loads at start-up", () => {
    expect(existsSync(join(ROOT, "dist", "code-cache.bin"))).toBe(true);
    const stats = probeCompileCache();

    expect(stats.why).toBeUndefined();
    expect(stats).toMatchObject({ mode: "use", rejected: 0 });
    expect(stats.served).toBeGreaterThan(150); // cdktf, the provider classes, yaml, commander, strata
    // Left to Node's loader: only modules that may reach import(), such as
    // commander's help.js (`import(` in a comment).
    expect(stats.missedModules).toEqual(expect.arrayContaining(["node_modules/commander/lib/help.js"]));
    expect(stats.missedModules.filter((m) => !mayImport(readFileSync(join(ROOT, m), "utf8")))).toEqual([]);
    expect(stats.missedModules.length).toBe(stats.missed);
  });

  test("a build whose recording fails still succeeds, says why, and keeps the cache it had", () => {
    const before = readFileSync(join(ROOT, "dist", "code-cache.bin"));
    const ran = spawnSync(process.execPath, [join(ROOT, "dist", "src", "compile-cache-build.js")], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, TMPDIR: join(dir, "does-not-exist") },
    });

    expect(ran.status).toBe(0);
    expect(ran.stderr).toMatch(/^strata build: WARNING: no new code cache recorded, so start-up may be slower: .*ENOENT/);
    expect(readFileSync(join(ROOT, "dist", "code-cache.bin")).equals(before)).toBe(true);
    expect(readdirSync(join(ROOT, "dist")).filter((f) => f.includes("recording"))).toEqual([]);
  });

  test("changes nothing in what strata writes", () => {
    // The same --out from two folders, so that the summaries can match too.
    const synth = (value: string, cwd: string) => {
      mkdirSync(cwd);
      return spawnSync(process.execPath, [join(ROOT, "bin", "strata.js"), "synth", "--out", "out"], {
        cwd,
        encoding: "utf8",
        env: { ...process.env, STRATA_COMPILE_CACHE: value },
      });
    };
    const on = synth("on", join(dir, "a"));
    const off = synth("off", join(dir, "b"));
    expect([on.status, off.status]).toEqual([0, 0]);
    expect(on.stdout).toBe(off.stdout);
    expect(on.stderr).toBe(off.stderr);

    const files = (root: string): string[] =>
      readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
        .sort();
    const [a, b] = [join(dir, "a", "out"), join(dir, "b", "out")];
    expect(files(a)).toEqual(files(b));
    expect(files(a).length).toBeGreaterThan(6);
    for (const f of files(a)) expect(readFileSync(join(a, f), "utf8")).toBe(readFileSync(join(b, f), "utf8"));
  });
});
