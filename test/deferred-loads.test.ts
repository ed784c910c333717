import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { DEFERRED_REQUIRES, deferred } from "../src/deferred-loads";

const ROOT = resolve(__dirname, "..");

describe("deferred", () => {
  test("loads nothing until the stand-in is used, then loads once", () => {
    let loads = 0;
    const real = Object.assign((x: number) => x * 2, { version: "1.0.0" });
    const standIn = deferred(() => {
      loads++;
      return real;
    }) as typeof real;

    expect(loads).toBe(0);
    expect(standIn(21)).toBe(42);
    expect(standIn.version).toBe("1.0.0");
    expect("version" in standIn).toBe(true);
    expect(loads).toBe(1);
  });

  test("makes instances of a deferred class", () => {
    class Real {
      readonly made = true;
    }
    const StandIn = deferred(() => Real) as typeof Real;

    expect(new StandIn()).toBeInstanceOf(Real);
  });
});

describe("the strata command's deferred loads", () => {
  // Runs the compiled module (npm test builds dist/ first) in a fresh process.
  function run(script: string): string {
    const ran = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(ran.stderr).toBe("");
    expect(ran.status).toBe(0);
    return ran.stdout.trim();
  }
  const install = `require(${JSON.stringify(join(ROOT, "dist/src/deferred-loads.js"))}).deferUnusedLoads();`;
  const loaded = `(name) => Object.keys(require.cache).some((f) => f.includes("/node_modules/" + name + "/"))`;

  test("keep archiver and semver out of a process that loads cdktf", () => {
    const out = run(`${install} require("cdktf"); const loaded = ${loaded};
      console.log(JSON.stringify([loaded("archiver"), loaded("semver"), loaded("constructs")]));`);

    expect(JSON.parse(out)).toEqual([false, false, true]);
  });

  test("still give cdktf a working json-stable-stringify when it writes its own manifest", () => {
    const scratch = mkdtempSync(join(tmpdir(), "strata-loads-"));
    try {
      const out = run(`${install} const loaded = ${loaded}; const { Manifest } = require("cdktf");
        const before = loaded("json-stable-stringify");
        const manifest = new Manifest("0.21.0", ${JSON.stringify(scratch)}, false);
        manifest.writeToFile();
        const text = require("node:fs").readFileSync(require("node:path").join(${JSON.stringify(scratch)}, "manifest.json"), "utf8");
        console.log(JSON.stringify([before, loaded("json-stable-stringify"), text]));`);

      expect(JSON.parse(out)).toEqual([false, true, '{\n  "stacks": {\n  },\n  "version": "0.21.0"\n}']);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  test("still give cdktf a working semver when it does check a binary's version", () => {
    const out = run(`${install} const loaded = ${loaded};
      const { ValidateBinaryVersion } = require("cdktf/lib/validations/validate-binary-version");
      const node = JSON.stringify(process.execPath) + " --version";
      const fine = new ValidateBinaryVersion("node", ">=1.0.0", node).validate();
      const old = new ValidateBinaryVersion("node", ">=999.0.0", node).validate();
      console.log(JSON.stringify([fine, old.length, loaded("semver")]));`);

    expect(JSON.parse(out)).toEqual([[], 1, true]);
  });
});

describe("what each command loads", () => {
  // The packages (below node_modules) a fresh process has loaded once the
  // command is done, set up as bin/strata.js does it.
  function packagesAfter(args: string[]): string[] {
    const dist = (f: string) => JSON.stringify(join(ROOT, "dist", "src", f));
    const script = `require(${dist("deferred-loads.js")}).deferUnusedLoads();
      process.on("exit", () => {
        const names = Object.keys(require.cache)
          .filter((f) => f.includes("/node_modules/"))
          .map((f) => f.split("/node_modules/").pop().split("/"))
          .map((p) => (p[0].startsWith("@") ? p[0] + "/" + p[1] : p[0]));
        process.stderr.write(JSON.stringify([...new Set(names)].sort()));
      });
      require(${dist("cli.js")}).main(${JSON.stringify(args)});`;
    const ran = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(ran.status).toBe(0);
    return JSON.parse(ran.stderr.slice(ran.stderr.lastIndexOf("["))) as string[];
  }

  test("`strata schema` loads commander and nothing of cdktf", () => {
    expect(packagesAfter(["schema", "service"])).toEqual(["commander"]);
  });

  test("`strata synth` of the examples loads none of the packages it defers", () => {
    const scratch = mkdtempSync(join(tmpdir(), "strata-loads-"));
    try {
      const loaded = packagesAfter(["synth", "--out", join(scratch, "out")]);
      expect(loaded).toEqual(expect.arrayContaining(["cdktf", "constructs", "yaml", "commander", "@cdktf/provider-aws"]));
      for (const name of Object.keys(DEFERRED_REQUIRES)) expect(loaded).not.toContain(name);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
