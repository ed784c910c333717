/**
 * Every stack strata writes, checked by the real `terraform validate`: the
 * bundled examples and the opta fixture pairs in `../shared`. Offline, only
 * the AWS provider can be installed (from a local mirror), so each stack is
 * validated through its AWS-only projection and the test prints what that
 * left out.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { exampleFiles } from "../src/paths";
import { synth } from "../src/synth";
import { sharedDirPath } from "./support/shared";
import {
  AWS_PROVIDER_VERSION,
  MIRROR_ENV,
  TerraformRunner,
  ValidateResult,
  explainNotValidated,
  findAwsProviderMirror,
  findTerraform,
  formatDiagnostic,
  mirrorLayout,
  projectAwsOnly,
  terraformPlatform,
  validateAll,
  writeCliConfig,
} from "./support/terraform";

/** Set to 1 to report the terraform tests as skipped when the tools are missing. */
const ALLOW_MISSING = "STRATA_ALLOW_MISSING_TERRAFORM";

/** Every validation is queued at once; the last waits for all before it. */
const VALIDATE_TIMEOUT_MS = 180_000;

/** The opta service files that must synthesize; each pulls in its environment. */
const OPTA_SERVICES = [
  "ci-aws/service-redis.yml",
  "generated-aws/module-redis.yaml",
  "getting-started/aws_service_getting_started.yaml",
];

type Json = Record<string, unknown>;

interface StackCase {
  readonly source: string;
  readonly stack: string;
  /** The folder holding the stack's projection. */
  readonly dir: string;
  readonly notValidated: readonly string[];
}

interface BrokenSource {
  readonly source: string;
  readonly problem: string;
}

// ------------------------------------------------------------------ setup

const work = mkdtempSync(join(tmpdir(), "strata-validate-"));
const sharedDir = sharedDirPath();
const fixtureDir = join(sharedDir, "fixtures", "opta");

const tools = locateTools();
const cases: StackCase[] = [];
const broken: BrokenSource[] = [];

collect("examples", "examples", () => exampleFiles());
const fixturesMissing = !existsSync(fixtureDir);
if (!fixturesMissing) {
  for (const service of OPTA_SERVICES) {
    collect(`opta ${service}`, slug(service), () => [
      join(fixtureDir, service),
    ]);
  }
}

collect("redis options", "redis-options", () => redisOptionsManifests());
if (!fixturesMissing) collect("opta ci-aws adopted", "adopted", () => adoptedManifests(), true);

/**
 * opta's CI environment and service as a user adopting them writes them: the
 * existing cache's id added, everything else as opta had it. Validated with
 * the import blocks `--adopt` adds.
 */
function adoptedManifests(): string[] {
  const dir = join(work, "manifests", "adopted");
  mkdirSync(dir, { recursive: true });
  for (const file of ["environment.yml", "service-redis.yml"]) {
    writeFileSync(join(dir, file), readFileSync(join(fixtureDir, "ci-aws", file), "utf8"));
  }
  const service = join(dir, "service-redis.yml");
  writeFileSync(
    service,
    readFileSync(service, "utf8").replace(
      /node_type: "cache\.t3\.micro"/,
      'node_type: "cache.t3.micro"\n    replication_group_id: opta-ci-redis-redis-ab12',
    ),
  );
  return [service];
}

const negative = brokenProjection();

/**
 * A service whose caches use the redis options the examples leave out
 * (Valkey, one node, a restore, no final snapshot, changes in the
 * maintenance window, event notifications), so the provider checks them too.
 */
function redisOptionsManifests(): string[] {
  const dir = join(work, "manifests", "redis-options");
  mkdirSync(join(dir, "env"), { recursive: true });
  mkdirSync(join(dir, "svc"), { recursive: true });
  writeFileSync(
    join(dir, "env", "staging.yaml"),
    [
      "name: staging",
      "org_name: acme",
      "providers:",
      "  aws: {region: us-east-1, account_id: \"111111111111\"}",
      "modules:",
      "  - type: base",
      "",
    ].join("\n")
  );
  writeFileSync(
    join(dir, "svc", "options.yaml"),
    [
      "name: options",
      "environments:",
      "  - {name: staging, path: ../env/staging.yaml}",
      "modules:",
      "  - name: single",
      "    type: redis",
      "    engine: valkey",
      "    engine_version: \"8.1\"",
      "    num_cache_clusters: 1",
      "    parameters: {maxmemory-policy: volatile-lru}",
      "    apply_immediately: false",
      "    auto_minor_version_upgrade: false",
      "    slow_log: {enabled: false}",
      "    final_snapshot: false",
      "    restore_from_snapshot: automatic.opta-options-single-ab12-2025-01-31-04-00",
      "    notification_topic_arn: arn:aws:sns:us-east-1:111111111111:cache-events",
      "    alarms: {topic_arn: \"arn:aws:sns:us-east-1:111111111111:cache-alarms\"}",
      "  - name: legacy",
      "    type: redis",
      "    redis_version: \"6.x\"",
      "    parameters: {timeout: 0}",
      "    engine_log: {enabled: true, retention_days: 3653}",
      "    tags: {team: options}",
      "",
    ].join("\n")
  );
  return [join(dir, "svc", "options.yaml")];
}

function locateTools():
  | {
      readonly runner: Omit<TerraformRunner, "cliConfigFile">;
      readonly mirror: string;
      readonly ms: number;
    }
  | { readonly missing: string } {
  const binary = findTerraform();
  const started = process.hrtime.bigint();
  let mirror: string | undefined;
  let mirrorProblem: string | undefined;
  try {
    mirror = findAwsProviderMirror();
  } catch (e) {
    mirrorProblem = (e as Error).message;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;

  const missing: string[] = [];
  if (!binary) {
    missing.push(
      "terraform was not found: put it on PATH or set TERRAFORM_BINARY_NAME to its path"
    );
  }
  if (mirrorProblem) missing.push(mirrorProblem);
  else if (!mirror) {
    missing.push(
      `no filesystem mirror of the AWS provider ${AWS_PROVIDER_VERSION} was found ` +
        `(looked in Terraform's implied mirror folders and walked / for ${mirrorLayout()}): ` +
        `set ${MIRROR_ENV} to the folder that contains registry.terraform.io`
    );
  }
  if (missing.length > 0) return { missing: missing.join("; ") };
  return { runner: { binary: binary! }, mirror: mirror!, ms };
}

/** Synthesizes one source into the work folder and projects each of its stacks. */
function collect(source: string, name: string, files: () => string[], adopt = false): void {
  const cwd = join(work, "synth", name);
  mkdirSync(cwd, { recursive: true });
  let stacks: Record<string, { synthesizedStackPath: string }>;
  try {
    synth({ files: files(), cwd, outdir: "out", adopt });
    stacks = JSON.parse(
      readFileSync(join(cwd, "out", "manifest.json"), "utf8")
    ).stacks;
  } catch (e) {
    broken.push({ source, problem: (e as Error).message });
    return;
  }
  const names = Object.keys(stacks).sort();
  for (const stack of names) {
    const entry = stacks[stack];
    const tf = JSON.parse(
      readFileSync(join(cwd, "out", entry.synthesizedStackPath), "utf8")
    ) as Json;
    const { json, notValidated } = projectAwsOnly(tf);
    const dir = join(work, "validate", name, stack);
    writeStack(dir, json);
    cases.push({ source, stack, dir, notValidated });
  }
}

/**
 * A projection that must fail validation: the first replication group of
 * the examples, given a second sizing mode (`num_node_groups` conflicts with
 * `num_cache_clusters`) and an update strategy outside the provider's enum.
 */
function brokenProjection(): { dir: string } | { problem: string } {
  for (const c of cases.filter((x) => x.source === "examples")) {
    const json = JSON.parse(
      readFileSync(join(c.dir, "cdk.tf.json"), "utf8")
    ) as Json;
    const groups = (json.resource as Record<string, Record<string, Json>>)?.[
      "aws_elasticache_replication_group"
    ];
    const first = groups && Object.values(groups)[0];
    if (!first) continue;
    first.num_node_groups = 2;
    first.auth_token_update_strategy = "BOGUS";
    const dir = join(work, "validate", "negative", c.stack);
    writeStack(dir, json);
    return { dir };
  }
  return {
    problem:
      "no example stack has an aws_elasticache_replication_group to break; the negative test needs one",
  };
}

function writeStack(dir: string, json: Json): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
}

function slug(path: string): string {
  return path.replace(/\.ya?ml$/, "").replace(/[^A-Za-z0-9-]+/g, "-");
}

function errorsOf(result: ValidateResult): string[] {
  return result.diagnostics
    .filter((d) => d.severity === "error")
    .map(formatDiagnostic);
}

// ------------------------------------------------------------------ tests

const allowMissing = process.env[ALLOW_MISSING] === "1";
if ("missing" in tools && allowMissing) {
  console.warn(
    `\n*** SKIPPING every terraform validate test: ${tools.missing}. ` +
      `${ALLOW_MISSING}=1 is set; these stacks are NOT validated. ***\n`
  );
}

/** A terraform test: skipped (loudly) or failing when the tools are missing. */
function terraformTest(name: string, body: () => Promise<void>): void {
  if (!("missing" in tools)) {
    test(name, body, VALIDATE_TIMEOUT_MS);
  } else if (allowMissing) {
    test.skip(
      `${name} [SKIPPED: terraform or the AWS provider mirror is missing]`,
      body
    );
  } else {
    const missing = tools.missing;
    test(name, () => {
      throw new Error(
        `cannot run terraform validate: ${missing}. ` +
          `Set ${ALLOW_MISSING}=1 to report these tests as skipped instead`
      );
    });
  }
}

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("terraform validate", () => {
  const results = new Map<string, Promise<ValidateResult>>();

  beforeAll(() => {
    if ("missing" in tools) return;
    const cliConfigFile = writeCliConfig(work, tools.mirror);
    const runner = { ...tools.runner, cliConfigFile };
    const dirs = cases.map((c) => c.dir);
    if ("dir" in negative) dirs.push(negative.dir);
    const pending = validateAll(dirs, runner, Math.max(1, cpus().length));
    dirs.forEach((dir, i) => {
      pending[i].catch(() => undefined); // awaited by the test of that folder
      results.set(dir, pending[i]);
    });
    console.log(
      `terraform ${
        tools.runner.binary
      }; AWS provider mirror for ${terraformPlatform()} ` +
        `found in ${tools.ms.toFixed(0)} ms; validating ${
          dirs.length
        } folders, ` +
        `${Math.max(1, cpus().length)} at a time`
    );
  });

  if (fixturesMissing) {
    test("the opta fixtures are in ../shared", () => {
      throw new Error(
        `${fixtureDir} does not exist: the opta fixtures live in shared/ beside the ` +
          `repository (../shared from the repository root, here ${sharedDir}); ` +
          `put a copy of shared/ there`
      );
    });
  }

  for (const { source, problem } of broken) {
    test(`${source} synthesizes`, () => {
      throw new Error(`${source} did not synthesize: ${problem}`);
    });
  }

  for (const c of cases) {
    terraformTest(`${c.source}: stack ${c.stack} is valid`, async () => {
      const result = await results.get(c.dir)!;
      const groups = Object.entries(explainNotValidated(c.notValidated));
      console.log(
        groups.length === 0
          ? `${c.stack} (${c.source}): every block validated`
          : `${c.stack} (${c.source}): not validated:\n` +
              groups
                .map(([why, list]) => `  ${why}: ${list.join(", ")}`)
                .join("\n")
      );
      const warnings = result.diagnostics.filter(
        (d) => d.severity === "warning"
      );
      if (warnings.length > 0) {
        console.log(
          `${c.stack} warnings:\n  ${warnings
            .map(formatDiagnostic)
            .join("\n  ")}`
        );
      }

      expect({
        stack: c.stack,
        valid: result.valid,
        errors: errorsOf(result),
      }).toEqual({
        stack: c.stack,
        valid: true,
        errors: [],
      });
    });
  }

  terraformTest(
    "fails on a replication group the provider rejects",
    async () => {
      if ("problem" in negative) throw new Error(negative.problem);
      const result = await results.get(negative.dir)!;
      const errors = errorsOf(result);

      expect(result.valid).toBe(false);
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /num_cache_clusters.*num_node_groups|num_node_groups.*num_cache_clusters/
          ),
          expect.stringMatching(/auth_token_update_strategy.*BOGUS/),
        ])
      );
    }
  );
});

describe("projectAwsOnly", () => {
  const stack: Json = {
    "//": { metadata: { stackName: "t" } },
    terraform: {
      backend: { local: { path: "../t.tfstate" } },
      required_providers: {
        aws: { source: "aws", version: AWS_PROVIDER_VERSION },
        random: { source: "hashicorp/random", version: "3.7.2" },
      },
    },
    provider: { aws: [{ region: "us-east-1" }], random: [{}] },
    resource: {
      random_password: { pw: { length: 32, special: false } },
      random_string: { suffix: { length: 4 } },
      aws_elasticache_replication_group: {
        rg: {
          auth_token: "${random_password.pw.result}",
          replication_group_id: "opta-x-${random_string.suffix.result}",
          description: "literal $${random_password.pw.result}",
          depends_on: ["random_password.pw", "aws_kms_key.k"],
        },
      },
      aws_kms_key: { k: {} },
    },
    output: {
      token: { value: "${random_password.pw.result}", sensitive: true },
      key: { value: "${aws_kms_key.k.arn}" },
      ordered: {
        value: "${aws_kms_key.k.id}",
        depends_on: ["random_string.suffix"],
      },
    },
  };
  const { json, notValidated } = projectAwsOnly(stack);
  const group = (json.resource as Record<string, Record<string, Json>>)
    .aws_elasticache_replication_group.rg;

  test("keeps only the AWS provider, its requirement and the aws_ resources", () => {
    expect(json.provider).toEqual({ aws: [{ region: "us-east-1" }] });
    expect(json.terraform).toEqual({
      required_providers: {
        aws: { source: "aws", version: AWS_PROVIDER_VERSION },
      },
    });
    expect(Object.keys(json.resource as Json).sort()).toEqual([
      "aws_elasticache_replication_group",
      "aws_kms_key",
    ]);
  });

  test("rewrites a reference to a dropped block into a declared variable", () => {
    expect(group.auth_token).toBe("${var.random_password__pw__result}");
    expect(group.replication_group_id).toBe(
      "opta-x-${var.random_string__suffix__result}"
    );
    expect(json.variable).toEqual({
      random_password__pw__result: expect.objectContaining({
        type: "string",
        sensitive: true,
      }),
      random_string__suffix__result: expect.not.objectContaining({
        sensitive: true,
      }),
    });
    expect(
      (json.variable as Record<string, Json>).random_string__suffix__result.type
    ).toBe("string");
  });

  test("leaves escaped template text alone and drops dependencies on dropped blocks", () => {
    expect(group.description).toBe("literal $${random_password.pw.result}");
    expect(group.depends_on).toEqual(["aws_kms_key.k"]);
  });

  test("drops an output that references a dropped block", () => {
    expect(json.output).toEqual({ key: { value: "${aws_kms_key.k.arn}" } });
  });

  test("lists every dropped block", () => {
    expect(notValidated).toEqual([
      "output.ordered",
      "output.token",
      "provider.random",
      "random_password.pw",
      "random_string.suffix",
    ]);
  });

  test("does not change its input", () => {
    expect(
      (stack.resource as Record<string, Record<string, Json>>)
        .aws_elasticache_replication_group.rg.auth_token
    ).toBe("${random_password.pw.result}");
  });
});

describe("findAwsProviderMirror", () => {
  test(`uses ${MIRROR_ENV} when it holds the provider`, () => {
    const root = mkdtempSync(join(tmpdir(), "strata-mirror-"));
    try {
      const dir = join(
        root,
        "registry.terraform.io/hashicorp/aws",
        AWS_PROVIDER_VERSION,
        terraformPlatform()
      );
      mkdirSync(dir, { recursive: true });
      const binary = join(
        dir,
        `terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5`
      );
      writeFileSync(binary, "");
      chmodSync(binary, 0o755);

      expect(findAwsProviderMirror({ [MIRROR_ENV]: root })).toBe(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test(`fails when ${MIRROR_ENV} does not hold the provider`, () => {
    const root = mkdtempSync(join(tmpdir(), "strata-mirror-"));
    try {
      expect(() => findAwsProviderMirror({ [MIRROR_ENV]: root })).toThrow(
        `${MIRROR_ENV}=${root} does not hold ${mirrorLayout()}`
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
