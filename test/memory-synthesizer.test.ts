import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as fc from "fast-check";
import { App, Aspects, IAspect, TerraformOutput, TerraformStack } from "cdktf";
import { cdktfJson, MemorySynthesizer, SynthesizedStack } from "../src/memory-synthesizer";

// The serializer cdktf 0.21 writes its files with, bundled inside cdktf.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdktfStringify = require("cdktf/node_modules/json-stable-stringify") as (
  value: unknown,
  options: { space: number },
) => string;

describe("cdktfJson", () => {
  const key = fc.oneof(fc.string(), fc.constantFrom("0", "1", "2", "10", "9", "01", "-1", "a", "B", "é", "//"));
  const value = fc.letrec((tie) => ({
    leaf: fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    ),
    node: fc.oneof({ depthSize: "small" }, tie("leaf"), tie("list"), tie("map")),
    list: fc.array(tie("node"), { maxLength: 4 }),
    map: fc.dictionary(key, tie("node"), { maxKeys: 5 }),
  }));

  test("writes what cdktf's own serializer writes", () => {
    fc.assert(
      fc.property(fc.oneof(value.map, value.list), (v) => {
        expect(cdktfJson(v)).toBe(cdktfStringify(v, { space: 2 }));
      }),
      { numRuns: 2000 },
    );
  });

  test.each([
    ["empty containers", { a: {}, b: [], c: [{}, []] }],
    ["keys that look like numbers, in text order", { "10": 1, "9": 2, "1": 3, b: 4, A: 5 }],
    ["undefined in a map and in a list", { gone: undefined, list: [undefined, 1] }],
    ["a function value", { f: () => 1, keep: true }],
    ["a value with toJSON", { when: new Date(0) }],
  ])("writes %s as cdktf does", (_, v) => {
    expect(cdktfJson(v)).toBe(cdktfStringify(v, { space: 2 }));
  });
});

describe("MemorySynthesizer", () => {
  const made: string[] = [];
  afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

  function stackWith(setup: (stack: TerraformStack) => void): { app: App; stack: TerraformStack } {
    const outdir = mkdtempSync(join(tmpdir(), "strata-memory-synth-"));
    made.push(outdir);
    const app = new App({ outdir, stackTraces: false });
    const stack = new TerraformStack(app, "demo");
    setup(stack);
    return { app, stack };
  }

  test("hands over the stack's JSON and files instead of writing them", () => {
    const { app, stack } = stackWith((s) => new TerraformOutput(s, "answer", { value: 42 }));
    const collected: SynthesizedStack[] = [];
    stack.synthesizer = new MemorySynthesizer(stack, (s) => collected.push(s));

    stack.synthesizer.synthesize({ outdir: app.outdir, manifest: app.manifest, skipValidation: true });

    expect(collected.map((s) => [s.name, [...s.files.keys()]])).toEqual([["demo", ["stacks/demo/cdk.tf.json"]]]);
    expect(collected[0].terraform.output).toEqual({ answer: { value: 42 } });
    expect(app.manifest.stacks.demo.synthesizedStackPath).toBe("stacks/demo/cdk.tf.json");
  });

  test("fails when the stack uses aspects, which it does not run", () => {
    const aspect: IAspect = { visit: () => undefined };
    const { app, stack } = stackWith((s) => Aspects.of(s).add(aspect));
    stack.synthesizer = new MemorySynthesizer(stack, () => undefined);

    expect(() => stack.synthesizer.synthesize({ outdir: app.outdir, manifest: app.manifest, skipValidation: true })).toThrow(
      "stack demo uses aspects (on demo), which strata's in-memory synthesizer does not handle",
    );
  });
});
