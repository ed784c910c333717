"use strict";
/**
 * Where strata's time goes: CPU profiles (`node --cpu-prof`) of
 * `strata synth` on the bundled examples and on the generated 400-service
 * project, each summarized by bench/profile-summary.js, plus the start-up
 * module costs of the examples run from bench/require-times.js.
 *
 * Usage: node bench/profile.js [--keep DIR] [--services N]
 *   --keep DIR     leave the .cpuprofile files in DIR (open them in Chrome
 *                  DevTools or speedscope); otherwise a temp folder is removed
 *   --services N   size of the generated project (default 400)
 */
const { spawnSync } = require("node:child_process");
const { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join, resolve } = require("node:path");
const { generateProject } = require("./generate");
const { report } = require("./profile-summary");

const ROOT = resolve(__dirname, "..");
const STRATA = join(ROOT, "bin", "strata.js");

function parseArgs(argv) {
  const options = { keep: undefined, services: 400 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--keep" && argv[i + 1]) options.keep = resolve(argv[++i]);
    else if (argv[i] === "--services" && /^[1-9]\d*$/.test(argv[i + 1] ?? "")) options.services = Number(argv[++i]);
    else {
      process.stderr.write("usage: node bench/profile.js [--keep DIR] [--services N]\n");
      process.exit(2);
    }
  }
  return options;
}

function run(nodeArgs, strataArgs, env = {}) {
  const child = spawnSync(process.execPath, [...nodeArgs, STRATA, "synth", ...strataArgs], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  if (child.status !== 0) {
    throw new Error(`strata synth ${strataArgs.join(" ")} failed (exit ${child.status}):\n${String(child.stderr)}`);
  }
}

function profileOne(name, strataArgs, dir) {
  const profDir = join(dir, `prof-${name}`);
  mkdirSync(profDir, { recursive: true });
  run(["--cpu-prof", "--cpu-prof-dir", profDir], strataArgs);
  const file = readdirSync(profDir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no profile written for ${name}`);
  return join(profDir, file);
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const scratch = mkdtempSync(join(tmpdir(), "strata-profile-"));
  const keep = options.keep ?? scratch;
  mkdirSync(keep, { recursive: true });
  try {
    const files = generateProject(join(scratch, "project"), options.services);

    const requireReport = join(scratch, "require-report.txt");
    run(["--require", join(__dirname, "require-times.js")], ["--out", join(scratch, "out-require")], {
      STRATA_BENCH_REQUIRE_REPORT: requireReport,
    });
    process.stdout.write(`=== start-up: module loading, examples ===\n${readFileSync(requireReport, "utf8")}\n`);

    const examples = profileOne("examples", ["--out", join(scratch, "out-examples")], keep);
    process.stdout.write(`=== CPU profile: examples ===\n${report(examples, 20)}\n\n`);
    process.stdout.write(`=== CPU profile: examples, inside cdktf ===\n${report(examples, 15, "cdktf").split("\n\n").pop()}\n\n`);

    const scale = profileOne(`${options.services}`, [...files, "--out", join(scratch, "out-scale")], keep);
    process.stdout.write(`=== CPU profile: ${options.services} services ===\n${report(scale, 20)}\n\n`);
    process.stdout.write(
      `=== CPU profile: ${options.services} services, inside cdktf ===\n${report(scale, 20, "cdktf").split("\n\n").pop()}\n`,
    );
    if (options.keep) process.stdout.write(`\nprofiles kept in ${keep}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main();
