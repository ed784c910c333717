import { TerraformVariable, Testing } from "cdktf";
import { StrataConstructError } from "../modules/errors";
import { Redis, RedisProps } from "../modules/redis";

const KEY_ARN =
  "arn:aws:kms:us-east-1:111111111111:key/0123abcd-12ab-34cd-56ef-1234567890ab";

const REDIS: RedisProps = {
  envName: "staging",
  serviceName: "payments",
  kmsKeyArn: KEY_ARN,
  securityGroupIds: ["sg-0123456789abcdef0"],
  subnetGroupName: "opta-staging",
};

function synthRedis(props: Partial<RedisProps>, id = "cache"): string {
  return Testing.synthScope((scope) => {
    new Redis(scope, id, { ...REDIS, ...props });
  });
}

const ID_ALLOWED =
  "lowercase letters, digits and dashes, starting with a letter, without -- and not ending with a dash";

test("should throw a StrataConstructError that names the construct and the prop", () => {
  const run = () => synthRedis({ nodeType: "cache.x" }, "sessions");

  expect(run).toThrow(StrataConstructError);
  expect(run).toThrow(
    expect.objectContaining({
      constructPath: "stack/sessions",
      prop: "nodeType",
    })
  );
});

describe("replication group id", () => {
  // "opta-" + service + "-cache-" + 4 characters: 40 with a 24-character service.
  test("should accept an id of 40 characters (max)", () => {
    expect(() => synthRedis({ serviceName: "s".repeat(24) })).not.toThrow();
  });

  test("fails when the id would be 41 characters (max+1)", () => {
    const serviceName = "s".repeat(25);

    expect(() => synthRedis({ serviceName })).toThrow(
      new Error(
        `[stack/cache] replicationGroupId: would be 41 characters (got "opta-${serviceName}-cache-????"; allowed 1-40; shorten the service or module name)`
      )
    );
  });

  test("fails for opta's 48-character id of a long service and module name", () => {
    const run = () =>
      synthRedis({ serviceName: "payments-backend-service" }, "session-cache");

    expect(run).toThrow(
      new Error(
        '[stack/session-cache] replicationGroupId: would be 48 characters (got "opta-payments-backend-service-session-cache-????"; allowed 1-40; shorten the service or module name)'
      )
    );
  });

  test.each([
    [
      "a service ending with a dash",
      "payments-",
      "cache",
      "opta-payments--cache-????",
    ],
    [
      "a double dash in the service",
      "pay--ments",
      "cache",
      "opta-pay--ments-cache-????",
    ],
    ["an underscore", "pay_ments", "cache", "opta-pay_ments-cache-????"],
    [
      "a dot in the module name",
      "payments",
      "ca.che",
      "opta-payments-ca.che-????",
    ],
    [
      "a module name ending with a dash",
      "payments",
      "cache-",
      "opta-payments-cache--????",
    ],
  ])("fails with %s", (_, serviceName, id, shown) => {
    expect(() => synthRedis({ serviceName }, id)).toThrow(
      new Error(
        `[stack/${id}] replicationGroupId: invalid format (got "${shown}"; allowed ${ID_ALLOWED}; change the service or module name)`
      )
    );
  });
});

describe("engineVersion", () => {
  test.each(["7.x", "7", "7.0.7", "8.2", "5.0.6", ""])(
    "fails when it is %p",
    (engineVersion) => {
      expect(() => synthRedis({ engineVersion })).toThrow(
        new Error(
          `[stack/cache] engineVersion: invalid format (got "${engineVersion}"; allowed <major>.<minor> for Redis 6 and later (6.0, 6.2, 7.0, 7.1), or 6.x)`
        )
      );
    }
  );
});

describe("nodeType", () => {
  test.each([
    "cache.m9.large",
    "m6g.large",
    "cache.m8g.large",
    "cache.r6gd.large",
  ])("fails when it is %p", (nodeType) => {
    expect(() => synthRedis({ nodeType })).toThrow(
      new Error(
        `[stack/cache] nodeType: unknown node type (got "${nodeType}"; allowed an ElastiCache node type for Redis of the families t3, t4g, m5, m6g, m7g, r5, r6g, r6gd, r7g, c7gn, or of the previous generation t1, t2, m1, m2, m3, m4, c1, r3, r4)`
      )
    );
  });
});

describe("snapshotWindow", () => {
  test.each([
    ["60 minutes (min)", "05:00-06:00"],
    ["60 minutes across midnight", "23:30-00:30"],
    [
      "22 hours, the longest that leaves room for the default maintenance window",
      "06:00-04:00",
    ],
  ])("should accept %s", (_, snapshotWindow) => {
    expect(() => synthRedis({ snapshotWindow })).not.toThrow();
  });

  test("fails when it is 59 minutes (min-1)", () => {
    expect(() => synthRedis({ snapshotWindow: "05:00-05:59" })).toThrow(
      new Error(
        '[stack/cache] snapshotWindow: is 59 minutes long (got "05:00-05:59"; allowed at least 60 minutes)'
      )
    );
  });

  test("fails when it is 30 minutes", () => {
    expect(() => synthRedis({ snapshotWindow: "05:00-05:30" })).toThrow(
      new Error(
        '[stack/cache] snapshotWindow: is 30 minutes long (got "05:00-05:30"; allowed at least 60 minutes)'
      )
    );
  });

  test("fails when it is 59 minutes across midnight", () => {
    expect(() => synthRedis({ snapshotWindow: "23:30-00:29" })).toThrow(
      new Error(
        '[stack/cache] snapshotWindow: is 59 minutes long (got "23:30-00:29"; allowed at least 60 minutes)'
      )
    );
  });

  test.each(["5:00-6:00", "23:30-24:30", "04:00"])(
    "fails when its format is %p",
    (snapshotWindow) => {
      expect(() => synthRedis({ snapshotWindow })).toThrow(
        new Error(
          `[stack/cache] snapshotWindow: invalid format (got "${snapshotWindow}"; allowed hh24:mi-hh24:mi in UTC, e.g. 04:00-05:00)`
        )
      );
    }
  );

  test("fails when it leaves no room for the default maintenance window", () => {
    expect(() => synthRedis({ snapshotWindow: "06:00-04:01" })).toThrow(
      new Error(
        '[stack/cache] snapshotWindow: leaves no room for the default maintenance window (got "06:00-04:01"; allowed at most 1320 minutes, or set maintenanceWindow)'
      )
    );
  });

  test("should accept a long snapshot window when a maintenance window is given", () => {
    const json = synthRedis({
      snapshotWindow: "06:00-04:30",
      maintenanceWindow: "sun:04:30-sun:05:30",
    });

    expect(
      JSON.parse(json).resource.aws_elasticache_replication_group
        .cache_replication_group.maintenance_window
    ).toBe("sun:04:30-sun:05:30");
  });
});

describe("maintenanceWindow", () => {
  test("should accept 60 minutes (min)", () => {
    expect(() =>
      synthRedis({ maintenanceWindow: "tue:10:00-tue:11:00" })
    ).not.toThrow();
  });

  test("fails when it is 59 minutes (min-1)", () => {
    expect(() =>
      synthRedis({ maintenanceWindow: "tue:10:00-tue:10:59" })
    ).toThrow(
      new Error(
        '[stack/cache] maintenanceWindow: is 59 minutes long (got "tue:10:00-tue:10:59"; allowed at least 60 minutes)'
      )
    );
  });

  test("fails when it is 59 minutes across the end of the week", () => {
    expect(() =>
      synthRedis({ maintenanceWindow: "sat:23:30-sun:00:29" })
    ).toThrow(
      new Error(
        '[stack/cache] maintenanceWindow: is 59 minutes long (got "sat:23:30-sun:00:29"; allowed at least 60 minutes)'
      )
    );
  });

  test.each(["Sun:06:00-sun:07:00", "sun:06:00-07:00", "sun:6:00-sun:7:00"])(
    "fails when its format is %p",
    (maintenanceWindow) => {
      expect(() => synthRedis({ maintenanceWindow })).toThrow(
        new Error(
          `[stack/cache] maintenanceWindow: invalid format (got "${maintenanceWindow}"; allowed ddd:hh24:mi-ddd:hh24:mi in UTC with a lowercase day, e.g. sun:06:00-sun:07:00)`
        )
      );
    }
  );

  test("fails when it overlaps the snapshot window", () => {
    expect(() =>
      synthRedis({ maintenanceWindow: "wed:04:30-wed:05:30" })
    ).toThrow(
      new Error(
        '[stack/cache] maintenanceWindow: overlaps the daily snapshot window 04:00-05:00 (got "wed:04:30-wed:05:30"; allowed a window clear of the snapshot window on every day)'
      )
    );
  });

  test("fails when it overlaps a snapshot window across midnight", () => {
    const run = () =>
      synthRedis({
        snapshotWindow: "23:30-00:30",
        maintenanceWindow: "mon:00:00-mon:01:00",
      });

    expect(run).toThrow(
      new Error(
        '[stack/cache] maintenanceWindow: overlaps the daily snapshot window 23:30-00:30 (got "mon:00:00-mon:01:00"; allowed a window clear of the snapshot window on every day)'
      )
    );
  });

  test("fails when left out while the snapshot window is only known to Terraform", () => {
    const run = () =>
      Testing.synthScope((scope) => {
        const window = new TerraformVariable(scope, "window", {
          type: "string",
        });
        new Redis(scope, "cache", {
          ...REDIS,
          snapshotWindow: window.stringValue,
        });
      });

    expect(run).toThrow(
      new Error(
        "[stack/cache] maintenanceWindow: needed when snapshotWindow is only known at apply (got nothing; allowed ddd:hh24:mi-ddd:hh24:mi in UTC with a lowercase day, e.g. sun:06:00-sun:07:00)"
      )
    );
  });
});

describe("snapshotRetentionLimit", () => {
  test.each([0, 35])(
    "should accept %p (min and max)",
    (snapshotRetentionLimit) => {
      expect(() => synthRedis({ snapshotRetentionLimit })).not.toThrow();
    }
  );

  test.each([-1, 36, 40])("fails when it is %p", (snapshotRetentionLimit) => {
    expect(() => synthRedis({ snapshotRetentionLimit })).toThrow(
      new Error(
        `[stack/cache] snapshotRetentionLimit: out of range (got ${snapshotRetentionLimit}; allowed 0-35)`
      )
    );
  });

  test("fails when it is not a whole number", () => {
    expect(() => synthRedis({ snapshotRetentionLimit: 1.5 })).toThrow(
      new Error(
        "[stack/cache] snapshotRetentionLimit: must be a whole number (got 1.5; allowed 0-35)"
      )
    );
  });
});

describe("references", () => {
  test.each([
    ["a key id", "0123abcd-12ab-34cd-56ef-1234567890ab"],
    ["an alias", "alias/opta-staging"],
    ["an alias ARN", "arn:aws:kms:us-east-1:111111111111:alias/opta-staging"],
  ])("kmsKeyArn fails when it is %s", (_, kmsKeyArn) => {
    expect(() => synthRedis({ kmsKeyArn })).toThrow(
      new Error(
        `[stack/cache] kmsKeyArn: invalid format (got "${kmsKeyArn}"; allowed a KMS key ARN, arn:aws:kms:<region>:<account>:key/<key id>, not a key id or an alias)`
      )
    );
  });

  test("kmsKeyArn should accept a multi-region key ARN", () => {
    const kmsKeyArn =
      "arn:aws:kms:us-east-1:111111111111:key/mrk-0123456789abcdef0123456789abcdef";

    expect(() => synthRedis({ kmsKeyArn })).not.toThrow();
  });

  test("securityGroupIds fails when empty", () => {
    expect(() => synthRedis({ securityGroupIds: [] })).toThrow(
      new Error(
        "[stack/cache] securityGroupIds: no security group (got []; allowed at least 1 security group id)"
      )
    );
  });

  test("securityGroupIds fails when an id is not a security group id", () => {
    expect(() =>
      synthRedis({ securityGroupIds: ["sg-11111111", "vpc-22222222"] })
    ).toThrow(
      new Error(
        '[stack/cache] securityGroupIds[1]: invalid format (got "vpc-22222222"; allowed sg- followed by 8 or 17 lowercase hex digits)'
      )
    );
  });

  test("subnetGroupName fails with characters AWS refuses", () => {
    expect(() => synthRedis({ subnetGroupName: "Opta_Staging" })).toThrow(
      new Error(
        '[stack/cache] subnetGroupName: invalid format (got "Opta_Staging"; allowed lowercase letters, digits and dashes)'
      )
    );
  });

});

const TOPIC = "arn:aws:sns:us-east-1:111111111111:cache-alarms";

describe("envName", () => {
  test.each(["Staging", "", "a".repeat(33)])("fails when it is %p", (envName) => {
    expect(() => synthRedis({ envName })).toThrow(
      expect.objectContaining({ constructPath: "stack/cache", prop: "envName" })
    );
  });

  test("fails with the env name rule", () => {
    expect(() => synthRedis({ envName: "Staging" })).toThrow(
      new Error(
        '[stack/cache] envName: invalid format (got "Staging"; allowed lowercase letters, digits and single dashes, starting with a letter and not ending with a dash)'
      )
    );
  });
});

describe("numCacheClusters", () => {
  test.each([1, 6])("should accept %p (min and max)", (numCacheClusters) => {
    expect(() => synthRedis({ numCacheClusters })).not.toThrow();
  });

  test.each([0, 7])("fails when it is %p (min-1, max+1)", (numCacheClusters) => {
    expect(() => synthRedis({ numCacheClusters })).toThrow(
      new Error(
        `[stack/cache] numCacheClusters: out of range (got ${numCacheClusters}; allowed 1-6)`
      )
    );
  });

  test("fails when it is not a whole number", () => {
    expect(() => synthRedis({ numCacheClusters: 2.5 })).toThrow(
      new Error(
        "[stack/cache] numCacheClusters: must be a whole number (got 2.5; allowed 1-6)"
      )
    );
  });

  test("fails when it is only known at apply", () => {
    const run = () =>
      Testing.synthScope((scope) => {
        const count = new TerraformVariable(scope, "count", { type: "number" });
        new Redis(scope, "cache", { ...REDIS, numCacheClusters: count.numberValue });
      });

    expect(run).toThrow(
      new Error(
        "[stack/cache] numCacheClusters: must be known at synth: failover and the alarms follow from it (got a token; allowed a whole number 1-6)"
      )
    );
  });
});

describe("preferredAvailabilityZones", () => {
  test("fails with zones for two nodes on one node", () => {
    const run = () =>
      synthRedis({
        numCacheClusters: 1,
        preferredAvailabilityZones: ["us-east-1a", "us-east-1b"],
      });

    expect(run).toThrow(
      new Error(
        '[stack/cache] preferredAvailabilityZones: lists 2 zones for 1 node (got ["us-east-1a","us-east-1b"]; allowed one zone per node, the primary\'s first)'
      )
    );
  });

  test("fails with one zone for the default two nodes", () => {
    expect(() => synthRedis({ preferredAvailabilityZones: ["us-east-1a"] })).toThrow(
      new Error(
        '[stack/cache] preferredAvailabilityZones: lists 1 zone for 2 nodes (got ["us-east-1a"]; allowed one zone per node, the primary\'s first)'
      )
    );
  });

  test.each(["us-east-1", "US-EAST-1A", "use1-az1", "us-east-1ab"])(
    "fails on zone %p",
    (zone) => {
      expect(() =>
        synthRedis({ preferredAvailabilityZones: ["us-east-1a", zone] })
      ).toThrow(
        new Error(
          `[stack/cache] preferredAvailabilityZones[1]: invalid format (got "${zone}"; allowed an availability zone name such as us-east-1a, in the environment's region)`
        )
      );
    }
  );
});

describe("engine and version", () => {
  test("fails on an engine that is neither redis nor valkey", () => {
    expect(() => synthRedis({ engine: "memcached" as never })).toThrow(
      new Error(
        '[stack/cache] engine: unknown engine (got "memcached"; allowed redis, valkey)'
      )
    );
  });

  test.each([
    ["valkey", "7.1", "redis", "7.2, 8.0, 8.1"],
    ["valkey", "6.x", "redis", "7.2, 8.0, 8.1"],
    ["redis", "8.0", "valkey", "6.0, 6.2, 7.0, 7.1, 6.x"],
    ["redis", "7.2", "valkey", "6.0, 6.2, 7.0, 7.1, 6.x"],
  ])("fails on %s with the %s version %s, naming both", (engine, version, other, allowed) => {
    expect(() =>
      synthRedis({ engine: engine as "redis" | "valkey", engineVersion: version })
    ).toThrow(
      new Error(
        `[stack/cache] engineVersion: ${version} is a ${other} version, not a ${engine} one (got "${version}"; allowed ${allowed} for engine ${engine})`
      )
    );
  });

  test.each(["9.0", "8.0.1", "8"])("fails on valkey version %p", (engineVersion) => {
    expect(() => synthRedis({ engine: "valkey", engineVersion })).toThrow(
      new Error(
        `[stack/cache] engineVersion: invalid format (got "${engineVersion}"; allowed <major>.<minor> for Valkey (7.2, 8.0, 8.1))`
      )
    );
  });
});

describe("parameters", () => {
  test.each(["MaxMemory", "max_memory", "-timeout", ""])(
    "fails on parameter name %p",
    (name) => {
      expect(() => synthRedis({ parameters: { [name]: "1" } })).toThrow(
        new Error(
          `[stack/cache] parameters.${name}: invalid format (got "${name}"; allowed an ElastiCache parameter name: lowercase letters, digits and dashes, starting with a letter, e.g. maxmemory-policy)`
        )
      );
    }
  );

  test("fails on a value that is neither a string nor a number", () => {
    const parameters = { timeout: true } as unknown as Record<string, string>;

    expect(() => synthRedis({ parameters })).toThrow(
      new Error(
        '[stack/cache] parameters.timeout: must be a string or a number (got true; allowed the parameter\'s value, e.g. "allkeys-lru" or 300)'
      )
    );
  });

  test.each(["yes", "YES"])("fails when cluster-enabled is %p", (value) => {
    expect(() => synthRedis({ parameters: { "cluster-enabled": value } })).toThrow(
      new Error(
        '[stack/cache] parameters.cluster-enabled: turns on cluster mode, which this construct does not generate (got "yes"; allowed "no", or leave it out)'
      )
    );
  });

  test("should accept cluster-enabled no", () => {
    expect(() => synthRedis({ parameters: { "cluster-enabled": "no" } })).not.toThrow();
  });

  test("fails when the version is only known at apply", () => {
    const run = () =>
      Testing.synthScope((scope) => {
        const version = new TerraformVariable(scope, "v", { type: "string" });
        new Redis(scope, "cache", {
          ...REDIS,
          engineVersion: version.stringValue,
          parameters: { timeout: 300 },
        });
      });

    expect(run).toThrow(
      new Error(
        "[stack/cache] engineVersion: must be known at synth when parameters are given: the parameter group's family follows from it (got a token; allowed a version such as 7.1)"
      )
    );
  });
});

describe("logs", () => {
  test.each([1, 3653])("should accept retentionDays %p (min and max)", (retentionDays) => {
    expect(() => synthRedis({ slowLog: { retentionDays } })).not.toThrow();
  });

  test.each([
    ["slowLog", 0],
    ["slowLog", 2],
    ["engineLog", 31],
    ["engineLog", 3654],
  ])("fails when %s.retentionDays is %p", (prop, retentionDays) => {
    expect(() => synthRedis({ [prop]: { retentionDays } })).toThrow(
      new Error(
        `[stack/cache] ${prop}.retentionDays: not a retention CloudWatch Logs offers (got ${retentionDays}; allowed 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)`
      )
    );
  });

  test("fails when enabled is not a boolean", () => {
    const slowLog = { enabled: "yes" } as unknown as { enabled: boolean };

    expect(() => synthRedis({ slowLog })).toThrow(
      new Error('[stack/cache] slowLog.enabled: must be true or false (got "yes")')
    );
  });

  test("fails when applyImmediately is false and the default slow log is on", () => {
    expect(() => synthRedis({ applyImmediately: false })).toThrow(
      new Error(
        "[stack/cache] applyImmediately: false cannot go with log delivery, which AWS changes only immediately; slowLog is on (got false; allowed true, or both logs with enabled false)"
      )
    );
  });

  test("fails when applyImmediately is false with both logs on", () => {
    expect(() => synthRedis({ applyImmediately: false, engineLog: {} })).toThrow(
      new Error(
        "[stack/cache] applyImmediately: false cannot go with log delivery, which AWS changes only immediately; slowLog and engineLog are on (got false; allowed true, or both logs with enabled false)"
      )
    );
  });
});

describe("alarms", () => {
  test.each([
    ["a FIFO topic", `${TOPIC}.fifo`],
    ["a queue", "arn:aws:sqs:us-east-1:111111111111:cache-alarms"],
    ["a topic name", "cache-alarms"],
    ["an 11-digit account", "arn:aws:sns:us-east-1:11111111111:cache-alarms"],
  ])("fails when topicArn is %s", (_, topicArn) => {
    expect(() => synthRedis({ alarms: { topicArn } })).toThrow(
      new Error(
        `[stack/cache] alarms.topicArn: invalid format (got "${topicArn}"; allowed a standard SNS topic ARN, arn:aws:sns:<region>:<account>:<topic>, in the environment's region)`
      )
    );
  });

  const bounds = [
    ["cpuPercent", 1, 100],
    ["memoryPercent", 1, 100],
    ["evictions", 0, 100000000],
    ["connections", 1, 65000],
    ["replicationLagSeconds", 1, 86400],
  ] as const;

  test.each(bounds.flatMap(([p, min, max]) => [[p, min], [p, max]]))(
    "should accept %s %p (min and max)",
    (prop, value) => {
      expect(() => synthRedis({ alarms: { topicArn: TOPIC, [prop]: value } })).not.toThrow();
    }
  );

  test.each(bounds.flatMap(([p, min, max]) => [[p, min - 1, min, max], [p, max + 1, min, max]]))(
    "fails when %s is %p (min-1, max+1)",
    (prop, value, min, max) => {
      expect(() => synthRedis({ alarms: { topicArn: TOPIC, [prop]: value } })).toThrow(
        new Error(`[stack/cache] alarms.${prop}: out of range (got ${value}; allowed ${min}-${max})`)
      );
    }
  );
});

describe("notificationTopicArn and restoreFromSnapshot", () => {
  test("notificationTopicArn fails when it is not an SNS topic ARN", () => {
    expect(() => synthRedis({ notificationTopicArn: "alerts" })).toThrow(
      new Error(
        `[stack/cache] notificationTopicArn: invalid format (got "alerts"; allowed a standard SNS topic ARN, arn:aws:sns:<region>:<account>:<topic>, in the environment's region)`
      )
    );
  });

  test.each([
    ["an ARN", "arn:aws:elasticache:us-east-1:111111111111:snapshot:x"],
    ["a name with a space", "my snapshot"],
    ["a name starting with a dash", "-x"],
  ])("restoreFromSnapshot fails on %s", (_, restoreFromSnapshot) => {
    expect(() => synthRedis({ restoreFromSnapshot })).toThrow(
      new Error(
        `[stack/cache] restoreFromSnapshot: invalid format (got "${restoreFromSnapshot}"; allowed a snapshot name: letters, digits, dots, dashes and underscores, starting with a letter or digit)`
      )
    );
  });

  test("restoreFromSnapshot should accept 255 characters (max) and refuse 256 (max+1)", () => {
    expect(() => synthRedis({ restoreFromSnapshot: "s".repeat(255) })).not.toThrow();
    expect(() => synthRedis({ restoreFromSnapshot: "s".repeat(256) })).toThrow(
      new Error(
        `[stack/cache] restoreFromSnapshot: is 256 characters (got "${"s".repeat(256)}"; allowed 1-255 characters)`
      )
    );
  });
});

describe("tags", () => {
  const many = (n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));

  test("should accept 50 tags (max) and refuse 51 (max+1)", () => {
    expect(() => synthRedis({ tags: many(50) })).not.toThrow();
    expect(() => synthRedis({ tags: many(51) })).toThrow(
      new Error("[stack/cache] tags: has 51 tags (got 51; allowed at most 50)")
    );
  });

  test.each(["aws:team", "AWS:team"])("fails on the reserved key %p", (key) => {
    expect(() => synthRedis({ tags: { [key]: "x" } })).toThrow(
      new Error(
        `[stack/cache] tags.${key}: invalid format (got "${key}"; allowed 1-128 characters, not starting with aws:)`
      )
    );
  });

  test("should accept a 128-character key and a 256-character value (max), and refuse one more", () => {
    expect(() => synthRedis({ tags: { ["k".repeat(128)]: "v".repeat(256) } })).not.toThrow();
    expect(() => synthRedis({ tags: { ["k".repeat(129)]: "v" } })).toThrow(
      new Error(
        `[stack/cache] tags.${"k".repeat(129)}: is 129 characters (got "${"k".repeat(129)}"; allowed 1-128 characters)`
      )
    );
    expect(() => synthRedis({ tags: { team: "v".repeat(257) } })).toThrow(
      new Error(
        `[stack/cache] tags.team: is 257 characters (got "${"v".repeat(257)}"; allowed 0-256 characters)`
      )
    );
  });
});
