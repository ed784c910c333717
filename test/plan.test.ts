/**
 * `terraform plan -refresh=false` with the real AWS provider, offline, on
 * the example stack that uses every new redis option (staging-search: three
 * nodes with zones, parameters, both logs, alarms, a link URL). A plan
 * catches what validate does not: `for_each` or `count` over values known
 * only after apply. The second case proves it: the same stack with alarms
 * built over `member_clusters` passes validate and must fail the plan.
 *
 * Runs inside an empty network namespace (see support/plan.ts); the AWS
 * provider comes from the local mirror the validate tests use.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { packageRoot } from "../src/paths";
import { synth } from "../src/synth";
import { networkIsolation, projectForPlan, runIsolated } from "./support/plan";
import { copyInitialized, findAwsProviderMirror, findTerraform, writeCliConfig } from "./support/terraform";

const ALLOW_MISSING = "STRATA_ALLOW_MISSING_TERRAFORM";
const PLAN_TIMEOUT_MS = 60_000;
const STACK = "staging-search";
const GROUP = "aws_elasticache_replication_group.index_replication_group";

type Json = Record<string, any>;

const work = mkdtempSync(join(tmpdir(), "strata-plan-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function locate(): { binary: string; mirror: string; prefix: string[] } | { missing: string } {
  const binary = findTerraform();
  let mirror: string | undefined;
  let problem: string | undefined;
  try {
    mirror = findAwsProviderMirror();
  } catch (e) {
    problem = (e as Error).message;
  }
  const isolation = networkIsolation();
  const missing = [
    ...(binary ? [] : ["terraform was not found on PATH (or TERRAFORM_BINARY_NAME)"]),
    ...(problem ? [problem] : mirror ? [] : ["no filesystem mirror of the AWS provider was found"]),
    ...("missing" in isolation ? [isolation.missing] : []),
  ];
  if (missing.length > 0) return { missing: missing.join("; ") };
  return { binary: binary!, mirror: mirror!, prefix: (isolation as { prefix: string[] }).prefix };
}

const tools = locate();

/** The example stack's plan projection, and a copy broken the way issue 5 warns about. */
function prepare(): { good: string; broken: string; projected: Json } {
  const cwd = join(work, "synth");
  mkdirSync(cwd, { recursive: true });
  synth({ files: [resolve(packageRoot(), "examples/services/search.yaml")], cwd, outdir: "out" });
  const tf = JSON.parse(readFileSync(join(cwd, "out/stacks", STACK, "cdk.tf.json"), "utf8"));
  const { json } = projectForPlan(tf);

  const broken = structuredClone(json) as Json;
  const alarm = { ...broken.resource.aws_cloudwatch_metric_alarm.index_alarm_cpu_001 };
  delete alarm["//"];
  broken.resource.aws_cloudwatch_metric_alarm.cpu_per_member = {
    ...alarm,
    for_each: `\${toset(${GROUP}.member_clusters)}`,
    alarm_name: "cpu-${each.value}",
    dimensions: { CacheClusterId: "${each.value}" },
  };

  const dirs = { good: join(work, "good"), broken: join(work, "broken") };
  for (const [dir, body] of [
    [dirs.good, json],
    [dirs.broken, broken],
  ] as const) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(body, null, 2));
  }
  return { ...dirs, projected: json };
}

function planTest(name: string, body: () => Promise<void>): void {
  if (!("missing" in tools)) test(name, body, PLAN_TIMEOUT_MS);
  else if (process.env[ALLOW_MISSING] === "1") test.skip(`${name} [SKIPPED: ${tools.missing}]`, body);
  else {
    const missing = tools.missing;
    test(name, () => {
      throw new Error(`cannot run terraform plan offline: ${missing}. Set ${ALLOW_MISSING}=1 to report this as skipped`);
    });
  }
}

describe(`terraform plan -refresh=false of ${STACK}, without network`, () => {
  let results: Promise<{
    good: { code: number; stdout: string; stderr: string; plan?: Json };
    broken: { code: number; stdout: string; stderr: string; valid?: boolean };
  }>;
  let projected: Json = {};

  beforeAll(() => {
    if ("missing" in tools) return;
    const { binary, mirror, prefix } = tools;
    const cliConfig = writeCliConfig(work, mirror);
    const dirs = prepare();
    projected = dirs.projected;
    const run = (dir: string, args: string[]) => runIsolated(prefix, binary, args, dir, cliConfig);
    const plan = ["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color"];
    results = (async () => {
      const init = await run(dirs.good, ["init", "-backend=false", "-input=false", "-no-color"]);
      if (init.code !== 0) throw new Error(`terraform init failed:\n${init.stderr}${init.stdout}`);
      copyInitialized(dirs.good, dirs.broken);
      const [good, broken, validated] = await Promise.all([
        run(dirs.good, [...plan, "-out=plan.bin"]),
        run(dirs.broken, plan),
        run(dirs.broken, ["validate", "-json", "-no-color"]),
      ]);
      const valid = JSON.parse(validated.stdout).valid as boolean;
      if (good.code !== 0) return { good, broken: { ...broken, valid } };
      const shown = await run(dirs.good, ["show", "-json", "plan.bin"]);
      return { good: { ...good, plan: JSON.parse(shown.stdout) }, broken: { ...broken, valid } };
    })();
    results.catch(() => undefined); // awaited by the tests
  });

  planTest("plans every AWS resource of the stack for creation", async () => {
    const { good } = await results;

    expect({ code: good.code, stderr: good.stderr }).toEqual({ code: 0, stderr: "" });
    const changes: Json[] = good.plan!.resource_changes;
    const expected = Object.entries<Json>(projected.resource).flatMap(([type, blocks]) =>
      Object.keys(blocks).map((name) => `${type}.${name}`),
    );
    expect(changes.map((c) => c.address).sort()).toEqual(expected.sort());
    expect(changes.every((c) => c.change.actions.join() === "create")).toBe(true);
    expect(changes.filter((c) => c.type === "aws_cloudwatch_metric_alarm")).toHaveLength(14);
  });

  planTest("the alarms' node ids are the group's id and a suffix, unknown only through the id", async () => {
    const { good } = await results;
    const alarm = good.plan!.resource_changes.find((c: Json) => c.address.endsWith("index_alarm_cpu_003"));

    expect(alarm.change.after.alarm_name).toBe("strata-staging-search-index-cpu-003");
    expect(alarm.change.after_unknown.dimensions).toBe(true);
    expect(good.plan!.configuration.root_module.resources.find((r: Json) => r.address === alarm.address).expressions.dimensions.references).toEqual(
      expect.arrayContaining([`${GROUP}.id`]),
    );
  });

  planTest("fails on alarms built over member_clusters, which validate accepts", async () => {
    const { broken } = await results;

    expect(broken.valid).toBe(true);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("Invalid for_each argument");
    expect(broken.stderr).toContain(`${GROUP}.member_clusters is a set of string, known only after apply`);
  });
});
