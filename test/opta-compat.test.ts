/**
 * opta manifests keep giving the replication group they gave before issue 5
 * (optional redis fields), apart from the two new defaults: a final snapshot
 * on destroy and the slow log in CloudWatch. The group is pinned attribute by
 * attribute for the generated-aws fixture.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synth } from "../src/synth";
import { sharedDir } from "./support/shared";

type Tf = Record<string, any>;

/** The replication group strata wrote for this fixture before issue 5. */
const BEFORE: Tf = {
  apply_immediately: true,
  at_rest_encryption_enabled: "true",
  auth_token: "${random_password.redis_auth_token.result}",
  auth_token_update_strategy: "ROTATE",
  auto_minor_version_upgrade: "true",
  automatic_failover_enabled: true,
  description: "Elasticache opta-module-redis-redis-${random_string.redis_id_suffix.result}",
  engine: "redis",
  engine_version: "7.1",
  kms_key_id: "${data.aws_kms_key.env_kms_key.arn}",
  maintenance_window: "sun:06:00-sun:07:00",
  multi_az_enabled: true,
  node_type: "cache.t3.micro",
  num_cache_clusters: 2,
  port: 6379,
  replication_group_id: "opta-module-redis-redis-${random_string.redis_id_suffix.result}",
  security_group_ids: ["${data.aws_security_group.env_security_group.id}"],
  snapshot_retention_limit: 0,
  snapshot_window: "04:00-05:00",
  subnet_group_name: "opta-awsenv-ci-tg",
  transit_encryption_enabled: true,
};

/**
 * What issue 5 adds to an opta manifest's group: the final snapshot, the
 * slow log's delivery, and the ignore on snapshot_name (a no-op while no
 * snapshot is restored; it keeps a later restore from replacing the cache).
 */
const ADDED: Tf = {
  final_snapshot_identifier: "opta-module-redis-redis-${random_string.redis_id_suffix.result}-final",
  log_delivery_configuration: [
    {
      destination: "${aws_cloudwatch_log_group.redis_slow_log.name}",
      destination_type: "cloudwatch-logs",
      log_format: "json",
      log_type: "slow-log",
    },
  ],
  lifecycle: { ignore_changes: ["snapshot_name"] },
};

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function serviceStack(fixture: string, stack: string): Tf {
  const cwd = mkdtempSync(join(tmpdir(), "strata-opta-"));
  made.push(cwd);
  synth({ files: [join(sharedDir(), "fixtures/opta", fixture)], cwd, outdir: "out" });
  return JSON.parse(readFileSync(join(cwd, "out/stacks", stack, "cdk.tf.json"), "utf8"));
}

/** A block without cdktf's "//" metadata. */
function withoutMetadata(block: Tf): Tf {
  const { "//": _, ...rest } = block;
  return rest;
}

describe("opta's generated-aws/module-redis.yaml", () => {
  const tf = serviceStack("generated-aws/module-redis.yaml", "awsenv-ci-tg-module-redis");
  const group = withoutMetadata(tf.resource.aws_elasticache_replication_group.redis_replication_group);

  test("gives the same replication group as before, plus only the final snapshot and the slow log", () => {
    expect(group).toEqual({ ...BEFORE, ...ADDED });
  });

  test("changes no attribute it had before", () => {
    const changed = Object.keys(BEFORE).filter((k) => JSON.stringify(group[k]) !== JSON.stringify(BEFORE[k]));

    expect(changed).toEqual([]);
    expect(Object.keys(group).filter((k) => !(k in BEFORE)).sort()).toEqual(Object.keys(ADDED).sort());
  });

  test("adds only the slow log group among resources, kept 30 days and encrypted with the env key", () => {
    const types = Object.keys(tf.resource).sort();

    expect(types).toEqual([
      "aws_cloudwatch_log_group",
      "aws_elasticache_replication_group",
      "random_password",
      "random_string",
    ]);
    expect(withoutMetadata(tf.resource.aws_cloudwatch_log_group.redis_slow_log)).toEqual({
      name: "/strata/awsenv-ci-tg/module-redis/redis/slow-log",
      retention_in_days: 30,
      kms_key_id: "${data.aws_kms_key.env_kms_key.arn}",
    });
  });

  test("keeps the password and id suffix as they were", () => {
    expect(withoutMetadata(tf.resource.random_password.redis_auth_token)).toEqual({ length: 32, special: false });
    expect(withoutMetadata(tf.resource.random_string.redis_id_suffix)).toEqual({
      length: 4,
      special: false,
      upper: false,
    });
  });
});

test("opta's ci-aws service changes the same way and no more", () => {
  const tf = serviceStack("ci-aws/service-redis.yml", "awsenv-ci-ci-redis");
  const group = withoutMetadata(tf.resource.aws_elasticache_replication_group.redis_replication_group);

  expect(Object.keys(group).filter((k) => !(k in BEFORE)).sort()).toEqual(Object.keys(ADDED).sort());
  expect(group).toMatchObject({
    num_cache_clusters: 2,
    automatic_failover_enabled: true,
    multi_az_enabled: true,
    engine: "redis",
    apply_immediately: true,
    auto_minor_version_upgrade: "true",
  });
  expect(group.parameter_group_name).toBeUndefined();
});
