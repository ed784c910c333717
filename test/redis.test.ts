import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { Password } from "@cdktf/provider-random/lib/password";
import { StringResource } from "@cdktf/provider-random/lib/string-resource";
import { TerraformOutput, Testing } from "cdktf";
import { Construct } from "constructs";
import { EnvInitLookup } from "../modules/env-init";
import {
  DEFAULT_ENGINE_VERSIONS,
  ENGINE_VERSION,
  ENGINE_VERSIONS,
  NODE_TYPES,
  PREVIOUS_NODE_TYPES,
  REDIS_DEFAULTS,
  REDIS_LINK_FIELDS,
  Redis,
  RedisProps,
  VALKEY_ENGINE_VERSIONS,
  defaultMaintenanceWindow,
  parseDailyWindow,
  parseWeeklyWindow,
  windowsOverlap,
} from "../modules/redis";

const KEY_ARN =
  "arn:aws:kms:us-east-1:111111111111:key/0123abcd-12ab-34cd-56ef-1234567890ab";

const REDIS: RedisProps = {
  envName: "staging",
  serviceName: "payments",
  kmsKeyArn: KEY_ARN,
  securityGroupIds: ["sg-0123456789abcdef0"],
  subnetGroupName: "opta-staging",
};

function synthRedis(props: Partial<RedisProps> = {}, id = "cache"): string {
  return Testing.synthScope((scope) => {
    new Redis(scope, id, { ...REDIS, ...props });
  });
}

function replicationGroup(
  json: string,
  name = "cache_replication_group"
): Record<string, unknown> {
  return JSON.parse(json).resource.aws_elasticache_replication_group[name];
}

describe("Redis", () => {
  test("should name every resource <construct id>_<role>", () => {
    const json = JSON.parse(synthRedis());

    expect(Object.keys(json.resource).sort()).toEqual([
      "aws_cloudwatch_log_group",
      "aws_elasticache_replication_group",
      "random_password",
      "random_string",
    ]);
    expect(Object.keys(json.resource.aws_cloudwatch_log_group)).toEqual([
      "cache_slow_log",
    ]);
    expect(Object.keys(json.resource.random_password)).toEqual([
      "cache_auth_token",
    ]);
    expect(Object.keys(json.resource.random_string)).toEqual([
      "cache_id_suffix",
    ]);
    expect(
      Object.keys(json.resource.aws_elasticache_replication_group)
    ).toEqual(["cache_replication_group"]);
  });

  test("should not depend on where the construct sits in the tree", () => {
    const nested = Testing.synthScope((scope) => {
      new Redis(new Construct(scope, "Wrapper"), "cache", REDIS);
    });

    expect(nested).toEqual(synthRedis());
  });

  test("should write every attribute of the contract, and nothing else, by default", () => {
    expect(replicationGroup(synthRedis())).toEqual({
      replication_group_id:
        "opta-payments-cache-${random_string.cache_id_suffix.result}",
      description:
        "Elasticache opta-payments-cache-${random_string.cache_id_suffix.result}",
      engine: "redis",
      engine_version: "7.1",
      node_type: "cache.m6g.large",
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      port: 6379,
      transit_encryption_enabled: true,
      at_rest_encryption_enabled: "true",
      kms_key_id: KEY_ARN,
      auth_token: "${random_password.cache_auth_token.result}",
      auth_token_update_strategy: "ROTATE",
      apply_immediately: true,
      auto_minor_version_upgrade: "true",
      snapshot_window: "04:00-05:00",
      snapshot_retention_limit: 0,
      maintenance_window: "sun:06:00-sun:07:00",
      subnet_group_name: "opta-staging",
      security_group_ids: ["sg-0123456789abcdef0"],
      final_snapshot_identifier:
        "opta-payments-cache-${random_string.cache_id_suffix.result}-final",
      log_delivery_configuration: [
        {
          destination: "${aws_cloudwatch_log_group.cache_slow_log.name}",
          destination_type: "cloudwatch-logs",
          log_format: "json",
          log_type: "slow-log",
        },
      ],
      lifecycle: { ignore_changes: ["snapshot_name"] },
    });
  });

  test("should never write the legacy argument names nor ignore version changes", () => {
    const json = synthRedis();

    expect(json).not.toContain("replication_group_description");
    expect(json).not.toContain("number_cache_clusters");
    expect(replicationGroup(json).lifecycle).toEqual({
      ignore_changes: ["snapshot_name"],
    });
  });

  test("should write no parameter group, alarm, tag or event topic by default", () => {
    const json = JSON.parse(synthRedis());
    const group = json.resource.aws_elasticache_replication_group.cache_replication_group;

    expect(json.resource.aws_elasticache_parameter_group).toBeUndefined();
    expect(json.resource.aws_cloudwatch_metric_alarm).toBeUndefined();
    expect(group.parameter_group_name).toBeUndefined();
    expect(group.tags).toBeUndefined();
    expect(group.notification_topic_arn).toBeUndefined();
    expect(group.snapshot_name).toBeUndefined();
    expect(group.preferred_cache_cluster_azs).toBeUndefined();
  });

  test("should make a 32-character password without special characters and nothing volatile", () => {
    expect(
      JSON.parse(synthRedis()).resource.random_password.cache_auth_token
    ).toEqual({
      length: 32,
      special: false,
    });
  });

  test("should make a 4-character lowercase alphanumeric id suffix", () => {
    expect(
      JSON.parse(synthRedis()).resource.random_string.cache_id_suffix
    ).toEqual({
      length: 4,
      special: false,
      upper: false,
    });
  });

  test("should give the same password and suffix blocks whatever the windows", () => {
    const before = JSON.parse(synthRedis()).resource;
    const after = JSON.parse(
      synthRedis({ snapshotWindow: "03:00-04:00" })
    ).resource;

    expect(after.random_password).toEqual(before.random_password);
    expect(after.random_string).toEqual(before.random_string);
  });

  test("should build the id from the service and the construct id, lowercased", () => {
    const json = synthRedis({ serviceName: "Payments" }, "Cache");

    expect(
      replicationGroup(json, "Cache_replication_group").replication_group_id
    ).toBe("opta-payments-cache-${random_string.Cache_id_suffix.result}");
  });

  test("should feed the env key's ARN to kms_key_id when used with EnvInitLookup", () => {
    const json = Testing.synthScope((scope) => {
      const env = new EnvInitLookup(scope, "env", { envName: "staging" });
      new Redis(scope, "cache", {
        ...REDIS,
        kmsKeyArn: env.kmsKeyArn,
        securityGroupIds: [env.securityGroupId],
        subnetGroupName: env.subnetGroupName,
      });
    });

    expect(json).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      kms_key_id: "${data.aws_kms_key.env_kms_key.arn}",
      security_group_ids: ["${data.aws_security_group.env_security_group.id}"],
      subnet_group_name: "opta-staging",
    });
  });

  describe("options, each on its own", () => {
    test("nodeType should set node_type", () => {
      expect(
        synthRedis({ nodeType: "cache.t4g.medium" })
      ).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
        node_type: "cache.t4g.medium",
      });
    });

    test("nodeType should accept opta's previous-generation default", () => {
      expect(
        replicationGroup(synthRedis({ nodeType: "cache.m4.large" })).node_type
      ).toBe("cache.m4.large");
    });

    test("engineVersion should set engine_version", () => {
      expect(
        replicationGroup(synthRedis({ engineVersion: "6.2" })).engine_version
      ).toBe("6.2");
    });

    test("engineVersion should accept opta's 6.x", () => {
      expect(
        replicationGroup(synthRedis({ engineVersion: "6.x" })).engine_version
      ).toBe("6.x");
    });

    test("snapshotWindow should set snapshot_window and move the default maintenance window", () => {
      const group = replicationGroup(
        synthRedis({ snapshotWindow: "22:00-23:30" })
      );

      expect(group.snapshot_window).toBe("22:00-23:30");
      expect(group.maintenance_window).toBe("sun:00:30-sun:01:30");
    });

    test("snapshotRetentionLimit should set snapshot_retention_limit", () => {
      expect(
        replicationGroup(synthRedis({ snapshotRetentionLimit: 7 }))
          .snapshot_retention_limit
      ).toBe(7);
    });

    test("maintenanceWindow should set maintenance_window", () => {
      expect(
        replicationGroup(
          synthRedis({ maintenanceWindow: "wed:10:00-wed:11:30" })
        ).maintenance_window
      ).toBe("wed:10:00-wed:11:30");
    });

    test("securityGroupIds should be copied, not kept", () => {
      const groups = ["sg-11111111"];
      const json = Testing.synthScope((scope) => {
        new Redis(scope, "cache", { ...REDIS, securityGroupIds: groups });
        groups.push("sg-22222222");
      });

      expect(replicationGroup(json).security_group_ids).toEqual([
        "sg-11111111",
      ]);
    });
  });

  test("should default to the values of the contract", () => {
    expect(REDIS_DEFAULTS).toEqual({
      engine: "redis",
      nodeType: "cache.m6g.large",
      numCacheClusters: 2,
      snapshotWindow: "04:00-05:00",
      snapshotRetentionLimit: 0,
      applyImmediately: true,
      autoMinorVersionUpgrade: true,
      slowLog: { enabled: true, retentionDays: 30 },
      engineLog: { enabled: false, retentionDays: 30 },
      finalSnapshot: true,
      alarms: {
        cpuPercent: 90,
        memoryPercent: 80,
        evictions: 1000,
        connections: 5000,
        replicationLagSeconds: 30,
      },
    });
    expect(DEFAULT_ENGINE_VERSIONS).toEqual({ redis: "7.1", valkey: "8.0" });
    expect(ENGINE_VERSIONS).toContain(DEFAULT_ENGINE_VERSIONS.redis);
    expect(VALKEY_ENGINE_VERSIONS).toContain(DEFAULT_ENGINE_VERSIONS.valkey);
    for (const frozen of [
      REDIS_DEFAULTS,
      REDIS_DEFAULTS.slowLog,
      REDIS_DEFAULTS.engineLog,
      REDIS_DEFAULTS.alarms,
      DEFAULT_ENGINE_VERSIONS,
    ]) {
      expect(Object.isFrozen(frozen)).toBe(true);
    }
  });

  describe("as a link target", () => {
    test("should export cache_host and cache_auth_token, in that order", () => {
      const outputs = JSON.parse(
        Testing.synthScope((scope) => {
          const redis = new Redis(scope, "cache", REDIS);
          const fields = redis.linkFields();
          expect(Object.keys(fields)).toEqual([
            "cache_host",
            "cache_auth_token",
          ]);
          expect(redis.linkName).toBe("cache");
          expect(redis.linkType).toBe("redis");
          for (const [name, value] of Object.entries(fields))
            new TerraformOutput(scope, name, { value });
          new TerraformOutput(scope, "id", { value: redis.replicationGroupId });
        })
      ).output;

      expect(outputs.cache_host.value).toBe(
        "${aws_elasticache_replication_group.cache_replication_group.primary_endpoint_address}"
      );
      expect(outputs.cache_auth_token.value).toBe(
        "${random_password.cache_auth_token.result}"
      );
      expect(outputs.id.value).toBe(
        "${aws_elasticache_replication_group.cache_replication_group.replication_group_id}"
      );
    });

    test("REDIS_LINK_FIELDS should list the fields linkFields returns", () => {
      Testing.synthScope((scope) => {
        expect(
          Object.keys(new Redis(scope, "cache", REDIS).linkFields())
        ).toEqual([...REDIS_LINK_FIELDS]);
      });
      expect(REDIS_LINK_FIELDS).toEqual(["cache_host", "cache_auth_token"]);
    });

    test("should expose the maintenance window it wrote", () => {
      Testing.synthScope((scope) => {
        expect(new Redis(scope, "cache", REDIS).maintenanceWindow).toBe(
          "sun:06:00-sun:07:00"
        );
      });
    });
  });

  test("should make the random resources that the id and token need", () => {
    const json = synthRedis();

    expect(json).toHaveResource(Password);
    expect(json).toHaveResource(StringResource);
  });
});

describe("node types", () => {
  test("should include the default and the current families with the sizes AWS offers for Redis", () => {
    expect(NODE_TYPES).toContain(REDIS_DEFAULTS.nodeType);
    expect(NODE_TYPES).toEqual(
      expect.arrayContaining([
        "cache.t3.micro",
        "cache.t4g.medium",
        "cache.m5.24xlarge",
      ])
    );
    expect(NODE_TYPES).toEqual(
      expect.arrayContaining([
        "cache.m7g.16xlarge",
        "cache.r7g.large",
        "cache.c7gn.16xlarge",
      ])
    );
    expect(NODE_TYPES.filter((t) => t.startsWith("cache.r6gd."))).toEqual([
      "cache.r6gd.xlarge",
      "cache.r6gd.2xlarge",
      "cache.r6gd.4xlarge",
      "cache.r6gd.8xlarge",
      "cache.r6gd.12xlarge",
      "cache.r6gd.16xlarge",
    ]);
    expect(NODE_TYPES.filter((t) => t.startsWith("cache.m5."))).toEqual([
      "cache.m5.large",
      "cache.m5.xlarge",
      "cache.m5.2xlarge",
      "cache.m5.4xlarge",
      "cache.m5.12xlarge",
      "cache.m5.24xlarge",
    ]);
  });

  test("should leave out sizes and families ElastiCache does not offer for Redis", () => {
    expect(NODE_TYPES).not.toContain("cache.m5.8xlarge");
    expect(NODE_TYPES).not.toContain("cache.r6gd.large");
    expect(NODE_TYPES).not.toContain("cache.m8g.large");
    expect(NODE_TYPES).not.toContain("cache.t4g.large");
  });

  test("should keep previous generations apart, without overlap or repeats", () => {
    expect(PREVIOUS_NODE_TYPES).toEqual(
      expect.arrayContaining([
        "cache.m4.large",
        "cache.t2.micro",
        "cache.r4.16xlarge",
      ])
    );
    expect(PREVIOUS_NODE_TYPES.filter((t) => NODE_TYPES.includes(t))).toEqual(
      []
    );
    const all = [...NODE_TYPES, ...PREVIOUS_NODE_TYPES];
    expect(new Set(all).size).toBe(all.length);
  });
});

describe("engine versions", () => {
  test.each(["6.0", "6.2", "7.0", "7.1", "6.x"])(
    "should accept %p",
    (version) => {
      expect(ENGINE_VERSION.pattern.test(version)).toBe(true);
    }
  );

  test.each(["7.x", "7", "7.0.7", "8.0", "5.0.6", "6.x.1", ""])(
    "should refuse %p",
    (version) => {
      expect(ENGINE_VERSION.pattern.test(version)).toBe(false);
    }
  );
});

describe("windows", () => {
  test("parseDailyWindow should read start and length", () => {
    expect(parseDailyWindow("04:00-05:00")).toEqual({
      start: 240,
      minutes: 60,
    });
    expect(parseDailyWindow("00:00-23:59")).toEqual({
      start: 0,
      minutes: 1439,
    });
  });

  test("parseDailyWindow should let a window run past midnight", () => {
    expect(parseDailyWindow("23:30-00:30")).toEqual({
      start: 1410,
      minutes: 60,
    });
  });

  test.each([
    "5:00-6:00",
    "24:00-01:00",
    "23:30-24:30",
    "04:60-05:00",
    "04:00",
    "04:00-05:00 ",
  ])("parseDailyWindow should refuse %p", (text) => {
    expect(parseDailyWindow(text)).toBeUndefined();
  });

  test("parseWeeklyWindow should count from Sunday 00:00", () => {
    expect(parseWeeklyWindow("sun:06:00-sun:07:00")).toEqual({
      start: 360,
      minutes: 60,
    });
    expect(parseWeeklyWindow("mon:23:00-tue:01:00")).toEqual({
      start: 1440 + 1380,
      minutes: 120,
    });
  });

  test("parseWeeklyWindow should let a window run past Saturday into Sunday", () => {
    expect(parseWeeklyWindow("sat:23:30-sun:00:30")).toEqual({
      start: 6 * 1440 + 1410,
      minutes: 60,
    });
  });

  test.each([
    "Sun:06:00-sun:07:00",
    "sun:6:00-sun:7:00",
    "sunday:06:00-sunday:07:00",
    "06:00-07:00",
  ])("parseWeeklyWindow should refuse %p", (text) => {
    expect(parseWeeklyWindow(text)).toBeUndefined();
  });

  const overlapping: [string, string, boolean][] = [
    ["04:00-05:00", "sun:04:30-sun:05:30", true],
    ["04:00-05:00", "wed:03:00-wed:04:01", true],
    ["04:00-05:00", "sun:05:00-sun:06:00", false],
    ["04:00-05:00", "sun:03:00-sun:04:00", false],
    ["04:00-05:00", "sun:06:00-sun:07:00", false],
    ["23:30-00:30", "mon:00:00-mon:01:00", true],
    ["23:30-00:30", "sun:00:30-sun:01:30", false],
    ["23:30-00:30", "sat:23:00-sat:23:30", false],
    ["23:30-00:30", "sat:23:00-sat:23:31", true],
    ["00:30-01:30", "sat:23:45-sun:00:45", true],
    ["00:30-01:30", "sat:23:00-sun:00:30", false],
    ["10:00-11:00", "mon:09:00-tue:09:00", true],
  ];
  test.each(overlapping)(
    "windowsOverlap(%p, %p) should be %p",
    (snapshot, maintenance, expected) => {
      expect(
        windowsOverlap(
          parseDailyWindow(snapshot)!,
          parseWeeklyWindow(maintenance)!
        )
      ).toBe(expected);
    }
  );

  test("defaultMaintenanceWindow should be sun:06:00-sun:07:00 for the default snapshot window", () => {
    expect(
      defaultMaintenanceWindow(parseDailyWindow(REDIS_DEFAULTS.snapshotWindow)!)
    ).toBe("sun:06:00-sun:07:00");
  });

  test.each([
    ["22:00-23:30", "sun:00:30-sun:01:30"],
    ["21:30-22:30", "sun:23:30-mon:00:30"],
    ["23:00-00:30", "sun:01:30-sun:02:30"],
    ["06:00-04:00", "sun:05:00-sun:06:00"],
  ])("defaultMaintenanceWindow(%p) should be %p", (snapshot, expected) => {
    expect(defaultMaintenanceWindow(parseDailyWindow(snapshot)!)).toBe(
      expected
    );
  });

  test("defaultMaintenanceWindow should give up when the snapshot window leaves under 2 free hours", () => {
    expect(
      defaultMaintenanceWindow(parseDailyWindow("06:00-04:01")!)
    ).toBeUndefined();
  });

  test("defaultMaintenanceWindow should never overlap the snapshot window and always last 60 minutes", () => {
    for (let start = 0; start < 1440; start += 15) {
      for (let minutes = 60; minutes <= 1320; minutes += 45) {
        const maintenance = parseWeeklyWindow(
          defaultMaintenanceWindow({ start, minutes })!
        )!;

        expect(maintenance.minutes).toBe(60);
        expect(windowsOverlap({ start, minutes }, maintenance)).toBe(false);
      }
    }
  });
});
