import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { Password } from "@cdktf/provider-random/lib/password";
import { StringResource } from "@cdktf/provider-random/lib/string-resource";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { describeValue } from "../errors";
import { ELASTICACHE_PORT } from "../env-init/names";
import { TextRule, checkInteger, checkText, fail } from "../limits";
import type { ILinkable } from "../link/linkable";
import { assignLogicalId } from "../logical-id";
import {
  AUTH_TOKEN_LENGTH,
  CACHE_SUBNET_GROUP_NAME,
  ENGINE_VERSION,
  ID_SUFFIX_LENGTH,
  KMS_KEY_ARN,
  NODE_TYPES,
  PREVIOUS_NODE_TYPES,
  REPLICATION_GROUP_ID,
  SECURITY_GROUP_ID,
  SNAPSHOT_RETENTION_LIMIT,
} from "./limits";
import {
  DAILY_WINDOW,
  DailyWindow,
  LONGEST_SNAPSHOT_FOR_DEFAULT_MINUTES,
  MIN_WINDOW_MINUTES,
  WEEKLY_WINDOW,
  WeeklyWindow,
  defaultMaintenanceWindow,
  parseDailyWindow,
  parseWeeklyWindow,
  windowsOverlap,
} from "./windows";

/** Props of {@link Redis}. */
export interface RedisProps {
  /**
   * The service the cache belongs to; with the construct id (the module
   * name) it makes the replication group id
   * `opta-<service>-<module>-<suffix>`, which must fit 40 characters.
   *
   * IMPORTANT: changing it replaces the replication group, and its data is
   * lost.
   */
  readonly serviceName: string;

  /**
   * The ARN of the KMS key that encrypts the cache at rest, e.g.
   * `EnvInitLookup.kmsKeyArn`. The ARN, never a key id or an alias.
   *
   * IMPORTANT: changing it replaces the replication group.
   */
  readonly kmsKeyArn: string;

  /** Security groups of the cache, e.g. `[EnvInitLookup.securityGroupId]`. */
  readonly securityGroupIds: readonly string[];

  /**
   * The ElastiCache subnet group, e.g. `EnvInitLookup.subnetGroupName`.
   *
   * IMPORTANT: changing it replaces the replication group.
   */
  readonly subnetGroupName: string;

  /**
   * The node type, one of `NODE_TYPES` or `PREVIOUS_NODE_TYPES`. A change
   * resizes the nodes in place.
   *
   * @default "cache.m6g.large"
   */
  readonly nodeType?: string;

  /**
   * The Redis version: `<major>.<minor>` (`6.0`, `6.2`, `7.0`, `7.1`), or
   * `6.x` as opta files have it. A higher version upgrades in place; a
   * lower one is refused by AWS.
   *
   * @default "7.1"
   */
  readonly engineVersion?: string;

  /**
   * The daily UTC window for snapshots, `hh24:mi-hh24:mi`, at least 60
   * minutes; it may run past midnight (`23:30-00:30`).
   *
   * @default "04:00-05:00"
   */
  readonly snapshotWindow?: string;

  /**
   * Days of automatic snapshots to keep, 0-35; 0 turns them off.
   *
   * @default 0
   */
  readonly snapshotRetentionLimit?: number;

  /**
   * The weekly UTC maintenance window, `ddd:hh24:mi-ddd:hh24:mi` with a
   * lowercase day, at least 60 minutes and never overlapping the snapshot
   * window.
   *
   * @default - 60 minutes on Sunday, opening one hour after the snapshot
   * window closes (`sun:06:00-sun:07:00` for the default snapshot window)
   */
  readonly maintenanceWindow?: string;
}

/** The defaults {@link Redis} applies to props left out. */
export const REDIS_DEFAULTS = Object.freeze({
  nodeType: "cache.m6g.large",
  engineVersion: "7.1",
  snapshotWindow: "04:00-05:00",
  snapshotRetentionLimit: 0,
});

/** The fields a Redis link exports, in the order secrets list them. */
export const REDIS_LINK_FIELDS: readonly string[] = Object.freeze([
  "cache_host",
  "cache_auth_token",
]);

/**
 * A Redis replication group on ElastiCache, as opta made it: two nodes in
 * different zones with automatic failover, TLS in transit, encryption at
 * rest with the env's key, and an auth token from a random password.
 *
 * Terraform addresses are `<id>_<role>` with the roles `auth_token`
 * (random_password), `id_suffix` (random_string) and `replication_group`.
 *
 * Unlike opta, `engine_version` is not in `ignore_changes`: with it, raising
 * the version silently did nothing.
 */
export class Redis extends Construct implements ILinkable {
  /** The link name: the construct id, i.e. the module name. */
  readonly linkName: string;

  /** The link type. */
  readonly linkType = "redis";

  /** The service name, as given. */
  readonly serviceName: string;

  /** The maintenance window written, given or computed. */
  readonly maintenanceWindow: string;

  /** The random password that is the auth token. */
  readonly password: Password;

  /** The random suffix that ends the replication group id. */
  readonly idSuffix: StringResource;

  /** The replication group. */
  readonly replicationGroup: ElasticacheReplicationGroup;

  /** The primary endpoint's address. */
  readonly cacheHost: string;

  /** The auth token; sensitive, so any output of it must be too. */
  readonly authToken: string;

  /** The replication group id. */
  readonly replicationGroupId: string;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);

    const nodeType = props.nodeType ?? REDIS_DEFAULTS.nodeType;
    const engineVersion = props.engineVersion ?? REDIS_DEFAULTS.engineVersion;
    const snapshotWindow =
      props.snapshotWindow ?? REDIS_DEFAULTS.snapshotWindow;
    const retention =
      props.snapshotRetentionLimit ?? REDIS_DEFAULTS.snapshotRetentionLimit;
    const securityGroupIds = [...props.securityGroupIds];
    const idPrefix = `opta-${props.serviceName}-${id}`.toLowerCase();

    checkIdPrefix(this, idPrefix);
    checkText(this, "kmsKeyArn", props.kmsKeyArn, KMS_KEY_ARN);
    checkSecurityGroupIds(this, securityGroupIds);
    checkText(
      this,
      "subnetGroupName",
      props.subnetGroupName,
      CACHE_SUBNET_GROUP_NAME
    );
    checkNodeType(this, nodeType);
    checkText(this, "engineVersion", engineVersion, ENGINE_VERSION);
    const snapshot = checkWindow(
      this,
      "snapshotWindow",
      snapshotWindow,
      DAILY_WINDOW,
      parseDailyWindow
    );
    checkInteger(
      this,
      "snapshotRetentionLimit",
      retention,
      SNAPSHOT_RETENTION_LIMIT
    );
    const maintenanceWindow = resolveMaintenanceWindow(
      this,
      snapshotWindow,
      snapshot,
      props.maintenanceWindow
    );

    this.password = new Password(this, "AuthToken", {
      length: AUTH_TOKEN_LENGTH,
      special: false,
    });
    assignLogicalId(this, this.password, "auth_token");

    this.idSuffix = new StringResource(this, "IdSuffix", {
      length: ID_SUFFIX_LENGTH,
      special: false,
      upper: false,
    });
    assignLogicalId(this, this.idSuffix, "id_suffix");

    // Known limitation: cluster mode is not generated; the group always has
    // one shard of two nodes, as opta's had.
    const replicationGroupId = `${idPrefix}-${this.idSuffix.result}`;
    this.replicationGroup = new ElasticacheReplicationGroup(
      this,
      "ReplicationGroup",
      {
        replicationGroupId,
        description: `Elasticache ${replicationGroupId}`,
        engine: "redis",
        engineVersion,
        nodeType,
        numCacheClusters: 2,
        automaticFailoverEnabled: true,
        multiAzEnabled: true,
        port: ELASTICACHE_PORT,
        transitEncryptionEnabled: true,
        atRestEncryptionEnabled: "true",
        kmsKeyId: props.kmsKeyArn,
        authToken: this.password.result,
        authTokenUpdateStrategy: "ROTATE",
        applyImmediately: true,
        autoMinorVersionUpgrade: "true",
        snapshotWindow,
        snapshotRetentionLimit: retention,
        maintenanceWindow,
        subnetGroupName: props.subnetGroupName,
        securityGroupIds,
      }
    );
    assignLogicalId(this, this.replicationGroup, "replication_group");

    this.linkName = id;
    this.serviceName = props.serviceName;
    this.maintenanceWindow = maintenanceWindow;
    this.cacheHost = this.replicationGroup.primaryEndpointAddress;
    this.authToken = this.password.result;
    this.replicationGroupId = this.replicationGroup.replicationGroupId;
  }

  /** `cache_host` and `cache_auth_token`, as Terraform references. */
  linkFields(): Record<string, string> {
    return { cache_host: this.cacheHost, cache_auth_token: this.authToken };
  }
}

function checkIdPrefix(scope: Construct, idPrefix: string): void {
  if (Token.isUnresolved(idPrefix)) return;

  const shown = describeValue(`${idPrefix}-${"?".repeat(ID_SUFFIX_LENGTH)}`);
  const length = idPrefix.length + 1 + ID_SUFFIX_LENGTH;
  if (
    !REPLICATION_GROUP_ID.pattern.test(
      `${idPrefix}-${"0".repeat(ID_SUFFIX_LENGTH)}`
    )
  ) {
    fail(
      scope,
      "replicationGroupId",
      `invalid format (got ${shown}; allowed ${REPLICATION_GROUP_ID.description}; change the service or module name)`
    );
  }
  if (length > REPLICATION_GROUP_ID.maxLength) {
    fail(
      scope,
      "replicationGroupId",
      `would be ${length} characters (got ${shown}; allowed ${REPLICATION_GROUP_ID.minLength}-${REPLICATION_GROUP_ID.maxLength}; shorten the service or module name)`
    );
  }
}

function checkSecurityGroupIds(scope: Construct, ids: string[]): void {
  if (Token.isUnresolved(ids)) return;

  if (ids.length === 0) {
    fail(
      scope,
      "securityGroupIds",
      "no security group (got []; allowed at least 1 security group id)"
    );
  }
  ids.forEach((groupId, index) =>
    checkText(scope, `securityGroupIds[${index}]`, groupId, SECURITY_GROUP_ID)
  );
}

function checkNodeType(scope: Construct, nodeType: string): void {
  if (Token.isUnresolved(nodeType)) return;
  if (NODE_TYPES.includes(nodeType) || PREVIOUS_NODE_TYPES.includes(nodeType))
    return;

  fail(
    scope,
    "nodeType",
    `unknown node type (got ${describeValue(
      nodeType
    )}; allowed an ElastiCache node type for Redis of the families ${families(
      NODE_TYPES
    )}, or of the previous generation ${families(PREVIOUS_NODE_TYPES)})`
  );
}

function families(nodeTypes: readonly string[]): string {
  return [...new Set(nodeTypes.map((t) => t.split(".")[1]))].join(", ");
}

/** Checks a window's format and length; returns it parsed, unless a token. */
function checkWindow<T extends DailyWindow | WeeklyWindow>(
  scope: Construct,
  prop: string,
  text: string,
  rule: TextRule,
  parse: (text: string) => T | undefined
): T | undefined {
  if (Token.isUnresolved(text)) return undefined;

  const window = parse(text);
  if (window === undefined) {
    fail(
      scope,
      prop,
      `invalid format (got ${describeValue(text)}; allowed ${rule.description})`
    );
  }
  if (window.minutes < MIN_WINDOW_MINUTES) {
    fail(
      scope,
      prop,
      `is ${window.minutes} minutes long (got ${describeValue(
        text
      )}; allowed at least ${MIN_WINDOW_MINUTES} minutes)`
    );
  }
  return window;
}

function resolveMaintenanceWindow(
  scope: Construct,
  snapshotText: string,
  snapshot: DailyWindow | undefined,
  given: string | undefined
): string {
  if (given !== undefined) {
    const maintenance = checkWindow(
      scope,
      "maintenanceWindow",
      given,
      WEEKLY_WINDOW,
      parseWeeklyWindow
    );
    if (
      snapshot !== undefined &&
      maintenance !== undefined &&
      windowsOverlap(snapshot, maintenance)
    ) {
      fail(
        scope,
        "maintenanceWindow",
        `overlaps the daily snapshot window ${snapshotText} (got ${describeValue(
          given
        )}; allowed a window clear of the snapshot window on every day)`
      );
    }
    return given;
  }

  if (snapshot === undefined) {
    fail(
      scope,
      "maintenanceWindow",
      `needed when snapshotWindow is only known at apply (got nothing; allowed ${WEEKLY_WINDOW.description})`
    );
  }
  const computed = defaultMaintenanceWindow(snapshot);
  if (computed === undefined) {
    fail(
      scope,
      "snapshotWindow",
      `leaves no room for the default maintenance window (got ${describeValue(
        snapshotText
      )}; allowed at most ${LONGEST_SNAPSHOT_FOR_DEFAULT_MINUTES} minutes, or set maintenanceWindow)`
    );
  }
  return computed;
}
