import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { run } from "../src/cli";
import { PAYMENTS, STAGING_ENV, workspace } from "./support/manifests";

const ROOT = resolve(__dirname, "..");

interface Ran {
  status: number;
  out: string;
  err: string;
}

async function strata(cwd: string, ...argv: string[]): Promise<Ran> {
  let out = "";
  let err = "";
  const status = await run(argv, { cwd, out: (t) => (out += t), err: (t) => (err += t) });
  return { status, out, err };
}

/** Every file below a folder with its bytes, for before/after comparisons. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else files[full.slice(dir.length + 1)] = readFileSync(full, "utf8");
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

describe("strata synth", () => {
  test("with no FILE synthesizes the bundled examples and prints a summary", async () => {
    const cwd = workspace({});

    const ran = await strata(cwd, "synth");

    expect(ran.status).toBe(0);
    expect(ran.out).toBe(
      [
        "wrote 6 stacks to cdktf.out (7 files changed, 0 unchanged)",
        "  production                  4 resources, 5 data sources, 6 outputs",
        "  production-payments         10 resources, 3 data sources, 10 outputs",
        "  production-state-bootstrap  5 resources, 0 data sources, 1 output",
        "  staging                     4 resources, 3 data sources, 6 outputs",
        "  staging-payments            10 resources, 4 data sources, 10 outputs",
        "  staging-search              21 resources, 4 data sources, 5 outputs",
        "",
      ].join("\n"),
    );
    expect(readdirSync(join(cwd, "cdktf.out/stacks")).sort()).toEqual([
      "production",
      "production-payments",
      "production-state-bootstrap",
      "staging",
      "staging-payments",
      "staging-search",
    ]);
    const manifest = JSON.parse(readFileSync(join(cwd, "cdktf.out/manifest.json"), "utf8"));
    expect(manifest.stacks["staging-payments"].dependencies).toEqual(["staging"]);
    expect(manifest.stacks["staging-search"].dependencies).toEqual(["staging"]);
  });

  test("warnings go to stderr, the summary to stdout", async () => {
    const cwd = workspace({});

    const ran = await strata(cwd, "synth", "--out", "out");

    expect(ran.err).toContain("warning: modules[0]: image, port not generated");
    expect(ran.out).not.toContain("warning");
  });

  test("--out chooses the folder, and the state path stays beside it", async () => {
    const cwd = workspace({ "env/staging.yaml": STAGING_ENV });

    const ran = await strata(cwd, "synth", "env/staging.yaml", "--out", "build/tf");

    expect(ran.status).toBe(0);
    const tf = JSON.parse(readFileSync(join(cwd, "build/tf/stacks/staging/cdk.tf.json"), "utf8"));
    expect(tf.terraform.backend).toEqual({ local: { path: "../../../terraform.staging.tfstate" } });
    // Resolved from the stack folder, where terraform runs:
    expect(resolve(cwd, "build/tf/stacks/staging", tf.terraform.backend.local.path)).toBe(
      join(cwd, "build", "terraform.staging.tfstate"),
    );
  });

  test("a second run with the same manifests changes nothing", async () => {
    const cwd = workspace({});
    await strata(cwd, "synth");

    const ran = await strata(cwd, "synth");

    expect(ran.out.split("\n")[0]).toBe("wrote 6 stacks to cdktf.out (0 files changed, 7 unchanged)");
  });

  test("fails with status 1 and leaves the output folder exactly as it was", async () => {
    const cwd = workspace({ "env/staging.yaml": STAGING_ENV, "svc/payments.yaml": PAYMENTS });
    await strata(cwd, "synth", "svc/payments.yaml");
    const stack = join(cwd, "cdktf.out/stacks/staging-payments");
    mkdirSync(join(stack, ".terraform"));
    writeFileSync(join(stack, ".terraform/marker"), "kept");
    writeFileSync(join(stack, "terraform.tfstate"), "{}");
    const before = snapshot(join(cwd, "cdktf.out"));
    writeFileSync(join(cwd, "svc/payments.yaml"), PAYMENTS.replace("7.1", "7.x").replace("- cache\n", "- cahce\n"));

    const ran = await strata(cwd, "synth", "svc/payments.yaml");

    expect(ran.status).toBe(1);
    expect(ran.out).toBe("");
    expect(ran.err.trim().split("\n")).toEqual([
      'svc/payments.yaml:9:20: modules[0].redis_version: is not valid (got "7.x"; allowed <major>.<minor>: for redis 6.0, 6.2, 7.0, 7.1 or opta\'s 6.x; for valkey 7.2, 8.0, 8.1)',
      'svc/payments.yaml:16:9: modules[1].links[0]: links to cahce, which is not a module of this file; did you mean cache? (got "cahce"; allowed app, cache)',
      "strata: 2 problems; nothing was written",
    ]);
    expect(snapshot(join(cwd, "cdktf.out"))).toEqual(before);
  });

  test("a successful run keeps what terraform put in a stack folder", async () => {
    const cwd = workspace({ "env/staging.yaml": STAGING_ENV });
    await strata(cwd, "synth", "env/staging.yaml");
    const stack = join(cwd, "cdktf.out/stacks/staging");
    mkdirSync(join(stack, ".terraform"));
    writeFileSync(join(stack, ".terraform.lock.hcl"), "lock");
    writeFileSync(join(stack, "terraform.tfstate"), "{}");
    writeFileSync(join(cwd, "env/staging.yaml"), STAGING_ENV.replace("us-east-1", "eu-west-1"));

    const ran = await strata(cwd, "synth", "env/staging.yaml");

    expect(ran.status).toBe(0);
    expect(readFileSync(join(stack, ".terraform.lock.hcl"), "utf8")).toBe("lock");
    expect(readFileSync(join(stack, "terraform.tfstate"), "utf8")).toBe("{}");
    expect(readFileSync(join(stack, "cdk.tf.json"), "utf8")).toContain('"region": "eu-west-1"');
  });

  test("a stack folder no longer produced is left in place with a warning", async () => {
    const cwd = workspace({ "env/staging.yaml": STAGING_ENV, "svc/payments.yaml": PAYMENTS });
    await strata(cwd, "synth", "svc/payments.yaml");

    const ran = await strata(cwd, "synth", "env/staging.yaml");

    expect(ran.status).toBe(0);
    expect(ran.err).toContain("warning: cdktf.out/stacks/staging-payments was not produced by this synth; left in place");
    expect(existsSync(join(cwd, "cdktf.out/stacks/staging-payments/cdk.tf.json"))).toBe(true);
  });

  test("fails with status 2, writing nothing, when --out is a file", async () => {
    const cwd = workspace({ afile: "x" });

    const ran = await strata(cwd, "synth", "--out", "afile/sub");

    expect(ran.status).toBe(2);
    expect(ran.err).toContain("afile is a file, where a folder is needed");
    expect(readFileSync(join(cwd, "afile"), "utf8")).toBe("x");
  });

  test("fails with status 2 before writing anything when a stack's file is in the way", async () => {
    const cwd = workspace({ "env/staging.yaml": STAGING_ENV, "svc/payments.yaml": PAYMENTS });
    await strata(cwd, "synth", "env/staging.yaml");
    const before = snapshot(join(cwd, "cdktf.out"));
    mkdirSync(join(cwd, "cdktf.out/stacks/staging-payments/cdk.tf.json"), { recursive: true });

    const ran = await strata(cwd, "synth", "svc/payments.yaml");

    expect(ran.status).toBe(2);
    expect(ran.err).toContain("stacks/staging-payments/cdk.tf.json is a folder, where strata writes a file");
    expect(snapshot(join(cwd, "cdktf.out"))).toEqual(before);
  });

  test.each([
    [["synth", "--bogus"]],
    [["synth", "--out"]],
    [["frobnicate"]],
    [["schema"]],
    [["schema", "nonsense"]],
  ])("fails with status 2 on a bad command line (%j)", async (argv) => {
    const ran = await strata(workspace({}), ...argv);

    expect(ran.status).toBe(2);
    expect(ran.err).not.toBe("");
  });

  test("--version prints the package's version and exits 0", async () => {
    const ran = await strata(workspace({}), "--version");
    const { version } = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string };

    expect(ran.status).toBe(0);
    expect(ran.out).toBe(`${version}\n`);
  });

  test("--help exits 0", async () => {
    const ran = await strata(workspace({}), "synth", "--help");

    expect(ran.status).toBe(0);
    expect(ran.out).toContain("--strict");
  });
});

describe("a bug in strata", () => {
  test("prints one line that says so, with status 3 and no stack trace", async () => {
    const synthModule = require("../src/synth");
    const spy = jest.spyOn(synthModule, "synth").mockImplementation(() => {
      throw new TypeError("cannot read properties of undefined\n    at somewhere (file.js:1:1)");
    });
    try {
      const ran = await strata(workspace({}), "synth");

      expect(ran.status).toBe(3);
      expect(ran.out).toBe("");
      expect(ran.err).toBe(
        "strata: internal error (this is a bug in strata, please report it): cannot read properties of undefined\n",
      );
    } finally {
      spy.mockRestore();
    }
  });
});

describe("the installed command", () => {
  test("bin/strata.js sets the exit status and never prints a stack trace", () => {
    const cwd = workspace({ "svc/payments.yaml": PAYMENTS });

    const ran = spawnSync(process.execPath, [join(ROOT, "bin/strata.js"), "synth", "svc/payments.yaml"], {
      cwd,
      encoding: "utf8",
    });

    expect(ran.status).toBe(1);
    expect(ran.stdout).toBe("");
    expect(ran.stderr).toBe(
      'svc/payments.yaml:4:11: environments[0].path: environment file not found (got "../env/staging.yaml"; allowed a path relative to svc)\nstrata: 1 problem; nothing was written\n',
    );
  });
});
