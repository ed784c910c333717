/**
 * Property: whatever a user does to a manifest (drops, renames or retypes a
 * key, swaps values, lengthens strings, breaks the YAML), strata never
 * crashes and never prints a stack trace. It either synthesizes or reports
 * at least one positioned problem. Seeded, so a failure reproduces; set
 * STRATA_FUZZ_RUNS and STRATA_FUZZ_SEED to explore further.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as fc from "fast-check";
import { App } from "cdktf";
import { parse, stringify } from "yaml";
import { assemble } from "../src/assemble";
import { loadProject } from "../src/manifest/load";
import { exampleFiles, packageRoot } from "../src/paths";
import { ManifestError, formatProblem } from "../src/problems";
import { workspace } from "./support/manifests";

const RUNS = Number(process.env.STRATA_FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.STRATA_FUZZ_SEED ?? 20261204);

type Path = (string | number)[];

const examplesRoot = join(packageRoot(), "examples");
const originals = exampleFiles().map((f) => ({ rel: relative(examplesRoot, f), text: readFileSync(f, "utf8") }));

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([...prefix, i], ...pathsOf(v, [...prefix, i]));
    });
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...pathsOf(v, [...prefix, k]));
  }
  return out;
}

function parentOf(doc: unknown, path: Path): [any, string | number] | undefined {
  let node: any = doc;
  for (const part of path.slice(0, -1)) {
    if (node === null || typeof node !== "object") return undefined;
    node = node[part];
  }
  return node !== null && typeof node === "object" ? [node, path[path.length - 1]] : undefined;
}

const WRONG_VALUES: unknown[] = [null, 0, -1, 1.5, 1e21, true, "", " ", "x".repeat(300), [], {}, [1, 2], { a: 1 }, "{env", "}", "{vars.nope}", "{{x}}", "-", "UPPER"];

type Mutation =
  | { kind: "drop"; pick: number }
  | { kind: "rename"; pick: number; suffix: string }
  | { kind: "retype"; pick: number; value: number }
  | { kind: "swap"; pick: number; other: number }
  | { kind: "lengthen"; pick: number; times: number }
  | { kind: "text"; at: number; insert: string; remove: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("drop" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("rename" as const), pick: fc.nat(), suffix: fc.constantFrom("s", "_", "-x", "") }),
  fc.record({ kind: fc.constant("retype" as const), pick: fc.nat(), value: fc.nat(WRONG_VALUES.length - 1) }),
  fc.record({ kind: fc.constant("swap" as const), pick: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant("lengthen" as const), pick: fc.nat(), times: fc.integer({ min: 2, max: 40 }) }),
  fc.record({
    kind: fc.constant("text" as const),
    at: fc.nat(),
    insert: fc.constantFrom(":", "- ", "{", "}", "[", "]", "\t", "  ", "\n", "#", "'", '"', "&a ", "*a", "!!str ", "? ", "\n---\n", "\u0000", "é"),
    remove: fc.nat(5),
  }),
);

/** Applies a mutation; text mutations work on the YAML, the rest on the data. */
function mutate(text: string, m: Mutation): string {
  if (m.kind === "text") {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + m.insert + text.slice(at + m.remove);
  }
  let doc: unknown;
  try {
    doc = parse(text, { logLevel: "error" }); // the generator's own parse: its warnings are not strata's
  } catch {
    return text; // already broken by an earlier text mutation
  }
  const paths = pathsOf(doc);
  if (paths.length === 0) return text;
  const path = paths[m.pick % paths.length];
  const found = parentOf(doc, path);
  if (!found) return text;
  const [parent, key] = found;
  switch (m.kind) {
    case "drop":
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case "rename":
      if (!Array.isArray(parent)) {
        parent[`${String(key)}${m.suffix}`] = parent[key];
        if (m.suffix !== "") delete parent[key];
      }
      break;
    case "retype":
      parent[key] = WRONG_VALUES[m.value];
      break;
    case "swap": {
      const other = parentOf(doc, paths[m.other % paths.length]);
      if (other) [parent[key], other[0][other[1]]] = [other[0][other[1]], parent[key]];
      break;
    }
    case "lengthen":
      if (typeof parent[key] === "string") parent[key] = parent[key].repeat(m.times);
      break;
  }
  return stringify(doc);
}

test(`${RUNS} mutated manifests never crash and always say where the problem is`, () => {
  const started = process.hrtime.bigint();
  let synthesized = 0;
  let rejected = 0;

  fc.assert(
    fc.property(fc.nat(originals.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (which, mutations) => {
      const files: Record<string, string> = {};
      for (const o of originals) files[o.rel] = o.text;
      const target = originals[which].rel;
      files[target] = mutations.reduce(mutate, files[target]);
      const cwd = workspace(files);
      mkdirSync(join(cwd, "out"), { recursive: true });

      try {
        const { project } = loadProject(Object.keys(files), { cwd });
        const app = new App({ outdir: join(cwd, "out"), stackTraces: false });
        assemble(app, project);
        app.synth();
        synthesized++;
      } catch (err) {
        if (!(err instanceof ManifestError)) throw err;
        expect(err.problems.length).toBeGreaterThan(0);
        for (const p of err.problems) {
          const line = formatProblem(p);
          expect(line).toMatch(/^[^:\n]+:\d+:\d+: \S.*$/);
          expect(p.line).toBeGreaterThanOrEqual(1);
          expect(p.column).toBeGreaterThanOrEqual(1);
          expect(line).not.toMatch(/\n\s+at /);
        }
        rejected++;
      }
    }),
    { numRuns: RUNS, seed: SEED },
  );

  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // One line in the test log: how many, how long.
  process.stdout.write(
    `fuzz: ${RUNS} mutated manifests (seed ${SEED}): ${synthesized} synthesized, ${rejected} rejected with positioned problems, in ${seconds.toFixed(1)} s\n`,
  );
  expect(synthesized + rejected).toBe(RUNS);
  expect(rejected).toBeGreaterThan(RUNS / 4);
  expect(synthesized).toBeGreaterThan(0);
}, 300_000);
