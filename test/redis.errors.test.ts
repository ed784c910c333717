import { TerraformVariable, Testing } from "cdktf";
import { StrataConstructError } from "../modules/errors";
import { Redis, RedisProps } from "../modules/redis";

const KEY_ARN =
  "arn:aws:kms:us-east-1:111111111111:key/0123abcd-12ab-34cd-56ef-1234567890ab";

const REDIS: RedisProps = {
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
  test.each(["7.x", "7", "7.0.7", "8.0", "5.0.6", ""])(
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
