/**
 * The shipped validators are precompiled at build time (ajv standalone code,
 * compile-validators.ts); the TypeScript sources compile the same schemas at
 * run time. Both must report exactly the same errors, since every problem
 * message is made from them.
 */
import { validatorModuleSource } from "../src/manifest/compile-validators";
import { GeneratedValidators, currentValidators, newAjv, validatorSchemas } from "../src/manifest/validate";

/** Loads the generated module's text the way Node would, without writing it anywhere. */
function loadGenerated(): GeneratedValidators {
  const module = { exports: {} as Record<string, unknown> };
  new Function("exports", "require", "module", validatorModuleSource())(module.exports, require, module);
  return module.exports as unknown as GeneratedValidators;
}

const generated = loadGenerated();
const ajv = newAjv();
const schemas = validatorSchemas();
const runtime = { environment: ajv.compile(schemas.environment), service: ajv.compile(schemas.service) };

const ENV = {
  name: "staging",
  org_name: "acme",
  providers: { aws: { region: "us-east-1", account_id: "111111111111" } },
  modules: [{ type: "base" }],
};

const SERVICE = {
  name: "payments",
  environments: [{ name: "staging", path: "../env/staging.yaml" }],
  modules: [
    { name: "app", type: "k8s-service", links: ["cache", { sessions: [{ cache_host: "SESSIONS_HOST" }] }] },
    { name: "cache", type: "redis", node_type: "cache.t4g.medium", redis_version: "7.1" },
    { name: "sessions", type: "redis", snapshot_window: "02:00-03:00", snapshot_retention_limit: 7 },
  ],
};

const envModule = (extra: Record<string, unknown>) => ({ ...ENV, modules: [{ type: "base", ...extra }] });
const cache = (extra: Record<string, unknown>) => ({ ...SERVICE, modules: [{ name: "cache", type: "redis", ...extra }] });

const cases: [string, "environment" | "service", unknown][] = [
  ["a valid environment", "environment", ENV],
  ["a valid service", "service", SERVICE],
  ["an unknown top-level key", "environment", { ...ENV, regoin: "x" }],
  ["a missing required field", "environment", { ...ENV, org_name: undefined }],
  ["a name of the wrong form and length", "environment", { ...ENV, name: "Not-Valid-".repeat(5) }],
  ["a value of the wrong type", "environment", { ...ENV, providers: { aws: { region: 42, account_id: 1 } } }],
  ["an unknown backend", "environment", { ...ENV, state: { backend: "gcs" } }],
  ["no modules", "environment", { ...ENV, modules: [] }],
  ["an unknown base key", "environment", envModule({ vpc_idd: "vpc-1" })],
  ["a bad tag key", "environment", envModule({ vpc_tags: { "aws:reserved": "x", ok: 3 } })],
  ["one subnet, repeated", "environment", envModule({ private_subnet_ids: ["subnet-0abc1234"] })],
  ["duplicate subnets", "environment", envModule({ private_subnet_ids: ["subnet-0abc1234", "subnet-0abc1234"] })],
  ["a deletion window out of range", "environment", envModule({ deletion_window_in_days: 3 })],
  ["a bad key statement", "environment", envModule({ extra_statements: [{ sid: "x y", principals: {} }] })],
  ["an unknown node type", "service", cache({ node_type: "cache.t4g.huge" })],
  ["too few nodes", "service", cache({ num_cache_clusters: 0 })],
  ["too many tags", "service", cache({ tags: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, "v"])) })],
  ["a bad snapshot window", "service", cache({ snapshot_window: "25:00-26:00" })],
  ["a bad log retention", "service", cache({ slow_log: { retention_days: 2 } })],
  ["zones for more nodes than allowed", "service", cache({ preferred_availability_zones: Array(9).fill("us-east-1a") })],
  ["an unknown module type's fields", "service", { ...SERVICE, modules: [{ type: "postgres", size: 3 }] }],
  ["an environment without its path", "service", { ...SERVICE, environments: [{ name: "staging" }] }],
  ["a k8s-service with an unknown key", "service", { ...SERVICE, modules: [{ type: "k8s-service", linkz: [] }] }],
];

describe("the precompiled validators", () => {
  test.each(cases)("report what the run-time compiled ones report for %s", (_, kind, data) => {
    const doc = JSON.parse(JSON.stringify(data));

    const ok = generated[kind](doc);

    expect(ok).toBe(runtime[kind](doc));
    expect(generated[kind].errors ?? null).toEqual(runtime[kind].errors ?? null);
  });

  test("the cases include failures of many kinds", () => {
    const keywords = new Set(
      cases.flatMap(([, kind, data]) => (runtime[kind](JSON.parse(JSON.stringify(data))) ? [] : runtime[kind].errors!.map((e) => e.keyword))),
    );

    expect([...keywords].sort()).toEqual(
      expect.arrayContaining(["additionalProperties", "enum", "maxItems", "maxProperties", "minItems", "minimum", "pattern", "required", "type", "uniqueItems"]),
    );
  });

  test("are used only when they were compiled from the current schemas", () => {
    const changed = { ...schemas, service: { ...schemas.service, title: "changed" } };

    expect(currentValidators(generated, schemas)).toEqual({ environment: generated.environment, service: generated.service });
    expect(currentValidators(generated, changed)).toBeUndefined();
  });
});
