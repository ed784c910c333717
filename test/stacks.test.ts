import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synth } from "../src/synth";
import { exampleFiles } from "../src/paths";
import { formatWarning } from "../src/problems";
import { ManifestError, formatProblem } from "../src/problems";
import { sharedDir } from "./support/shared";

type Tf = Record<string, any>;

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function synthesize(files: string[], extra: { env?: string } = {}) {
  const cwd = mkdtempSync(join(tmpdir(), "strata-stacks-"));
  made.push(cwd);
  const result = synth({ files, cwd, outdir: "out", ...extra });
  const stacks: Record<string, Tf> = {};
  for (const name of readdirSync(join(cwd, "out/stacks"))) {
    stacks[name] = JSON.parse(readFileSync(join(cwd, "out/stacks", name, "cdk.tf.json"), "utf8"));
  }
  return { cwd, result, stacks };
}

/** Every Terraform address of a stack, `type.name` and `data.type.name`. */
function addresses(tf: Tf): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries(tf.resource ?? {})) {
    for (const name of Object.keys(byName as object)) out.push(`${type}.${name}`);
  }
  for (const [type, byName] of Object.entries(tf.data ?? {})) {
    for (const name of Object.keys(byName as object)) out.push(`data.${type}.${name}`);
  }
  return out.sort();
}

describe("the bundled examples", () => {
  const { stacks } = synthesize(exampleFiles());

  // Terraform addresses are part of the contract: changing one replaces a
  // cache, a password or a namespace. A change to this list needs `moved`
  // blocks in the same change.
  test("produce exactly these Terraform addresses", () => {
    expect(Object.fromEntries(Object.entries(stacks).map(([n, tf]) => [n, addresses(tf)]))).toEqual({
      production: [
        "aws_elasticache_subnet_group.base_elasticache_subnet_group",
        "aws_kms_alias.base_kms_alias",
        "aws_kms_key.base_kms_key",
        "aws_security_group.base_elasticache_security_group",
        "data.aws_iam_role.base_iam_role_payments-app",
        "data.aws_iam_role.base_iam_role_platform-admins",
        "data.aws_subnet.base_private_subnet",
        "data.aws_subnets.base_private_subnets",
        "data.aws_vpc.base_vpc",
      ],
      "production-payments": [
        "aws_cloudwatch_log_group.cache_slow_log",
        "aws_cloudwatch_log_group.sessions_slow_log",
        "aws_elasticache_replication_group.cache_replication_group",
        "aws_elasticache_replication_group.sessions_replication_group",
        "data.aws_kms_key.env_kms_key",
        "data.aws_security_group.env_security_group",
        "data.aws_vpc.env_vpc",
        "kubernetes_namespace_v1.app_namespace",
        "kubernetes_secret_v1.app_secret",
        "random_password.cache_auth_token",
        "random_password.sessions_auth_token",
        "random_string.cache_id_suffix",
        "random_string.sessions_id_suffix",
      ],
      "production-state-bootstrap": [
        "aws_s3_bucket.state_bucket",
        "aws_s3_bucket_policy.state_bucket_policy",
        "aws_s3_bucket_public_access_block.state_bucket_public_access",
        "aws_s3_bucket_server_side_encryption_configuration.state_bucket_encryption",
        "aws_s3_bucket_versioning.state_bucket_versioning",
      ],
      staging: [
        "aws_elasticache_subnet_group.base_elasticache_subnet_group",
        "aws_kms_alias.base_kms_alias",
        "aws_kms_key.base_kms_key",
        "aws_security_group.base_elasticache_security_group",
        "data.aws_subnet.base_private_subnet",
        "data.aws_subnets.base_private_subnets",
        "data.aws_vpc.base_vpc",
      ],
      "staging-payments": [
        // Added with the slow log, on by default (issue 5).
        "aws_cloudwatch_log_group.cache_slow_log",
        "aws_cloudwatch_log_group.sessions_slow_log",
        "aws_elasticache_replication_group.cache_replication_group",
        "aws_elasticache_replication_group.sessions_replication_group",
        "data.aws_eks_cluster.env_eks_cluster",
        "data.aws_kms_key.env_kms_key",
        "data.aws_security_group.env_security_group",
        "data.aws_vpc.env_vpc",
        "kubernetes_namespace_v1.app_namespace",
        "kubernetes_secret_v1.app_secret",
        "random_password.cache_auth_token",
        "random_password.sessions_auth_token",
        "random_string.cache_id_suffix",
        "random_string.sessions_id_suffix",
      ],
      "staging-search": [
        // Added with the example's logs, alarms (3 nodes: 4 per node, lag
        // per replica) and parameters (issue 5).
        "aws_cloudwatch_log_group.index_engine_log",
        "aws_cloudwatch_log_group.index_slow_log",
        "aws_cloudwatch_metric_alarm.index_alarm_connections_001",
        "aws_cloudwatch_metric_alarm.index_alarm_connections_002",
        "aws_cloudwatch_metric_alarm.index_alarm_connections_003",
        "aws_cloudwatch_metric_alarm.index_alarm_cpu_001",
        "aws_cloudwatch_metric_alarm.index_alarm_cpu_002",
        "aws_cloudwatch_metric_alarm.index_alarm_cpu_003",
        "aws_cloudwatch_metric_alarm.index_alarm_evictions_001",
        "aws_cloudwatch_metric_alarm.index_alarm_evictions_002",
        "aws_cloudwatch_metric_alarm.index_alarm_evictions_003",
        "aws_cloudwatch_metric_alarm.index_alarm_memory_001",
        "aws_cloudwatch_metric_alarm.index_alarm_memory_002",
        "aws_cloudwatch_metric_alarm.index_alarm_memory_003",
        "aws_cloudwatch_metric_alarm.index_alarm_replication_lag_002",
        "aws_cloudwatch_metric_alarm.index_alarm_replication_lag_003",
        "aws_elasticache_parameter_group.index_parameter_group",
        "aws_elasticache_replication_group.index_replication_group",
        "data.aws_eks_cluster.env_eks_cluster",
        "data.aws_kms_key.env_kms_key",
        "data.aws_security_group.env_security_group",
        "data.aws_vpc.env_vpc",
        "kubernetes_secret_v1.api_secret",
        "random_password.index_auth_token",
        "random_string.index_id_suffix",
      ],
    });
  });

  test("the env stack has the aws provider for the account and a local backend outside the output folder", () => {
    const tf = stacks.staging;

    expect(tf.provider).toEqual({ aws: [{ region: "us-east-1", allowed_account_ids: ["111111111111"] }] });
    expect(tf.terraform.backend).toEqual({ local: { path: "../../../terraform.staging.tfstate" } });
  });

  test("the env stack outputs what services and people need, none of it sensitive", () => {
    const outputs = stacks.staging.output;

    expect(Object.keys(outputs).sort()).toEqual([
      "elasticache_security_group_id",
      "elasticache_subnet_group_name",
      "kms_account_key_arn",
      "kms_account_key_id",
      "private_subnet_ids",
      "vpc_id",
    ]);
    expect(outputs.kms_account_key_arn.value).toBe("${aws_kms_key.base_kms_key.arn}");
    expect(outputs.private_subnet_ids.value).toBe("${data.aws_subnets.base_private_subnets.ids}");
    expect(Object.values(outputs).some((o: any) => o.sensitive)).toBe(false);
  });

  test("a service stack reaches the cluster with an exec credential, never a fixed token (BR-23)", () => {
    const tf = stacks["staging-payments"];

    expect(tf.provider.kubernetes).toEqual([
      {
        host: "${data.aws_eks_cluster.env_eks_cluster.endpoint}",
        cluster_ca_certificate: "${base64decode(data.aws_eks_cluster.env_eks_cluster.certificate_authority[0].data)}",
        exec: [
          {
            api_version: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", "opta-staging", "--region", "us-east-1"],
          },
        ],
      },
    ]);
    expect(tf.data.aws_eks_cluster.env_eks_cluster.name).toBe("opta-staging");
    expect(tf.data.aws_eks_cluster_auth).toBeUndefined();
    expect(JSON.stringify(tf)).not.toContain('"token"');
    expect(tf.provider.random).toEqual([{}]);
  });

  test("a service stack finds the env's key, VPC and security group by name", () => {
    const data = stacks["staging-payments"].data;

    expect(data.aws_kms_key.env_kms_key.key_id).toBe("alias/opta-staging");
    expect(data.aws_vpc.env_vpc.tags).toEqual({ Name: "opta-staging" });
    expect(data.aws_security_group.env_security_group).toMatchObject({
      name: "opta-staging-elasticache-sg",
      vpc_id: "${data.aws_vpc.env_vpc.id}",
    });
  });

  test("two caches in one service give module-prefixed outputs, every token output sensitive (BR-16)", () => {
    const outputs = stacks["staging-payments"].output;

    expect(Object.keys(outputs).sort()).toEqual([
      "cache_cache_arn",
      "cache_cache_auth_token",
      "cache_cache_host",
      "cache_cache_port",
      "cache_cache_reader_endpoint",
      "sessions_cache_arn",
      "sessions_cache_auth_token",
      "sessions_cache_host",
      "sessions_cache_port",
      "sessions_cache_reader_endpoint",
    ]);
    for (const [name, o] of Object.entries<any>(outputs)) {
      const touchesToken = /random_password\.|auth_token/.test(o.value);
      expect([name, o.sensitive === true]).toEqual([name, touchesToken]);
    }
  });

  test("one cache gives opta's plain output names", () => {
    expect(Object.keys(stacks["staging-search"].output).sort()).toEqual([
      "cache_arn",
      "cache_auth_token",
      "cache_host",
      "cache_port",
      "cache_reader_endpoint",
    ]);
    expect(stacks["staging-search"].output.cache_auth_token.sensitive).toBe(true);
  });

  test("one secret carries both links, renamed and default, with plain values (BR-12, BR-21)", () => {
    const secret = stacks["staging-payments"].resource.kubernetes_secret_v1.app_secret;

    expect(secret.metadata).toEqual({ name: "secret", namespace: "${kubernetes_namespace_v1.app_namespace.metadata[0].name}" });
    expect(secret.type).toBe("Opaque");
    expect(secret.data).toEqual({
      cache_cache_host: "${aws_elasticache_replication_group.cache_replication_group.primary_endpoint_address}",
      cache_cache_auth_token: "${random_password.cache_auth_token.result}",
      SESSIONS_HOST: "${aws_elasticache_replication_group.sessions_replication_group.primary_endpoint_address}",
      SESSIONS_TOKEN: "${random_password.sessions_auth_token.result}",
    });
  });

  test("create_namespace: false puts the secret in the existing namespace", () => {
    const tf = stacks["staging-search"];

    expect(tf.resource.kubernetes_namespace_v1).toBeUndefined();
    expect(tf.resource.kubernetes_secret_v1.api_secret.metadata).toEqual({ name: "secret", namespace: "search" });
  });

  test("placeholders reach the generated attribute", () => {
    expect(stacks["staging-search"].resource.aws_elasticache_replication_group.index_replication_group.node_type).toBe(
      "cache.m6g.large",
    );
  });

  test("no stack names a legacy argument (BR-11) or wraps a value in base64encode (BR-12)", () => {
    const text = JSON.stringify(stacks);

    expect(text).not.toMatch(/replication_group_description|number_cache_clusters|base64encode\(/);
  });
});

describe("determinism", () => {
  test("the examples synthesized in two folders give byte-identical files with no absolute path", () => {
    const read = (cwd: string) => {
      const files: Record<string, string> = { "manifest.json": readFileSync(join(cwd, "out/manifest.json"), "utf8") };
      for (const name of readdirSync(join(cwd, "out/stacks"))) {
        files[name] = readFileSync(join(cwd, "out/stacks", name, "cdk.tf.json"), "utf8");
      }
      return files;
    };

    const a = synthesize(exampleFiles());
    const b = synthesize(exampleFiles());
    const first = read(a.cwd);
    const second = read(b.cwd);

    expect(a.cwd).not.toBe(b.cwd);
    expect(second).toEqual(first);
    const all = Object.values(first).join("\n");
    for (const path of [a.cwd, tmpdir(), process.cwd(), __dirname, require("node:os").homedir()]) {
      expect(all).not.toContain(path);
    }
  });
});

describe("the opta fixtures", () => {
  const opta = join(sharedDir(), "fixtures/opta");

  test("ci-aws: env and service stacks, the cache and the secret of keys redis_cache_host and redis_cache_auth_token", () => {
    const { result, stacks } = synthesize([join(opta, "ci-aws/service-redis.yml")]);

    expect(Object.keys(stacks).sort()).toEqual(["awsenv-ci", "awsenv-ci-ci-redis"]);
    const svc = stacks["awsenv-ci-ci-redis"];
    expect(svc.resource.aws_elasticache_replication_group.redis_replication_group.node_type).toBe("cache.t3.micro");
    const secret = svc.resource.kubernetes_secret_v1.k8sservice_secret;
    expect(secret.metadata.name).toBe("secret");
    expect(svc.resource.kubernetes_namespace_v1.k8sservice_namespace.metadata.name).toBe("ci-redis");
    expect(Object.keys(secret.data).sort()).toEqual(["redis_cache_auth_token", "redis_cache_host"]);
    const skipped = result.warnings.map(formatWarning).filter((w) => w.includes("is not generated by strata"));
    expect(skipped.map((w) => w.replace(/^.*module type (\S+) .*$/, "$1"))).toEqual(["dns", "k8s-cluster", "k8s-base"]);
  });

  test("generated-aws: the cache and no Kubernetes at all", () => {
    const { stacks } = synthesize([join(opta, "generated-aws/module-redis.yaml")]);

    const svc = stacks["awsenv-ci-tg-module-redis"];
    expect(svc.resource.aws_elasticache_replication_group.redis_replication_group.replication_group_id).toBe(
      "opta-module-redis-redis-${random_string.redis_id_suffix.result}",
    );
    expect(svc.resource.kubernetes_secret_v1).toBeUndefined();
    expect(svc.provider.kubernetes).toBeUndefined();
  });

  test("getting-started: the namespace, no secret, and a warning naming the workload fields", () => {
    const { result, stacks } = synthesize([join(opta, "getting-started/aws_service_getting_started.yaml")]);

    const svc = stacks["staging-hello"];
    expect(svc.resource.kubernetes_secret_v1).toBeUndefined();
    expect(svc.resource.kubernetes_namespace_v1.hello_namespace.metadata.name).toBe("hello");
    expect(result.warnings.map(formatWarning).filter((w) => w.includes("aws_service_getting_started"))).toEqual([
      expect.stringMatching(
        /aws_service_getting_started\.yaml:6:5: warning: modules\[0\]: healthcheck_path, image, port, public_uri not generated: strata makes the namespace and the link secret, not the workload$/,
      ),
    ]);
  });

  test("dummy: fails, listing every link whose target cannot be linked, with its position", () => {
    let problems: string[] = [];
    try {
      synthesize([join(opta, "dummy/dummy_config1.yaml")]);
    } catch (err) {
      if (!(err instanceof ManifestError)) throw err;
      problems = err.problems.map(formatProblem);
    }

    const linkProblems = problems.map((p) => p.replace(/^.*dummy_config1\.yaml:/, ""));
    expect(linkProblems.map((p) => p.split(": ")[0] + ": " + p.split(": ")[1])).toEqual([
      "32:9: modules[6].links[0]",
      "34:9: modules[6].links[2]",
      "35:9: modules[6].links[3].database2",
      "43:9: modules[6].links[5].docdb2",
      "47:9: modules[6].links[6].bucket1",
      "49:9: modules[6].links[7].bucket2",
      "51:9: modules[6].links[8]",
      "52:9: modules[6].links[9]",
      "53:9: modules[6].links[10]",
      "54:9: modules[6].links[11]",
    ]);
    expect(problems.every((p) => p.includes("cannot link"))).toBe(true);
  });
});
