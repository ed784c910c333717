import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { run } from "../src/cli";
import { environmentSchema, serviceSchema } from "../src/manifest/schema";
import { exampleFiles } from "../src/paths";
import { sharedDir } from "./support/shared";

const ROOT = resolve(__dirname, "..");

function editorValidator() {
  // As an editor would: the draft 2020-12 meta-schema, our annotation allowed.
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addKeyword({ keyword: "x-allowed", schemaType: "string" });
  return {
    environment: ajv.compile(environmentSchema()),
    service: ajv.compile(serviceSchema()),
  };
}

describe("the published JSON Schemas", () => {
  test.each([
    ["environment", environmentSchema],
    ["service", serviceSchema],
  ] as const)("schema/%s.json is what the code generates (run `npm run schema` after a rule change)", (kind, make) => {
    const committed = readFileSync(join(ROOT, `schema/${kind}.json`), "utf8");

    expect(committed).toBe(JSON.stringify(make(), null, 2) + "\n");
  });

  test("strata schema prints the same documents", async () => {
    let out = "";
    const io = { cwd: ROOT, out: (t: string) => (out += t), err: () => undefined };

    expect(await run(["schema", "service"], io)).toBe(0);
    expect(out).toBe(readFileSync(join(ROOT, "schema/service.json"), "utf8"));
  });

  test("every example names its schema in a yaml-language-server line that resolves", () => {
    for (const file of exampleFiles()) {
      const first = readFileSync(file, "utf8").split("\n")[0];
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);

      expect([file, match !== null]).toEqual([file, true]);
      const kind = "org_name" in parse(readFileSync(file, "utf8")) ? "environment" : "service";
      expect(resolve(dirname(file), match![1])).toBe(join(ROOT, `schema/${kind}.json`));
    }
  });

  test("an editor using the schemas accepts the examples and the valid opta fixtures", () => {
    const validators = editorValidator();
    const opta = join(sharedDir(), "fixtures/opta");
    const files = [
      ...exampleFiles(),
      join(opta, "ci-aws/environment.yml"),
      join(opta, "ci-aws/service-redis.yml"),
      join(opta, "generated-aws/module-redis.yaml"),
      join(opta, "getting-started/aws_service_getting_started.yaml"),
    ];

    for (const file of files) {
      const doc = parse(readFileSync(file, "utf8"));
      const validate = "org_name" in doc ? validators.environment : validators.service;
      expect([file, validate(doc), validate.errors ?? null]).toEqual([file, true, null]);
    }
  });

  test("an editor using the schemas flags a wrong node type and an unknown key", () => {
    const { service } = editorValidator();
    const doc = {
      name: "payments",
      environments: [{ name: "staging", path: "x.yaml" }],
      modules: [{ type: "redis", node_type: "cache.t3.huge", node_typ: "x" }],
    };

    expect(service(doc)).toBe(false);
    const keywords = (service.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(keywords).toEqual(expect.arrayContaining(["/modules/0 additionalProperties", "/modules/0/node_type enum"]));
  });
});
