"use strict";
/**
 * Start-up cost of every module a process loads, measured by wrapping the
 * CommonJS loader: preload it with `node --require ./bench/require-times.js`.
 * At exit it prints (to the file named by STRATA_BENCH_REQUIRE_REPORT, else
 * stderr):
 *   - per package (or project file): files loaded and self time, i.e. reading,
 *     compiling and running the package's own files, without what they load;
 *   - each require from strata's own files into a package, with its inclusive
 *     time: what that one import line costs.
 * Times are wall clock and include the wrapper's small overhead.
 */
const Module = require("node:module");
const { appendFileSync } = require("node:fs");
const { resolve, sep } = require("node:path");

const ROOT = resolve(__dirname, "..");
const bySource = new Map(); // package or project file -> { files, selfMs }
const fromProject = []; // { from, request, ms }
const stack = []; // open loads: { childMs }
const seen = new Set();

function groupOf(file) {
  if (!file || !file.includes(sep)) return `node:${file}`;
  const parts = file.split(sep);
  const nm = parts.lastIndexOf("node_modules");
  if (nm >= 0 && nm + 1 < parts.length) {
    const first = parts[nm + 1];
    return first.startsWith("@") ? `${first}/${parts[nm + 2]}` : first;
  }
  return file.startsWith(ROOT + sep) ? file.slice(ROOT.length + 1) : file;
}

const isProject = (group) => /^(dist|bin)\//.test(group);

const originalLoad = Module._load;
Module._load = function timedLoad(request, parent, isMain) {
  let filename;
  try {
    filename = Module._resolveFilename(request, parent, isMain);
  } catch {
    return originalLoad.apply(this, arguments);
  }
  if (seen.has(filename) || !filename.includes(sep)) return originalLoad.apply(this, arguments);
  seen.add(filename);
  const frame = { childMs: 0 };
  stack.push(frame);
  const start = process.hrtime.bigint();
  try {
    return originalLoad.apply(this, arguments);
  } finally {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    stack.pop();
    if (stack.length > 0) stack[stack.length - 1].childMs += ms;
    const group = groupOf(filename);
    const entry = bySource.get(group) ?? { files: 0, selfMs: 0 };
    entry.files += 1;
    entry.selfMs += ms - frame.childMs;
    bySource.set(group, entry);
    const parentGroup = parent && parent.filename ? groupOf(parent.filename) : "";
    if (isProject(parentGroup) && !isProject(group)) {
      fromProject.push({ from: parentGroup, request, ms });
    }
  }
};

process.on("exit", () => {
  const lines = ["modules loaded, self time by package / project file:"];
  const groups = [...bySource.entries()].sort((a, b) => b[1].selfMs - a[1].selfMs);
  const total = groups.reduce((sum, [, e]) => sum + e.selfMs, 0);
  const files = groups.reduce((sum, [, e]) => sum + e.files, 0);
  lines.push(`  ${total.toFixed(0).padStart(6)} ms  ${String(files).padStart(5)} files  (all)`);
  for (const [group, e] of groups.slice(0, 25)) {
    lines.push(`  ${e.selfMs.toFixed(0).padStart(6)} ms  ${String(e.files).padStart(5)} files  ${group}`);
  }
  lines.push("", "imports from strata's files into packages, inclusive (first load only):");
  for (const r of fromProject.sort((a, b) => b.ms - a.ms).slice(0, 25)) {
    lines.push(`  ${r.ms.toFixed(0).padStart(6)} ms  ${r.request}  (from ${r.from})`);
  }
  const text = lines.join("\n") + "\n";
  const out = process.env.STRATA_BENCH_REQUIRE_REPORT;
  if (out) appendFileSync(out, text);
  else process.stderr.write(text);
});
