import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { deferred } from "../src/deferred-loads";

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
