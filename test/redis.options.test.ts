/**
 * The options issue 5 added to the Redis construct, each set on its own
 * against the defaults, with cdktf's matchers where a property is enough.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { TerraformOutput, Testing } from "cdktf";
import {
  ALARM_METRICS,
  ENGINES,
  Engine,
  REDIS_LINK_EXTRAS,
  Redis,
  RedisProps,
  engineVersions,
  nodeSuffixes,
  parameterGroupFamily,
  parameterGroupName,
} from "../modules/redis";

const KEY_ARN =
  "arn:aws:kms:us-east-1:111111111111:key/0123abcd-12ab-34cd-56ef-1234567890ab";
const TOPIC = "arn:aws:sns:us-east-1:111111111111:cache-alarms";
const GROUP = "aws_elasticache_replication_group.cache_replication_group";
const SUFFIX = "${random_string.cache_id_suffix.result}";

const REDIS: RedisProps = {
  envName: "staging",
  serviceName: "payments",
  kmsKeyArn: KEY_ARN,
  securityGroupIds: ["sg-0123456789abcdef0"],
  subnetGroupName: "opta-staging",
};

type Tf = Record<string, any>;

function synthRedis(props: Partial<RedisProps> = {}): string {
  return Testing.synthScope((scope) => {
    new Redis(scope, "cache", { ...REDIS, ...props });
  });
}

function resources(json: string): Tf {
  return JSON.parse(json).resource;
}

function group(json: string): Tf {
  return resources(json).aws_elasticache_replication_group
    .cache_replication_group;
}

/** Addresses of one resource type, sorted. */
function names(json: string, type: string): string[] {
  return Object.keys(resources(json)[type] ?? {}).sort();
}

describe("numCacheClusters", () => {
  test.each([
    [1, false],
    [2, true],
    [3, true],
    [6, true],
  ])("%i nodes should set failover and multi-AZ to %p", (count, failover) => {
    expect(
      synthRedis({ numCacheClusters: count })
    ).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      num_cache_clusters: count,
      automatic_failover_enabled: failover,
      multi_az_enabled: failover,
    });
  });

  test("one node should add a warning to the construct, two none", () => {
    const warnings = (count: number) => {
      let found: string[] = [];
      Testing.synthScope((scope) => {
        const redis = new Redis(scope, "cache", {
          ...REDIS,
          numCacheClusters: count,
        });
        found = redis.node.metadata
          .filter((m) => m.type === "@cdktf/warn")
          .map((m) => String(m.data));
      });
      return found;
    };

    expect(warnings(1)).toEqual([
      "numCacheClusters: 1 node, so no automatic failover and no multi-AZ: a failed node takes the cache down and loses what the last snapshot does not hold",
    ]);
    expect(warnings(2)).toEqual([]);
  });

  test("nodeSuffixes should follow AWS's node names", () => {
    expect(nodeSuffixes(1)).toEqual(["001"]);
    expect(nodeSuffixes(6)).toEqual(["001", "002", "003", "004", "005", "006"]);
  });
});

describe("preferredAvailabilityZones", () => {
  test("should set preferred_cache_cluster_azs in the order given", () => {
    expect(
      synthRedis({ preferredAvailabilityZones: ["us-east-1b", "us-east-1a"] })
    ).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      preferred_cache_cluster_azs: ["us-east-1b", "us-east-1a"],
    });
  });

  test("should accept a zone twice and a Local Zone", () => {
    const zones = ["us-west-2-lax-1a", "us-west-2-lax-1a", "us-west-2a"];

    expect(
      group(
        synthRedis({ numCacheClusters: 3, preferredAvailabilityZones: zones })
      ).preferred_cache_cluster_azs
    ).toEqual(zones);
  });

  test("should be copied, not kept", () => {
    const zones = ["us-east-1a", "us-east-1b"];
    const json = Testing.synthScope((scope) => {
      new Redis(scope, "cache", { ...REDIS, preferredAvailabilityZones: zones });
      zones.push("us-east-1c");
    });

    expect(group(json).preferred_cache_cluster_azs).toEqual([
      "us-east-1a",
      "us-east-1b",
    ]);
  });
});

describe("engine", () => {
  test("valkey should set the engine and its default version 8.0", () => {
    expect(synthRedis({ engine: "valkey" })).toHaveResourceWithProperties(
      ElasticacheReplicationGroup,
      { engine: "valkey", engine_version: "8.0" }
    );
  });

  test("redis given explicitly should write what the default writes", () => {
    expect(synthRedis({ engine: "redis" })).toEqual(synthRedis());
  });

  test.each(ENGINES.flatMap((e) => engineVersions(e).map((v) => [e, v])))(
    "%s should accept version %s",
    (engine, engineVersion) => {
      expect(
        group(synthRedis({ engine: engine as Engine, engineVersion }))
      ).toMatchObject({ engine, engine_version: engineVersion });
    }
  );

  test("should expose the engine and version written", () => {
    Testing.synthScope((scope) => {
      const redis = new Redis(scope, "cache", { ...REDIS, engine: "valkey" });

      expect([redis.engine, redis.engineVersion]).toEqual(["valkey", "8.0"]);
    });
  });
});

describe("parameter group families", () => {
  const expected: Record<string, string> = {
    "redis 6.0": "redis6.x",
    "redis 6.2": "redis6.x",
    "redis 6.x": "redis6.x",
    "redis 7.0": "redis7",
    "redis 7.1": "redis7",
    "valkey 7.2": "valkey7",
    "valkey 8.0": "valkey8",
    "valkey 8.1": "valkey8",
  };

  test("the table covers every version of every engine", () => {
    const all = ENGINES.flatMap((e) => engineVersions(e).map((v) => `${e} ${v}`));

    expect(all.sort()).toEqual(Object.keys(expected).sort());
  });

  test.each(Object.entries(expected))("%s gives %s", (key, family) => {
    const [engine, version] = key.split(" ");

    expect(parameterGroupFamily(engine as Engine, version)).toBe(family);
  });

  test("names end in 8 hex digits of the family's hash, the same for the same family", () => {
    const name = (family: string) => parameterGroupName("opta-payments-cache", family);

    expect(name("redis7")).toMatch(/^opta-payments-cache-[0-9a-f]{8}$/);
    expect(name("redis7")).toBe(name("redis7"));
    const all = ["redis6.x", "redis7", "valkey7", "valkey8"].map(name);
    expect(new Set(all).size).toBe(4);
  });
});

describe("parameters", () => {
  const PARAMETERS = { "maxmemory-policy": "allkeys-lru", timeout: 300 };

  test("should make a parameter group of the version's family that the group names", () => {
    const json = synthRedis({ parameters: PARAMETERS });

    expect(resources(json).aws_elasticache_parameter_group).toEqual({
      cache_parameter_group: {
        name: parameterGroupName("opta-staging-payments-cache", "redis7"),
        family: "redis7",
        description: "Parameters of opta-payments-cache (redis7)",
        parameter: [
          { name: "maxmemory-policy", value: "allkeys-lru" },
          { name: "timeout", value: "300" },
        ],
        lifecycle: { create_before_destroy: true },
      },
    });
    expect(group(json).parameter_group_name).toBe(
      "${aws_elasticache_parameter_group.cache_parameter_group.name}"
    );
  });

  test("an upgrade to another family should rename the group, a minor one not", () => {
    const nameFor = (props: Partial<RedisProps>) =>
      resources(synthRedis({ parameters: PARAMETERS, ...props }))
        .aws_elasticache_parameter_group.cache_parameter_group.name;

    expect(nameFor({ engineVersion: "7.0" })).toBe(nameFor({ engineVersion: "7.1" }));
    expect(nameFor({ engineVersion: "6.2" })).not.toBe(nameFor({ engineVersion: "7.1" }));
    expect(nameFor({ engine: "valkey", engineVersion: "8.1" })).toBe(
      parameterGroupName("opta-staging-payments-cache", "valkey8")
    );
  });

  test("should follow a valkey engine", () => {
    expect(
      synthRedis({ engine: "valkey", engineVersion: "7.2", parameters: PARAMETERS })
    ).toHaveResourceWithProperties(ElasticacheParameterGroup, {
      family: "valkey7",
    });
  });

  test("an empty map should make no group", () => {
    const json = synthRedis({ parameters: {} });

    expect(json).not.toHaveResource(ElasticacheParameterGroup);
    expect(group(json).parameter_group_name).toBeUndefined();
  });

  test("should be copied, not kept", () => {
    const parameters: Record<string, string> = { timeout: "300" };
    const json = Testing.synthScope((scope) => {
      new Redis(scope, "cache", { ...REDIS, parameters });
      parameters["maxmemory-policy"] = "noeviction";
    });

    expect(
      resources(json).aws_elasticache_parameter_group.cache_parameter_group
        .parameter
    ).toEqual([{ name: "timeout", value: "300" }]);
  });
});

describe("change control", () => {
  test("applyImmediately false should set apply_immediately false, with the logs off", () => {
    expect(
      synthRedis({ applyImmediately: false, slowLog: { enabled: false } })
    ).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      apply_immediately: false,
    });
  });

  test("autoMinorVersionUpgrade false should set the string false", () => {
    expect(
      synthRedis({ autoMinorVersionUpgrade: false })
    ).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      auto_minor_version_upgrade: "false",
    });
  });
});

describe("logs", () => {
  test("the slow log should be on by default: a log group encrypted with the env key, kept 30 days", () => {
    expect(synthRedis()).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/strata/staging/payments/cache/slow-log",
      retention_in_days: 30,
      kms_key_id: KEY_ARN,
    });
  });

  test("slowLog enabled false should make no log group and no log delivery", () => {
    const json = synthRedis({ slowLog: { enabled: false } });

    expect(json).not.toHaveResource(CloudwatchLogGroup);
    expect(group(json).log_delivery_configuration).toBeUndefined();
  });

  test("slowLog retentionDays should set the retention and keep the log on", () => {
    expect(
      synthRedis({ slowLog: { retentionDays: 7 } })
    ).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/strata/staging/payments/cache/slow-log",
      retention_in_days: 7,
    });
  });

  test("engineLog given should add the engine log group and its delivery after the slow log's", () => {
    const json = synthRedis({ engineLog: { retentionDays: 14 } });

    expect(names(json, "aws_cloudwatch_log_group")).toEqual([
      "cache_engine_log",
      "cache_slow_log",
    ]);
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/strata/staging/payments/cache/engine-log",
      retention_in_days: 14,
      kms_key_id: KEY_ARN,
    });
    expect(group(json).log_delivery_configuration).toEqual([
      {
        destination: "${aws_cloudwatch_log_group.cache_slow_log.name}",
        destination_type: "cloudwatch-logs",
        log_format: "json",
        log_type: "slow-log",
      },
      {
        destination: "${aws_cloudwatch_log_group.cache_engine_log.name}",
        destination_type: "cloudwatch-logs",
        log_format: "json",
        log_type: "engine-log",
      },
    ]);
  });

  test("engineLog enabled false should be the default", () => {
    expect(synthRedis({ engineLog: { enabled: false } })).toEqual(synthRedis());
  });

  test("envName should name the log groups", () => {
    expect(
      synthRedis({ envName: "production" })
    ).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/strata/production/payments/cache/slow-log",
    });
  });
});

describe("alarms", () => {
  test.each([
    [1, 4],
    [2, 9],
    [3, 14],
    [6, 29],
  ])("%i nodes should get %i alarms: four per node and lag per replica", (count, total) => {
    const json = synthRedis({ numCacheClusters: count, alarms: { topicArn: TOPIC } });
    const expected = ALARM_METRICS.flatMap((m) =>
      nodeSuffixes(count)
        .filter((n) => !(m.replicasOnly && n === "001"))
        .map((n) => `cache_alarm_${m.role}_${n}`)
    );

    expect(names(json, "aws_cloudwatch_metric_alarm")).toEqual(expected.sort());
    expect(expected).toHaveLength(total);
  });

  test("should name each node from the group id and never read member_clusters", () => {
    const json = synthRedis({ numCacheClusters: 3, alarms: { topicArn: TOPIC } });
    const alarms = resources(json).aws_cloudwatch_metric_alarm;

    expect(alarms.cache_alarm_cpu_003.dimensions).toEqual({
      CacheClusterId: `\${${GROUP}.id}-003`,
    });
    expect(alarms.cache_alarm_replication_lag_002.dimensions).toEqual({
      CacheClusterId: `\${${GROUP}.id}-002`,
    });
    expect(json).not.toContain("member_clusters");
  });

  test("should write every attribute of an alarm", () => {
    const alarm = resources(
      synthRedis({ alarms: { topicArn: TOPIC } })
    ).aws_cloudwatch_metric_alarm.cache_alarm_cpu_001;

    expect(alarm).toEqual({
      alarm_name: "strata-staging-payments-cache-cpu-001",
      alarm_description:
        "EngineCPUUtilization of node 001 above 90% (average over 5 minutes)",
      namespace: "AWS/ElastiCache",
      metric_name: "EngineCPUUtilization",
      dimensions: { CacheClusterId: `\${${GROUP}.id}-001` },
      statistic: "Average",
      period: 300,
      evaluation_periods: 1,
      comparison_operator: "GreaterThanThreshold",
      threshold: 90,
      treat_missing_data: "missing",
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
    });
  });

  test.each(ALARM_METRICS.map((m) => [m.prop, m.metricName, m.statistic, m.replicasOnly ? "002" : "001"]))(
    "%s should set the threshold of %s (%s)",
    (prop, metricName, statistic, node) => {
      const json = synthRedis({ alarms: { topicArn: TOPIC, [prop]: 42 } });

      expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        metric_name: metricName,
        statistic,
        threshold: 42,
        dimensions: { CacheClusterId: `\${${GROUP}.id}-${node}` },
      });
    }
  );

  test("should keep the other defaults when one threshold is given", () => {
    const alarms = resources(
      synthRedis({ alarms: { topicArn: TOPIC, cpuPercent: 75 } })
    ).aws_cloudwatch_metric_alarm;

    expect(
      Object.fromEntries(
        Object.entries<Tf>(alarms)
          .filter(([n]) => /_00[12]$/.test(n))
          .map(([n, a]) => [n, a.threshold])
      )
    ).toEqual({
      cache_alarm_cpu_001: 75,
      cache_alarm_cpu_002: 75,
      cache_alarm_memory_001: 80,
      cache_alarm_memory_002: 80,
      cache_alarm_evictions_001: 1000,
      cache_alarm_evictions_002: 1000,
      cache_alarm_connections_001: 5000,
      cache_alarm_connections_002: 5000,
      cache_alarm_replication_lag_002: 30,
    });
  });

  test("replication lag should not count a missing metric as breaching", () => {
    expect(
      synthRedis({ alarms: { topicArn: TOPIC } })
    ).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      metric_name: "ReplicationLag",
      treat_missing_data: "notBreaching",
    });
  });

  test("should expose the alarms", () => {
    Testing.synthScope((scope) => {
      expect(new Redis(scope, "cache", REDIS).alarms).toEqual([]);
      expect(
        new Redis(scope, "other", { ...REDIS, alarms: { topicArn: TOPIC } })
          .alarms
      ).toHaveLength(9);
    });
  });
});

describe("events and snapshots", () => {
  test("notificationTopicArn should set notification_topic_arn", () => {
    expect(
      synthRedis({ notificationTopicArn: TOPIC })
    ).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      notification_topic_arn: TOPIC,
    });
  });

  test("finalSnapshot false should write no final snapshot", () => {
    expect(
      group(synthRedis({ finalSnapshot: false })).final_snapshot_identifier
    ).toBeUndefined();
  });

  test("finalSnapshot true should be the default", () => {
    expect(synthRedis({ finalSnapshot: true })).toEqual(synthRedis());
  });

  test("restoreFromSnapshot should set snapshot_name and keep ignoring later changes of it", () => {
    const json = synthRedis({
      restoreFromSnapshot: "automatic.opta-payments-cache-ab12-2025-01-31-04-00",
    });

    expect(group(json)).toMatchObject({
      snapshot_name: "automatic.opta-payments-cache-ab12-2025-01-31-04-00",
      lifecycle: { ignore_changes: ["snapshot_name"] },
    });
  });

  test("removing restoreFromSnapshot should keep the ignore, so the live cache is not replaced", () => {
    expect(group(synthRedis()).lifecycle).toEqual(
      group(synthRedis({ restoreFromSnapshot: "before-move" })).lifecycle
    );
  });
});

describe("tags", () => {
  const TAGS = { team: "payments", "cost-center": "1234" };
  const everything: Partial<RedisProps> = {
    tags: TAGS,
    parameters: { timeout: 300 },
    engineLog: {},
    alarms: { topicArn: TOPIC },
  };

  test.each([
    ["aws_elasticache_replication_group"],
    ["aws_elasticache_parameter_group"],
    ["aws_cloudwatch_log_group"],
    ["aws_cloudwatch_metric_alarm"],
  ])("should tag every %s", (type) => {
    const blocks = Object.values<Tf>(resources(synthRedis(everything))[type]);

    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(block.tags).toEqual(TAGS);
  });

  test("should keep tag keys byte for byte and copy the map", () => {
    const tags: Record<string, string> = { "Team Name": "a", "x:y/z": "b" };
    const json = Testing.synthScope((scope) => {
      new Redis(scope, "cache", { ...REDIS, tags });
      tags.later = "c";
    });

    expect(group(json).tags).toEqual({ "Team Name": "a", "x:y/z": "b" });
  });

  test("should never tag the random resources", () => {
    const json = resources(synthRedis({ tags: TAGS }));

    expect(json.random_password.cache_auth_token.tags).toBeUndefined();
    expect(json.random_string.cache_id_suffix.tags).toBeUndefined();
  });
});

describe("outputs and link fields", () => {
  test("should expose port, reader endpoint, ARN and a rediss:// URL built by Terraform", () => {
    const outputs = JSON.parse(
      Testing.synthScope((scope) => {
        const redis = new Redis(scope, "cache", REDIS);
        new TerraformOutput(scope, "port", { value: redis.cachePort });
        new TerraformOutput(scope, "reader", { value: redis.readerEndpoint });
        new TerraformOutput(scope, "arn", { value: redis.arn });
        new TerraformOutput(scope, "url", { value: redis.cacheUrl, sensitive: true });
      })
    ).output;

    expect(outputs.port.value).toBe(`\${${GROUP}.port}`);
    expect(outputs.reader.value).toBe(`\${${GROUP}.reader_endpoint_address}`);
    expect(outputs.arn.value).toBe(`\${${GROUP}.arn}`);
    expect(outputs.url.value).toBe(
      `rediss://:\${random_password.cache_auth_token.result}@\${${GROUP}.primary_endpoint_address}:\${${GROUP}.port}`
    );
    expect(outputs.url.value).not.toContain("base64");
  });

  test("linkExtraFields should list REDIS_LINK_EXTRAS in order", () => {
    Testing.synthScope((scope) => {
      const redis = new Redis(scope, "cache", REDIS);

      expect(Object.keys(redis.linkExtraFields())).toEqual([...REDIS_LINK_EXTRAS]);
      expect(REDIS_LINK_EXTRAS).toEqual(["cache_port", "cache_url"]);
      expect(redis.linkExtraFields()).not.toBe(redis.linkExtraFields());
    });
  });
});

test("the replication group id should stay the same whatever the new options", () => {
  const all: Partial<RedisProps> = {
    numCacheClusters: 3,
    engine: "valkey",
    parameters: { timeout: 300 },
    engineLog: {},
    alarms: { topicArn: TOPIC },
    tags: { team: "x" },
  };

  expect(group(synthRedis(all)).replication_group_id).toBe(
    `opta-payments-cache-${SUFFIX}`
  );
  expect(resources(synthRedis(all)).random_password).toEqual(
    resources(synthRedis()).random_password
  );
});
