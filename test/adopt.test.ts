import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { run } from "../src/cli";
import { exampleFiles } from "../src/paths";
import { synth } from "../src/synth";
import { PAYMENTS, STAGING_ENV, load, workspace } from "./support/manifests";
import { sharedDir } from "./support/shared";

type Tf = Record<string, any>;

/** The payments service with its cache given an existing id. */
const ADOPTABLE = PAYMENTS.replace("    type: redis\n", "    type: redis\n    replication_group_id: opta-payments-cache-ab12\n");

function synthesize(files: Record<string, string>, entry: string[], adopt: boolean): Record<string, Tf> {
  const cwd = workspace(files);
  synth({ files: entry, cwd, outdir: "out", adopt });
  const stacks: Record<string, Tf> = {};
  for (const name of readdirSync(join(cwd, "out/stacks"))) {
    stacks[name] = JSON.parse(readFileSync(join(cwd, "out/stacks", name, "cdk.tf.json"), "utf8"));
  }
  return stacks;
}

const adopted = () =>
  synthesize({ "env/staging.yaml": STAGING_ENV, "svc/payments.yaml": ADOPTABLE }, ["svc/payments.yaml"], true);

describe("import blocks", () => {
  test("the env stack imports the key through its alias, the alias, the subnet group and the security group", () => {
    const env = adopted().staging;

    expect(env.import).toEqual([
      { to: "aws_kms_key.base_kms_key", id: "${data.aws_kms_alias.base_adopt_kms_alias.target_key_id}" },
      { to: "aws_kms_alias.base_kms_alias", id: "alias/opta-staging" },
      { to: "aws_elasticache_subnet_group.base_elasticache_subnet_group", id: "opta-staging" },
      { to: "aws_security_group.base_elasticache_security_group", id: "${data.aws_security_group.base_adopt_security_group.id}" },
    ]);
    expect(env.data.aws_kms_alias.base_adopt_kms_alias.name).toBe("alias/opta-staging");
    expect(env.data.aws_security_group.base_adopt_security_group).toMatchObject({
      name: "opta-staging-elasticache-sg",
      vpc_id: "${data.aws_vpc.base_vpc.id}",
    });
  });

  test("the service stack imports the cache by its id, the password from a sensitive variable, the namespace and the Secret", () => {
    const svc = adopted()["staging-payments"];

    expect(svc.import).toEqual([
      { to: "aws_elasticache_replication_group.cache_replication_group", id: "opta-payments-cache-ab12" },
      { to: "random_password.cache_auth_token", id: "${var.adopt_cache_auth_token}" },
      { to: "kubernetes_namespace_v1.app_namespace", id: "payments" },
      { to: "kubernetes_secret_v1.app_secret", id: "payments/secret" },
    ]);
    expect(svc.variable.adopt_cache_auth_token).toMatchObject({ type: "string", sensitive: true });
  });

  test("the given id replaces the random suffix", () => {
    const svc = adopted()["staging-payments"];

    expect(svc.resource.random_string).toBeUndefined();
    expect(svc.resource.aws_elasticache_replication_group.cache_replication_group).toMatchObject({
      replication_group_id: "opta-payments-cache-ab12",
      description: "Elasticache opta-payments-cache-ab12",
    });
  });

  test("the imported password keeps its value: nothing the import records differently replaces it", () => {
    const password = adopted()["staging-payments"].resource.random_password.cache_auth_token;

    expect(password.lifecycle.ignore_changes).toEqual(
      expect.arrayContaining(["length", "special", "upper", "lower", "numeric", "override_special"]),
    );
  });

  test("secret_name names the imported Secret", () => {
    const stacks = synthesize(
      {
        "env/staging.yaml": STAGING_ENV,
        "svc/payments.yaml": ADOPTABLE.replace("    type: k8s-service\n", "    type: k8s-service\n    secret_name: payments-cache\n"),
      },
      ["svc/payments.yaml"],
      true,
    );
    const svc = stacks["staging-payments"];

    expect(svc.resource.kubernetes_secret_v1.app_secret.metadata.name).toBe("payments-cache");
    expect(svc.import).toContainEqual({ to: "kubernetes_secret_v1.app_secret", id: "payments/payments-cache" });
  });

  test("adopt: true in the environment file does what --adopt does", () => {
    const byFlag = adopted();
    const byField = synthesize(
      { "env/staging.yaml": STAGING_ENV + "adopt: true\n", "svc/payments.yaml": ADOPTABLE },
      ["svc/payments.yaml"],
      false,
    );

    expect(byField["staging-payments"].import).toEqual(byFlag["staging-payments"].import);
    expect(byField.staging.import).toEqual(byFlag.staging.import);
  });

  test("without adoption no stack has an import block, a lookup for it or a token variable", () => {
    const cwd = workspace({});
    synth({ files: exampleFiles(), cwd, outdir: "out" });

    for (const name of readdirSync(join(cwd, "out/stacks"))) {
      const tf = JSON.parse(readFileSync(join(cwd, "out/stacks", name, "cdk.tf.json"), "utf8"));
      expect([name, tf.import, tf.variable, tf.data?.aws_kms_alias]).toEqual([name, undefined, undefined, undefined]);
    }
  });

  test("fails when an adopted cache has no replication_group_id", () => {
    const { problems } = load({ "env/staging.yaml": STAGING_ENV, "svc/payments.yaml": PAYMENTS }, ["svc/payments.yaml"], {
      adopt: true,
    });

    expect(problems).toEqual([
      "svc/payments.yaml:6:5: modules[0]: adopting environment staging needs the existing cache's replication_group_id; without it strata would create a second cache (allowed replication_group_id: the id opta gave it, e.g. opta-<service>-<module>-ab12)",
    ]);
  });

  test.each(["Opta-x", "opta--x", "opta-x-", "x".repeat(41)])("fails on replication_group_id %s", (id) => {
    const { problems } = load({
      "env/staging.yaml": STAGING_ENV,
      "svc/payments.yaml": PAYMENTS.replace("    type: redis\n", `    type: redis\n    replication_group_id: ${id}\n`),
    });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^svc\/payments\.yaml:8:27: modules\[0\]\.replication_group_id: (is not valid|is too long)/);
  });
});

describe("the first-apply changes strata --adopt prints", () => {
  async function adoptFixture(service: string, file: string, extra: string): Promise<string> {
    const opta = join(sharedDir(), "fixtures/opta", service);
    const files: Record<string, string> = {};
    for (const f of readdirSync(opta)) files[f] = readFileSync(join(opta, f), "utf8");
    files[file] = files[file].replace(/(\n\s+type: redis\n)/, `$1${extra}`);
    const cwd = workspace(files);
    let out = "";
    const status = await run(["synth", file, "--adopt"], { cwd, out: (t) => (out += t), err: () => undefined });
    expect(status).toBe(0);
    return out.slice(out.indexOf("adopt:"));
  }

  test("ci-aws: the node type is set, so only the key policy, version, window, snapshot, log and Helm labels change", async () => {
    const out = await adoptFixture("ci-aws", "service-redis.yml", "    replication_group_id: opta-ci-redis-redis-ab12\n");

    expect(out.split("\n").map((l) => l.replace(/:.*$/, ""))).toEqual([
      "adopt",
      "  awsenv-ci",
      "    aws_kms_key.base_kms_key.policy",
      "    aws_kms_key.base_kms_key.deletion_window_in_days",
      "    aws_elasticache_subnet_group.base_elasticache_subnet_group.description, tags",
      "    aws_kms_key.base_kms_key.tags",
      "    aws_security_group.base_elasticache_security_group.tags",
      "  awsenv-ci-ci-redis",
      "    aws_elasticache_replication_group.redis_replication_group.engine_version",
      "    aws_elasticache_replication_group.redis_replication_group.maintenance_window",
      "    aws_elasticache_replication_group.redis_replication_group.final_snapshot_identifier",
      "    aws_elasticache_replication_group.redis_replication_group.auth_token_update_strategy",
      "    aws_elasticache_replication_group.redis_replication_group.log_delivery_configuration",
      "    kubernetes_secret_v1.k8sservice_secret.metadata.labels, metadata.annotations",
      "",
    ]);
    expect(out).toContain('engine_version: 6.x -> 7.1 (an in-place upgrade); keep: redis_version: "6.x"');
    expect(out).toContain("final_snapshot_identifier: none -> opta-ci-redis-redis-ab12-final; keep: final_snapshot: false");
  });

  test("generated-aws: no k8s-service, and the fields set in the manifest keep opta's values", async () => {
    const out = await adoptFixture(
      "generated-aws",
      "module-redis.yaml",
      '    replication_group_id: opta-module-redis-redis-ab12\n    redis_version: "6.x"\n    final_snapshot: false\n    slow_log: {enabled: false}\n    maintenance_window: "wed:07:00-wed:08:00"\n',
    );

    expect(out).toBe(
      [
        "adopt: the first apply will change these attributes (set the field shown to keep opta's value):",
        "  awsenv-ci-tg",
        "    aws_kms_key.base_kms_key.policy: opta's statements (7, among them the autoscaling service-linked role, SNS, S3 and EventBridge) -> the account root and CloudWatch Logs, plus key_admins, key_users and extra_statements; keep: extra_statements: opta's statements for the services you still need (opta also made this key the account's default EBS key: keep its autoscaling service-linked-role and grant statements if EKS nodes get encrypted volumes from it)",
        "    aws_kms_key.base_kms_key.deletion_window_in_days: unset (AWS's 30) -> 30; keep: nothing to keep: it only matters when the key is scheduled for deletion",
        '    aws_elasticache_subnet_group.base_elasticache_subnet_group.description, tags: "Managed by Terraform", opta\'s tags -> "Private subnets of env awsenv-ci-tg, for ElastiCache", Name and terraform tags; keep: nothing keeps them; both change in place',
        "    aws_kms_key.base_kms_key.tags: opta's tags (generate-terraform also added opta, layer and tf_address) -> Name and terraform, plus default_tags; keep: default_tags: the tags you want on everything",
        "    aws_security_group.base_elasticache_security_group.tags: opta's tags (generate-terraform also added opta, layer and tf_address) -> Name and terraform, plus default_tags; keep: default_tags: the tags you want on everything",
        "  awsenv-ci-tg-module-redis",
        "    aws_elasticache_replication_group.redis_replication_group.auth_token_update_strategy: unset (AWS never returns the token, so the import records none) -> ROTATE, with the same token; keep: nothing to keep: the token itself does not change",
        "",
      ].join("\n"),
    );
  });

  test("a cache whose node type opta defaulted shows the node type change", async () => {
    const out = await adoptFixture("generated-aws", "module-redis.yaml", "    replication_group_id: opta-module-redis-redis-ab12\n");

    expect(out).not.toContain("node_type"); // the fixture sets cache.t3.micro
    const cwd = workspace({ "env/staging.yaml": STAGING_ENV, "svc/payments.yaml": ADOPTABLE.replace("    node_type: cache.t3.medium\n", "") });
    let text = "";
    await run(["synth", "svc/payments.yaml", "--adopt"], { cwd, out: (t) => (text += t), err: () => undefined });
    expect(text).toContain("node_type: cache.m4.large -> cache.m6g.large; keep: node_type: cache.m4.large");
  });
});

describe("after adoption", () => {
  test("the password keeps its ignore rules when --adopt is dropped, so it is not replaced", () => {
    const later = synthesize({ "env/staging.yaml": STAGING_ENV, "svc/payments.yaml": ADOPTABLE }, ["svc/payments.yaml"], false)[
      "staging-payments"
    ];

    expect(later.import).toBeUndefined();
    expect(later.resource.random_password.cache_auth_token.lifecycle.ignore_changes).toEqual(
      adopted()["staging-payments"].resource.random_password.cache_auth_token.lifecycle.ignore_changes,
    );
  });
});
