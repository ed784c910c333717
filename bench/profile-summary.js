"use strict";
/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof`) and prints where the time
 * went: self time per package or project file, inclusive time per package
 * (each sample counted once for every package on its stack), the functions
 * with the most self time, and the inclusive time of strata's own functions.
 *
 * Usage: node bench/profile-summary.js FILE.cpuprofile... [--top N] [--focus GROUP]
 *   --focus GROUP  list the inclusive time of GROUP's functions (a package
 *                  such as cdktf, or a project file) instead of strata's
 */
const { readFileSync } = require("node:fs");
const { resolve, sep } = require("node:path");
const { fileURLToPath } = require("node:url");

const ROOT = resolve(__dirname, "..");

/** Where a call frame's code lives: a package, a project file, or a part of Node/V8. */
function groupOf(frame) {
  const url = frame.url;
  if (!url) return frame.functionName || "(unknown)";
  if (url.startsWith("node:internal/modules")) return "node: module loader";
  if (url.startsWith("node:")) return "node: other built-ins";
  let file = url;
  if (url.startsWith("file://")) file = fileURLToPath(url);
  const parts = file.split(sep);
  const nm = parts.lastIndexOf("node_modules");
  if (nm >= 0 && nm + 1 < parts.length) {
    const first = parts[nm + 1];
    return first.startsWith("@") && nm + 2 < parts.length ? `${first}/${parts[nm + 2]}` : first;
  }
  return file.startsWith(ROOT + sep) ? file.slice(ROOT.length + 1) : file;
}

function isProjectFile(group) {
  return /^(dist|bin|src|modules)\//.test(group);
}

/** Self time of each sample: the gap to the next sample (the last one runs to endTime). */
function sampleDurations(profile) {
  const n = profile.samples.length;
  const stamps = new Array(n);
  let t = profile.startTime;
  for (let i = 0; i < n; i++) {
    t += profile.timeDeltas[i];
    stamps[i] = t;
  }
  const durations = new Array(n);
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? stamps[i + 1] : profile.endTime;
    durations[i] = Math.max(0, next - stamps[i]);
  }
  return durations;
}

function summarize(profile, focus) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const durations = sampleDurations(profile);
  const selfByGroup = new Map();
  const inclusiveByGroup = new Map();
  const selfByFunction = new Map();
  const inclusiveByProjectFunction = new Map();
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);

  for (let i = 0; i < profile.samples.length; i++) {
    const us = durations[i];
    const leaf = byId.get(profile.samples[i]);
    const frame = leaf.callFrame;
    add(selfByGroup, groupOf(frame), us);
    add(selfByFunction, functionKey(frame), us);

    const groupsSeen = new Set();
    const functionsSeen = new Set();
    for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id).callFrame;
      const group = groupOf(f);
      if (!f.url) continue; // (root), (program), (garbage collector): no stack above them
      groupsSeen.add(group);
      if ((focus ? group === focus : isProjectFile(group)) && f.functionName) functionsSeen.add(functionKey(f));
    }
    for (const g of groupsSeen) add(inclusiveByGroup, g, us);
    for (const fn of functionsSeen) add(inclusiveByProjectFunction, fn, us);
  }
  const total = durations.reduce((a, b) => a + b, 0);
  return { total, selfByGroup, inclusiveByGroup, selfByFunction, inclusiveByProjectFunction };
}

/** A file as short as it can be while still telling files apart: from the package name, or from the project root. */
function shortFile(url) {
  if (!url.startsWith("file://")) return url;
  const file = fileURLToPath(url);
  const nm = file.lastIndexOf(`${sep}node_modules${sep}`);
  if (nm >= 0) return file.slice(nm + "/node_modules/".length);
  return file.startsWith(ROOT + sep) ? file.slice(ROOT.length + 1) : file;
}

function functionKey(frame) {
  const where = frame.url ? `${shortFile(frame.url)}:${frame.lineNumber + 1}` : "";
  return `${frame.functionName || "(anonymous)"}${where ? "  " + where : ""}`;
}

function table(title, map, total, top) {
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = [`${title}`];
  for (const [key, us] of rows) {
    lines.push(`  ${(us / 1000).toFixed(0).padStart(7)} ms  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
  }
  return lines.join("\n");
}

function report(file, top = 20, focus = undefined) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const s = summarize(profile, focus);
  const wall = (profile.endTime - profile.startTime) / 1000;
  return [
    `profile ${file}`,
    `  ${profile.samples.length} samples, ${(s.total / 1000).toFixed(0)} ms sampled, ${wall.toFixed(0)} ms wall`,
    table("self time by package / file:", s.selfByGroup, s.total, top),
    table("inclusive time by package / file (a sample counts once for each on its stack):", s.inclusiveByGroup, s.total, top),
    table("functions with the most self time:", s.selfByFunction, s.total, top),
    table(
      focus ? `functions of ${focus}, inclusive:` : "strata's own functions, inclusive:",
      s.inclusiveByProjectFunction,
      s.total,
      top,
    ),
  ].join("\n\n");
}

module.exports = { report, summarize, groupOf };

if (require.main === module) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf("--top");
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 20;
  const focusAt = args.indexOf("--focus");
  const focus = focusAt >= 0 ? args.splice(focusAt, 2)[1] : undefined;
  if (args.length === 0 || !(top > 0)) {
    process.stderr.write("usage: node bench/profile-summary.js FILE.cpuprofile... [--top N] [--focus GROUP]\n");
    process.exit(2);
  }
  for (const file of args) process.stdout.write(report(file, top, focus) + "\n\n");
}
