"use strict";
/**
 * `npm run bench`: strata's speed and memory against its baselines, side by
 * side in one go, plus a determinism check. Every row is a whole child
 * process, timed from spawn to exit; each is run once as a warm-up, then
 * several times in interleaved rounds (so a slow spell of the machine hits
 * every row alike), and the median is reported.
 *
 * Exit status: 0 when everything ran and determinism held, speed goals met
 * or not (they are reported, not enforced); 1 when a command failed or the
 * two syntheses differed; 2 for a bad command line.
 *
 * Options: --runs N (measured runs of the fast rows, default 5),
 *          --quick (fewer runs, for trying the bench itself).
 */
const { spawnSync } = require("node:child_process");
const {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
} = require("node:fs");
const { cpus, loadavg, tmpdir } = require("node:os");
const { join, relative, resolve } = require("node:path");
const { generateProject } = require("./generate");

const ROOT = resolve(__dirname, "..");
const STRATA = join(ROOT, "bin", "strata.js");
const BARE_APP = join(__dirname, "bare-app.js");
const NODE = process.execPath;
const GNU_TIME = "/usr/bin/time";
const SCALES = [25, 100, 400];
/** GNU time's report: peak RSS (KB), user and system CPU seconds of the child and what it waited for. */
const TIME_FORMAT = "%M %U %S";
const TIME_LINE = /^(\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/m;

function parseArgs(argv) {
  const options = { runs: 5, slowRuns: 3 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--quick") {
      options.runs = 2;
      options.slowRuns = 1;
    } else if (arg === "--runs" && /^[1-9]\d*$/.test(argv[i + 1] ?? "")) {
      options.runs = Number(argv[++i]);
      options.slowRuns = Math.max(1, Math.min(options.runs, 3));
    } else {
      process.stderr.write(`bench: unknown argument ${JSON.stringify(arg)}\nusage: node bench/run.js [--runs N] [--quick]\n`);
      process.exit(2);
    }
  }
  return options;
}

// ---------------------------------------------------------------------------
// Measuring one child process

/**
 * GNU time writes the child's peak RSS (the largest single process of its
 * tree, in KB) to a file; without it, a preload in every Node.js process of
 * the tree appends its own peak and the largest is taken.
 */
function detectRssMethod(scratch) {
  if (existsSync(GNU_TIME)) {
    const file = join(scratch, "time-probe");
    const probe = spawnSync(GNU_TIME, ["-f", TIME_FORMAT, "-o", file, NODE, "-e", "0"], { stdio: "ignore" });
    if (probe.status === 0 && existsSync(file) && TIME_LINE.test(readFileSync(file, "utf8"))) return "gnu-time";
  }
  return "preload";
}

function measure(command, args, { cwd = ROOT, env = {}, rssMethod, scratch }) {
  const rssFile = join(scratch, `rss-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const childEnv = { ...process.env, ...env };
  let argv0 = command;
  let argv = args;
  if (rssMethod === "gnu-time") {
    argv0 = GNU_TIME;
    argv = ["-f", TIME_FORMAT, "-o", rssFile, command, ...args];
  } else {
    const preload = `--require ${JSON.stringify(join(__dirname, "maxrss.js"))}`;
    childEnv.NODE_OPTIONS = [childEnv.NODE_OPTIONS, preload].filter(Boolean).join(" ");
    childEnv.STRATA_BENCH_RSS_FILE = rssFile;
  }
  const start = process.hrtime.bigint();
  const child = spawnSync(argv0, argv, {
    cwd,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  let rssKb;
  let cpuSeconds;
  if (existsSync(rssFile)) {
    const lines = readFileSync(rssFile, "utf8").split("\n");
    rmSync(rssFile, { force: true });
    if (rssMethod === "gnu-time") {
      // The last report line; a failed child adds a status line before it.
      const m = lines.map((l) => TIME_LINE.exec(l.trim())).filter(Boolean).pop();
      if (m) {
        rssKb = Number(m[1]);
        cpuSeconds = Number(m[2]) + Number(m[3]);
      }
    } else {
      // One line per Node.js process: peak RSS (KB), user and system CPU (microseconds).
      const reports = lines.map((l) => l.trim().split(" ").map(Number)).filter((r) => r.length === 3 && r.every(Number.isFinite));
      if (reports.length > 0) {
        rssKb = Math.max(...reports.map((r) => r[0]));
        cpuSeconds = reports.reduce((sum, r) => sum + (r[1] + r[2]) / 1e6, 0);
      }
    }
  }
  return {
    seconds,
    rssKb,
    cpuSeconds,
    status: child.status,
    signal: child.signal,
    error: child.error,
    stdout: String(child.stdout ?? ""),
    stderr: String(child.stderr ?? ""),
  };
}

// ---------------------------------------------------------------------------
// The rows

function stackCount(outdir) {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  return Object.keys(manifest.stacks ?? {}).length;
}

function defineRows(scratch, options) {
  const out = (id, run) => join(scratch, "out", `${id}-${run}`);
  mkdirSync(join(scratch, "out")); // cdktf's App makes only the last level of its outdir
  // cdktf-cli would otherwise send telemetry to a HashiCorp host (so would the
  // terraform it runs), keep its state in ~/.cdktf and create
  // ~/.terraform.d/plugin-cache; here it gets a home of its own and no network.
  const cdktfHome = join(scratch, "cdktf-home");
  mkdirSync(cdktfHome, { recursive: true });
  const cdktfEnv = {
    CHECKPOINT_DISABLE: "1",
    DISABLE_VERSION_CHECK: "true",
    CDKTF_HOME: cdktfHome,
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "true",
  };

  const rows = [
    {
      id: "floor",
      label: "node -e 0 (floor)",
      runs: options.runs,
      command: (run) => [NODE, ["-e", "0"]],
    },
    {
      id: "bare",
      label: "bare cdktf app, 1 empty stack",
      runs: options.runs,
      command: (run) => [NODE, [BARE_APP, out("bare", run)]],
      minStacks: 1,
    },
    {
      id: "examples",
      label: "strata synth, examples",
      runs: options.runs,
      command: (run) => [NODE, [STRATA, "synth", "--out", out("examples", run)]],
      env: { STRATA_COMPILE_CACHE: "on" },
      minStacks: 1,
      showStacks: true,
    },
    {
      // The same without the code cache that `npm run build` records
      // (src/compile-cache.ts): what a Node.js other than the build's would see.
      id: "nocache",
      label: "strata synth, examples, code cache off",
      runs: options.runs,
      command: (run) => [NODE, [STRATA, "synth", "--out", out("nocache", run)]],
      env: { STRATA_COMPILE_CACHE: "off" },
      minStacks: 1,
      showStacks: true,
    },
    {
      id: "cdktf",
      label: "npx cdktf synth (+ npm run build), examples",
      runs: options.slowRuns,
      command: (run) => ["npx", ["--no-install", "cdktf", "synth", "--output", out("cdktf", run)]],
      env: cdktfEnv,
      minStacks: 1,
      showStacks: true,
    },
    {
      // What cdktf.json's `app` runs before node dist/main.js, timed alone, so
      // that the cdktf row can also be read without it.
      id: "build",
      label: "npm run build alone (cdktf.json's app runs it first)",
      runs: options.slowRuns,
      command: () => ["npm", ["run", "--silent", "build"]],
    },
  ];
  for (const n of SCALES) {
    const files = generateProject(join(scratch, `project-${n}`), n);
    rows.push({
      id: `n${n}`,
      label: `strata synth, ${n} services`,
      runs: options.runs,
      command: (run) => [NODE, [STRATA, "synth", ...files, "--out", out(`n${n}`, run)]],
      env: { STRATA_COMPILE_CACHE: "on" },
      minStacks: n + 1, // one per service and the env's
    });
  }
  for (const row of rows) row.out = (run) => out(row.id, run);
  return rows;
}

/** Runs a row once; a failure is recorded on the row, never thrown. */
function runRow(row, run, ctx) {
  const [command, args] = row.command(run);
  const result = measure(command, args, { env: row.env, rssMethod: ctx.rssMethod, scratch: ctx.scratch });
  let problem;
  if (result.error) problem = `could not start ${command}: ${result.error.message}`;
  else if (result.status !== 0) problem = `exit ${result.status ?? "signal " + result.signal}`;
  else if (row.minStacks !== undefined) {
    try {
      const n = stackCount(row.out(run));
      if (n < row.minStacks) problem = `wrote ${n} stacks, expected at least ${row.minStacks}`;
      row.stacks = n;
    } catch (err) {
      problem = `no readable manifest.json in the output (${err.message})`;
    }
  }
  if (row.minStacks !== undefined) rmSync(row.out(run), { recursive: true, force: true });
  if (problem) {
    row.failure = row.failure ?? { problem, stderr: result.stderr.trim().split("\n").slice(-15).join("\n") };
    return;
  }
  if (run !== "warmup") {
    row.seconds.push(result.seconds);
    if (result.cpuSeconds !== undefined) row.cpuSeconds.push(result.cpuSeconds);
    if (result.rssKb !== undefined) row.rssKb = Math.max(row.rssKb ?? 0, result.rssKb);
  }
}

// ---------------------------------------------------------------------------
// Determinism: the examples synthesized from two folders with different
// absolute paths and cwd. Run A reads the bundled examples (no FILE); run B
// reads copies of them deeper in another folder, named by relative paths.
// The same manifests and --out must give byte-identical stacks.

function listFiles(root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(root, full).split("\\").join("/"));
    }
  };
  walk(root);
  return out.sort();
}

function checkDeterminism(ctx) {
  const cwdA = join(ctx.scratch, "det-a");
  const cwdB = join(ctx.scratch, "det-b", "somewhere", "much", "deeper");
  mkdirSync(cwdA, { recursive: true });
  mkdirSync(cwdB, { recursive: true });
  cpSync(join(ROOT, "examples"), join(cwdB, "examples"), { recursive: true });
  const copies = listFiles(join(cwdB, "examples"))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `examples/${f}`);
  const problems = [];
  for (const [cwd, files] of [
    [cwdA, []],
    [cwdB, copies],
  ]) {
    const r = measure(NODE, [STRATA, "synth", ...files, "--out", "cdktf.out"], { cwd, rssMethod: ctx.rssMethod, scratch: ctx.scratch });
    if (r.status !== 0) problems.push(`synth in ${cwd} failed (exit ${r.status}): ${r.stderr.trim().split("\n").pop()}`);
  }
  let compared = 0;
  if (problems.length === 0) {
    const outA = join(cwdA, "cdktf.out");
    const outB = join(cwdB, "cdktf.out");
    const relevant = (f) => f === "manifest.json" || /^stacks\/[^/]+\/cdk\.tf\.json$/.test(f);
    const filesA = listFiles(outA).filter(relevant);
    const filesB = listFiles(outB).filter(relevant);
    if (filesA.join("\n") !== filesB.join("\n")) problems.push(`different file sets: [${filesA}] against [${filesB}]`);
    if (!filesA.includes("manifest.json") || filesA.length < 2) problems.push(`expected manifest.json and stacks, got [${filesA}]`);
    for (const f of filesA.filter((x) => filesB.includes(x))) {
      compared++;
      if (!readFileSync(join(outA, f)).equals(readFileSync(join(outB, f)))) problems.push(`${f} differs`);
    }
  }
  return { ok: problems.length === 0, compared, problems };
}

// ---------------------------------------------------------------------------
// Report

function median(values) {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function fmt(value, digits) {
  return value === undefined || Number.isNaN(value) ? "-" : value.toFixed(digits);
}

function renderTable(header, lines) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const numeric = [false, true, true, true, false, false, false];
  const row = (cells) =>
    cells.map((c, i) => (numeric[i] ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join("  ").trimEnd();
  return [row(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(row)].join("\n");
}

function buildReport(rows, determinism) {
  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  const t = (id) => (byId[id].failure ? undefined : median(byId[id].seconds));
  const ratio = (a, b) => (a === undefined || b === undefined ? undefined : a / b);
  const met = (value, ok) => (value === undefined ? "n/a" : ok(value) ? "yes" : "NO");

  const strataOverBare = ratio(t("examples"), t("bare"));
  const cdktfOverStrata = ratio(t("cdktf"), t("examples"));
  const scaleRatio = ratio(t("n400"), t("n100"));
  const cdktfWithoutBuild = t("cdktf") === undefined || t("build") === undefined ? undefined : t("cdktf") - t("build");
  const extra = {
    floor: {},
    bare: { ratio: `${fmt(ratio(t("bare"), t("floor")), 1)} x floor` },
    examples: { ratio: `${fmt(strataOverBare, 2)} strata/bare`, goal: "<= 1.3", met: met(strataOverBare, (v) => v <= 1.3) },
    nocache: { ratio: `${fmt(ratio(t("nocache"), t("bare")), 2)} strata/bare` },
    cdktf: { ratio: `${fmt(cdktfOverStrata, 1)} cdktf/strata`, goal: ">= 8", met: met(cdktfOverStrata, (v) => v >= 8) },
    build: { ratio: `${fmt(ratio(cdktfWithoutBuild, t("examples")), 1)} cdktf/strata without it` },
    n25: {},
    n100: {},
    n400: { ratio: `${fmt(scaleRatio, 2)} t(400)/t(100)`, goal: "<= 4.4", met: met(scaleRatio, (v) => v <= 4.4) },
  };

  const lines = [];
  for (const row of rows) {
    const e = extra[row.id] ?? {};
    const status = row.failure ? "CRASH" : e.met ?? "";
    lines.push([
      row.showStacks && row.stacks !== undefined ? `${row.label}, ${row.stacks} stacks` : row.label,
      row.failure ? "-" : fmt(median(row.seconds), 3),
      row.seconds.length,
      fmt(row.rssKb === undefined ? undefined : row.rssKb / 1024, 1),
      e.ratio ?? "",
      e.goal ?? "",
      status,
    ]);
    if (row.id === "n400") {
      const t400 = t("n400");
      lines.push(["  400 services, wall time", fmt(t400, 3), row.seconds.length, "", "", "< 3.0 s", met(t400, (v) => v < 3)]);
    }
  }
  lines.push([
    "determinism: examples in 2 folders",
    "",
    2,
    "",
    `${determinism.compared} files compared`,
    "byte-identical",
    determinism.ok ? "PASS" : "FAIL",
  ]);
  return renderTable(["row", "median s", "runs", "peak RSS MB", "ratio", "goal", "met?"], lines);
}

/**
 * Whether the strata rows ran with the code cache: loads the synth command's
 * modules in a child with the cache on and reports what it served.
 */
function codeCacheStatus() {
  try {
    const { probeCompileCache } = require(join(ROOT, "dist", "src", "compile-cache-build.js"));
    const s = probeCompileCache();
    if (s.mode === "off") return `code cache: NOT in use (${s.why}); the strata rows ran without it`;
    const total = s.served + s.rejected + s.missed;
    const note = s.rejected > 0 || s.served === 0 ? "; the strata rows ran partly or wholly WITHOUT it" : "";
    return (
      `code cache: ${s.served} of the ${total} modules strata's CLI loads at start-up came from it` +
      ` (${s.rejected} refused by V8; ${s.missed} left to Node's loader: ${s.missedModules.join(", ") || "none"})${note}`
    );
  } catch (err) {
    return `code cache: could not tell (${err.message})`;
  }
}

function details(rows, load, rssMethod) {
  const lines = ["every measured run, wall seconds; then the fastest run, and the median CPU seconds (user + system, whole process tree):"];
  for (const row of rows) {
    const wall = row.seconds.map((x) => x.toFixed(3)).join(" ");
    const min = row.seconds.length > 0 ? Math.min(...row.seconds) : undefined;
    lines.push(`  ${row.id.padEnd(8)} ${wall.padEnd(42)} min ${fmt(min, 3)}  cpu ${fmt(median(row.cpuSeconds), 3)}`);
  }
  const t100 = median(rows.find((r) => r.id === "n100").seconds);
  const t400 = median(rows.find((r) => r.id === "n400").seconds);
  if (t100 !== undefined && t400 !== undefined) {
    lines.push(`  marginal wall time per service between 100 and 400: ${(((t400 - t100) / 300) * 1000).toFixed(2)} ms`);
  }
  lines.push(
    rssMethod === "gnu-time"
      ? `  ${codeCacheStatus()}`
      : `  code cache: NOT in use in the strata rows: peak RSS came from a --require preload (no ${GNU_TIME}), and a preload turns the cache off`,
  );
  const busy = load.max > 1 + cpus().length * 0.5;
  lines.push(
    `  load average (1 min) during the bench: ${load.samples.map((l) => l.toFixed(2)).join(", ")} on ${cpus().length} cores` +
      (busy ? "; the machine was busy, so wall times are noisy (compare CPU times)" : ""),
  );
  return lines.join("\n");
}

/** The 1-minute load average before the bench and after each round (the bench itself adds about 1). */
function loadTracker() {
  const samples = [];
  return {
    samples,
    sample() {
      samples.push(loadavg()[0]);
    },
    get max() {
      return Math.max(...samples);
    },
  };
}

// ---------------------------------------------------------------------------

function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, "dist", "src", "cli.js"))) {
    process.stderr.write("bench: dist/ is missing; run `npm run bench` (it builds first) or `npx tsc -p .`\n");
    return 1;
  }
  const began = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), "strata-bench-"));
  try {
    const rssMethod = detectRssMethod(scratch);
    const ctx = { scratch, rssMethod };
    const rows = defineRows(scratch, options);
    for (const row of rows) {
      row.seconds = [];
      row.cpuSeconds = [];
    }

    process.stderr.write(`bench: warm-up, then interleaved rounds (peak RSS via ${rssMethod === "gnu-time" ? GNU_TIME : "a preload"})\n`);
    const load = loadTracker();
    load.sample();
    for (const row of rows) runRow(row, "warmup", ctx);
    const rounds = Math.max(...rows.map((r) => r.runs));
    for (let round = 0; round < rounds; round++) {
      process.stderr.write(`bench: round ${round + 1}/${rounds}\n`);
      for (const row of rows) if (round < row.runs && !row.failure) runRow(row, round, ctx);
      load.sample();
    }
    const determinism = checkDeterminism(ctx);

    process.stdout.write("\n" + buildReport(rows, determinism) + "\n\n" + details(rows, load, rssMethod) + "\n");
    let status = 0;
    for (const row of rows.filter((r) => r.failure)) {
      process.stdout.write(`\nCRASH ${row.label}: ${row.failure.problem}\n${row.failure.stderr}\n`);
      status = 1;
    }
    if (!determinism.ok) {
      process.stdout.write(`\ndeterminism FAIL:\n  ${determinism.problems.join("\n  ")}\n`);
      status = 1;
    }
    const statusNote = status === 0 ? "speed goals are reported, not enforced" : "failed";
    process.stdout.write(`\nbench took ${((Date.now() - began) / 1000).toFixed(0)} s; ${statusNote}\n`);
    return status;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

process.exitCode = main();
