import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { Password } from "@cdktf/provider-random/lib/password";
import { StringResource } from "@cdktf/provider-random/lib/string-resource";
import { Annotations, Token } from "cdktf";
import { Construct } from "constructs";
import { describeValue } from "../errors";
import {
  ELASTICACHE_PORT,
  ENV_NAME,
  TAG_KEY,
  TAG_VALUE,
} from "../env-init/names";
import { TextRule, checkInteger, checkText, fail } from "../limits";
import type { ILinkable } from "../link/linkable";
import { assignLogicalId } from "../logical-id";
import {
  ALARM_METRICS,
  AlarmThreshold,
  RedisAlarmProps,
  createAlarms,
} from "./alarms";
import { REDIS_DEFAULTS } from "./defaults";
import { parameterGroupFamily, parameterGroupName } from "./engine";
import {
  AUTH_TOKEN_LENGTH,
  AVAILABILITY_ZONE,
  CACHE_SUBNET_GROUP_NAME,
  CLUSTER_MODE_PARAMETER,
  DEFAULT_ENGINE_VERSIONS,
  ENGINES,
  ENGINE_VERSION_RULES,
  Engine,
  ID_SUFFIX_LENGTH,
  KMS_KEY_ARN,
  LOG_RETENTION_DAYS,
  MAX_TAGS,
  MIN_FAILOVER_NODES,
  NODE_TYPES,
  NUM_CACHE_CLUSTERS,
  PARAMETER_NAME,
  PREVIOUS_NODE_TYPES,
  REPLICATION_GROUP_ID,
  SECURITY_GROUP_ID,
  SNAPSHOT_NAME,
  SNAPSHOT_RETENTION_LIMIT,
  SNS_TOPIC_ARN,
  engineVersions,
} from "./limits";
import { LOG_KINDS, LogProp, RedisLogProps, logGroupName } from "./logs";
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
   * The env the cache belongs to; it names the cache's log groups
   * (`/strata/<env>/<service>/<module>/...`) and alarms
   * (`strata-<env>-<service>-<module>-...`), checked as `ENV_NAME`.
   *
   * IMPORTANT: changing it replaces the log groups, and their events are
   * lost.
   */
  readonly envName: string;

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
   * An explicit replication group id, e.g. the id of an existing cache that
   * is being adopted. No random suffix is generated then.
   *
   * IMPORTANT: changing it replaces the replication group.
   *
   * @default - `opta-<service>-<module>-<4 random characters>`
   */
  readonly replicationGroupId?: string;

  /**
   * Whether the password is imported from an existing cache's token (when
   * adopting). The random provider's import records the token's length and
   * character classes differently from this construct's settings, and any
   * of those differences would replace the password with a new one, so they
   * are ignored.
   *
   * @default false
   */
  readonly importedAuthToken?: boolean;

  /**
   * The ARN of the KMS key that encrypts the cache at rest and its log
   * groups, e.g. `EnvInitLookup.kmsKeyArn`. The ARN, never a key id or an
   * alias.
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
   * Nodes of the cache, 1-6: a primary and up to 5 replicas. With 2 or more,
   * automatic failover and multi-AZ are on; with 1 both are off and a
   * failed node takes the cache down (the construct adds a warning). A
   * change adds or removes replicas in place. Must be known at synth: the
   * alarms are built per node.
   *
   * @default 2
   */
  readonly numCacheClusters?: number;

  /**
   * The availability zone of each node, the primary's first: as many zones
   * as `numCacheClusters`, a zone may repeat. Read when a node is created;
   * changing the list later moves no node.
   *
   * @default - AWS spreads the nodes over the subnet group's zones
   */
  readonly preferredAvailabilityZones?: readonly string[];

  /**
   * The engine, `redis` or `valkey`. Moving from Redis 7 to Valkey
   * upgrades the cache in place; moving back replaces it.
   *
   * @default "redis"
   */
  readonly engine?: Engine;

  /**
   * The engine version: for Redis `6.0`, `6.2`, `7.0`, `7.1` or opta's
   * `6.x`; for Valkey `7.2`, `8.0`, `8.1`. A higher version upgrades in
   * place; a lower one replaces the cache.
   *
   * @default - `7.1` for Redis, `8.0` for Valkey (`DEFAULT_ENGINE_VERSIONS`)
   */
  readonly engineVersion?: string;

  /**
   * Engine parameters, name to value (`{"maxmemory-policy":
   * "allkeys-lru"}`). Given, they make a parameter group of the family of
   * the engine version (`redis7`, `valkey8`, ...), named after a hash of
   * that family, so an upgrade to another family creates a new group
   * before the old one goes. `cluster-enabled` cannot be `yes`.
   *
   * @default - no parameter group: AWS uses its default group for the
   * version
   */
  readonly parameters?: Readonly<Record<string, string | number>>;

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

  /**
   * Whether changes are applied at the next apply (true) or in the next
   * maintenance window (false). False cannot be combined with a log: AWS
   * changes log delivery only immediately, so turn both logs off with it.
   *
   * @default true
   */
  readonly applyImmediately?: boolean;

  /**
   * Whether AWS upgrades minor engine versions in the maintenance window.
   *
   * @default true
   */
  readonly autoMinorVersionUpgrade?: boolean;

  /**
   * The slow log (commands over the engine's slowlog threshold), delivered
   * as JSON to the log group `/strata/<env>/<service>/<module>/slow-log`,
   * encrypted with the env key.
   *
   * @default - on, kept 30 days
   */
  readonly slowLog?: RedisLogProps;

  /**
   * The engine log, delivered like the slow log to
   * `/strata/<env>/<service>/<module>/engine-log`.
   *
   * @default - off; a block given is on, kept 30 days
   */
  readonly engineLog?: RedisLogProps;

  /**
   * CloudWatch alarms on every node (CPU, memory, evictions, connections)
   * and every replica (replication lag), sent to an SNS topic.
   *
   * @default - no alarms
   */
  readonly alarms?: RedisAlarmProps;

  /**
   * An SNS topic, in the cache's region, that gets ElastiCache's events of
   * the cache (failovers, node replacements, snapshots).
   *
   * @default - no event notifications
   */
  readonly notificationTopicArn?: string;

  /**
   * Whether `terraform destroy` (or a replacement) first takes a snapshot
   * named `<group id>-final`. AWS keeps that snapshot until it is deleted.
   *
   * @default true
   */
  readonly finalSnapshot?: boolean;

  /**
   * A snapshot to create the cache from. Read only when the cache is
   * created: adding, changing or removing it later does nothing (Terraform
   * ignores the attribute, which would otherwise replace the live cache
   * with a new one).
   *
   * @default - an empty cache
   */
  readonly restoreFromSnapshot?: string;

  /**
   * Tags of every resource of the cache that takes tags (the replication
   * group, its parameter group, log groups and alarms), at most 50.
   *
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export {
  REDIS_DEFAULTS,
  REDIS_LINK_EXTRAS,
  REDIS_LINK_FIELDS,
} from "./defaults";

/**
 * An ElastiCache replication group of Redis or Valkey, opta's `redis` module
 * grown up: one to six nodes with automatic failover and multi-AZ from two,
 * TLS in transit, encryption at rest with the env's key, an auth token from
 * a random password, the slow log in CloudWatch, a final snapshot on
 * destroy, and optionally a parameter group, the engine log, alarms and
 * event notifications.
 *
 * Terraform addresses are `<id>_<role>` with the roles `auth_token`
 * (random_password), `id_suffix` (random_string), `replication_group`,
 * `parameter_group`, `slow_log` and `engine_log` (log groups), and
 * `alarm_<metric>_<node>` (`alarm_cpu_001`, `alarm_replication_lag_002`).
 *
 * Unlike opta, `engine_version` is not in `ignore_changes`: with it, raising
 * the version silently did nothing. `snapshot_name` is, always: AWS reads it
 * only at create, and a change or removal would replace the cache.
 */
export class Redis extends Construct implements ILinkable {
  /** The link name: the construct id, i.e. the module name. */
  readonly linkName: string;

  /** The link type. */
  readonly linkType = "redis";

  /** The service name, as given. */
  readonly serviceName: string;

  /** The env name, as given. */
  readonly envName: string;

  /** The engine written. */
  readonly engine: Engine;

  /** The engine version written, given or default. */
  readonly engineVersion: string;

  /** The number of nodes written. */
  readonly numCacheClusters: number;

  /** The maintenance window written, given or computed. */
  readonly maintenanceWindow: string;

  /** The random password that is the auth token. */
  readonly password: Password;

  /** The random suffix that ends the replication group id. */
  readonly idSuffix?: StringResource;

  /** The replication group. */
  readonly replicationGroup: ElasticacheReplicationGroup;

  /** The parameter group, when parameters are given. */
  readonly parameterGroup?: ElasticacheParameterGroup;

  /** The slow log's group, when the slow log is on. */
  readonly slowLogGroup?: CloudwatchLogGroup;

  /** The engine log's group, when the engine log is on. */
  readonly engineLogGroup?: CloudwatchLogGroup;

  /** The alarms, in the order written; empty without `alarms`. */
  readonly alarms: readonly CloudwatchMetricAlarm[];

  /** The primary endpoint's address. */
  readonly cacheHost: string;

  /** The port, as a string reference for secrets. */
  readonly cachePort: string;

  /** The reader endpoint's address, which spreads reads over the replicas. */
  readonly readerEndpoint: string;

  /** The replication group's ARN. */
  readonly arn: string;

  /** The auth token; sensitive, so any output of it must be too. */
  readonly authToken: string;

  /**
   * `rediss://:<token>@<host>:<port>`, a Terraform template; sensitive like
   * the token. The token is letters and digits only, so it needs no
   * escaping in a URL.
   */
  readonly cacheUrl: string;

  /** The replication group id. */
  readonly replicationGroupId: string;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);

    const engine = props.engine ?? REDIS_DEFAULTS.engine;
    const engineVersion =
      props.engineVersion ?? DEFAULT_ENGINE_VERSIONS[engine] ?? "";
    const nodeType = props.nodeType ?? REDIS_DEFAULTS.nodeType;
    const numCacheClusters =
      props.numCacheClusters ?? REDIS_DEFAULTS.numCacheClusters;
    const zones =
      props.preferredAvailabilityZones === undefined
        ? undefined
        : [...props.preferredAvailabilityZones];
    const parameters =
      props.parameters === undefined ? undefined : { ...props.parameters };
    const snapshotWindow =
      props.snapshotWindow ?? REDIS_DEFAULTS.snapshotWindow;
    const retention =
      props.snapshotRetentionLimit ?? REDIS_DEFAULTS.snapshotRetentionLimit;
    const applyImmediately =
      props.applyImmediately ?? REDIS_DEFAULTS.applyImmediately;
    const autoMinorVersionUpgrade =
      props.autoMinorVersionUpgrade ?? REDIS_DEFAULTS.autoMinorVersionUpgrade;
    const logs = {
      slowLog: resolveLog(props.slowLog, REDIS_DEFAULTS.slowLog),
      engineLog: resolveLog(props.engineLog, REDIS_DEFAULTS.engineLog),
    };
    const alarms =
      props.alarms === undefined
        ? undefined
        : {
            ...REDIS_DEFAULTS.alarms,
            ...definedOnly(props.alarms),
            topicArn: props.alarms.topicArn,
          };
    const finalSnapshot = props.finalSnapshot ?? REDIS_DEFAULTS.finalSnapshot;
    const tags = props.tags === undefined ? {} : { ...props.tags };
    const securityGroupIds = [...props.securityGroupIds];
    const idPrefix = `opta-${props.serviceName}-${id}`.toLowerCase();

    checkText(this, "envName", props.envName, ENV_NAME);
    if (props.replicationGroupId === undefined) checkIdPrefix(this, idPrefix);
    checkText(this, "kmsKeyArn", props.kmsKeyArn, KMS_KEY_ARN);
    checkSecurityGroupIds(this, securityGroupIds);
    checkText(
      this,
      "subnetGroupName",
      props.subnetGroupName,
      CACHE_SUBNET_GROUP_NAME
    );
    checkNodeType(this, nodeType);
    checkEngine(this, engine, engineVersion);
    checkNodes(this, numCacheClusters, zones);
    checkParameters(this, parameters, engineVersion);
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
    checkLogs(this, logs, applyImmediately);
    if (alarms !== undefined) checkAlarms(this, alarms);
    if (props.notificationTopicArn !== undefined) {
      checkText(
        this,
        "notificationTopicArn",
        props.notificationTopicArn,
        SNS_TOPIC_ARN
      );
    }
    if (props.restoreFromSnapshot !== undefined) {
      checkText(
        this,
        "restoreFromSnapshot",
        props.restoreFromSnapshot,
        SNAPSHOT_NAME
      );
    }
    checkTags(this, tags);
    const failover = numCacheClusters >= MIN_FAILOVER_NODES;
    if (!failover) {
      Annotations.of(this).addWarning(
        `numCacheClusters: ${numCacheClusters} node, so no automatic failover and no multi-AZ: a failed node takes the cache down and loses what the last snapshot does not hold`
      );
    }
    const tagged = Object.keys(tags).length > 0 ? tags : undefined;

    this.password = new Password(this, "AuthToken", {
      length: AUTH_TOKEN_LENGTH,
      special: false,
      lifecycle: props.importedAuthToken
        ? {
            ignoreChanges: [
              "length",
              "special",
              "upper",
              "lower",
              "numeric",
              "min_lower",
              "min_upper",
              "min_numeric",
              "min_special",
              "override_special",
            ],
          }
        : undefined,
    });
    assignLogicalId(this, this.password, "auth_token");

    if (props.replicationGroupId === undefined) {
      this.idSuffix = new StringResource(this, "IdSuffix", {
        length: ID_SUFFIX_LENGTH,
        special: false,
        upper: false,
      });
      assignLogicalId(this, this.idSuffix, "id_suffix");
    } else {
      checkText(this, "replicationGroupId", props.replicationGroupId, REPLICATION_GROUP_ID);
    }

    if (parameters !== undefined && Object.keys(parameters).length > 0) {
      const family = parameterGroupFamily(engine, engineVersion);
      this.parameterGroup = new ElasticacheParameterGroup(
        this,
        "ParameterGroup",
        {
          // The env is in the name: parameter group names are unique per
          // account and region, and two envs may share both.
          name: parameterGroupName(`opta-${props.envName}-${props.serviceName}-${id}`.toLowerCase(), family),
          family,
          description: `Parameters of ${idPrefix} (${family})`,
          parameter: Object.entries(parameters).map(([name, value]) => ({
            name,
            value: String(value),
          })),
          tags: tagged,
          // A new family means a new name: the new group must exist before
          // the cache moves to it, and the old one can go only after.
          lifecycle: { createBeforeDestroy: true },
        }
      );
      assignLogicalId(this, this.parameterGroup, "parameter_group");
    }

    const logGroups: Partial<Record<LogProp, CloudwatchLogGroup>> = {};
    for (const kind of LOG_KINDS) {
      const log = logs[kind.prop];
      if (!log.enabled) continue;
      const group = new CloudwatchLogGroup(this, kind.role, {
        name: logGroupName(props.envName, props.serviceName, id, kind.logType),
        retentionInDays: log.retentionDays,
        kmsKeyId: props.kmsKeyArn,
        tags: tagged,
      });
      assignLogicalId(this, group, kind.role);
      logGroups[kind.prop] = group;
    }
    this.slowLogGroup = logGroups.slowLog;
    this.engineLogGroup = logGroups.engineLog;

    const deliveries = LOG_KINDS.filter(
      (kind) => logGroups[kind.prop] !== undefined
    ).map((kind) => ({
      destination: logGroups[kind.prop]!.name,
      destinationType: "cloudwatch-logs",
      logFormat: "json",
      logType: kind.logType,
    }));

    // Known limitation: cluster mode is not generated; the group always has
    // one shard of one to six nodes.
    const replicationGroupId =
      props.replicationGroupId ?? `${idPrefix}-${this.idSuffix!.result}`;
    this.replicationGroup = new ElasticacheReplicationGroup(
      this,
      "ReplicationGroup",
      {
        replicationGroupId,
        description: `Elasticache ${replicationGroupId}`,
        engine,
        engineVersion,
        nodeType,
        numCacheClusters,
        automaticFailoverEnabled: failover,
        multiAzEnabled: failover,
        preferredCacheClusterAzs: zones,
        parameterGroupName: this.parameterGroup?.name,
        port: ELASTICACHE_PORT,
        transitEncryptionEnabled: true,
        atRestEncryptionEnabled: "true",
        kmsKeyId: props.kmsKeyArn,
        authToken: this.password.result,
        authTokenUpdateStrategy: "ROTATE",
        applyImmediately,
        autoMinorVersionUpgrade: String(autoMinorVersionUpgrade),
        snapshotWindow,
        snapshotRetentionLimit: retention,
        maintenanceWindow,
        subnetGroupName: props.subnetGroupName,
        securityGroupIds,
        notificationTopicArn: props.notificationTopicArn,
        finalSnapshotIdentifier: finalSnapshot
          ? `${replicationGroupId}-final`
          : undefined,
        snapshotName: props.restoreFromSnapshot,
        logDeliveryConfiguration:
          deliveries.length > 0 ? deliveries : undefined,
        tags: tagged,
        lifecycle: { ignoreChanges: ["snapshot_name"] },
      }
    );
    assignLogicalId(this, this.replicationGroup, "replication_group");

    this.alarms =
      alarms === undefined
        ? []
        : createAlarms(this, {
            replicationGroupId: this.replicationGroup.id,
            numCacheClusters,
            namePrefix: `strata-${props.envName}-${props.serviceName}-${id}`,
            thresholds: alarms,
            topicArn: alarms.topicArn,
            tags: tagged,
          });

    this.linkName = id;
    this.serviceName = props.serviceName;
    this.envName = props.envName;
    this.engine = engine;
    this.engineVersion = engineVersion;
    this.numCacheClusters = numCacheClusters;
    this.maintenanceWindow = maintenanceWindow;
    this.cacheHost = this.replicationGroup.primaryEndpointAddress;
    this.cachePort = Token.asString(this.replicationGroup.port);
    this.readerEndpoint = this.replicationGroup.readerEndpointAddress;
    this.arn = this.replicationGroup.arn;
    this.authToken = this.password.result;
    this.cacheUrl = `rediss://:${this.authToken}@${this.cacheHost}:${this.cachePort}`;
    this.replicationGroupId = this.replicationGroup.replicationGroupId;
  }

  /** `cache_host` and `cache_auth_token`, as Terraform references. */
  linkFields(): Record<string, string> {
    return { cache_host: this.cacheHost, cache_auth_token: this.authToken };
  }

  /** `cache_port` and `cache_url`, which a link may add. */
  linkExtraFields(): Record<string, string> {
    return { cache_port: this.cachePort, cache_url: this.cacheUrl };
  }
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** A log's settings: a block given is on unless it says otherwise. */
function resolveLog(
  given: RedisLogProps | undefined,
  defaults: Required<RedisLogProps>
): Required<RedisLogProps> {
  if (given === undefined) return { ...defaults };
  return {
    enabled: given.enabled ?? true,
    retentionDays: given.retentionDays ?? defaults.retentionDays,
  };
}

/** A copy without the keys whose value is undefined, so defaults survive a spread. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined)
  ) as Partial<T>;
}

function checkEngine(scope: Construct, engine: Engine, version: string): void {
  if (!ENGINES.includes(engine)) {
    fail(
      scope,
      "engine",
      `unknown engine (got ${describeValue(engine)}; allowed ${ENGINES.join(
        ", "
      )})`
    );
  }
  if (Token.isUnresolved(version)) return;
  if (engineVersions(engine).includes(version)) return;

  const other = ENGINES.find(
    (e) => e !== engine && engineVersions(e).includes(version)
  );
  if (other !== undefined) {
    fail(
      scope,
      "engineVersion",
      `${version} is a ${other} version, not a ${engine} one (got ${describeValue(
        version
      )}; allowed ${engineVersions(engine).join(", ")} for engine ${engine})`
    );
  }
  checkText(scope, "engineVersion", version, ENGINE_VERSION_RULES[engine]);
}

function checkNodes(
  scope: Construct,
  count: number,
  zones: string[] | undefined
): void {
  if (Token.isUnresolved(count)) {
    fail(
      scope,
      "numCacheClusters",
      "must be known at synth: failover and the alarms follow from it (got a token; allowed a whole number 1-6)"
    );
  }
  checkInteger(scope, "numCacheClusters", count, NUM_CACHE_CLUSTERS);
  if (zones === undefined || Token.isUnresolved(zones)) return;

  zones.forEach((zone, i) =>
    checkText(
      scope,
      `preferredAvailabilityZones[${i}]`,
      zone,
      AVAILABILITY_ZONE
    )
  );
  if (zones.length !== count) {
    fail(
      scope,
      "preferredAvailabilityZones",
      `lists ${plural(zones.length, "zone")} for ${plural(
        count,
        "node"
      )} (got ${describeValue(
        zones
      )}; allowed one zone per node, the primary's first)`
    );
  }
}

function checkParameters(
  scope: Construct,
  parameters: Record<string, string | number> | undefined,
  version: string
): void {
  if (parameters === undefined || Object.keys(parameters).length === 0) return;

  if (Token.isUnresolved(version)) {
    fail(
      scope,
      "engineVersion",
      "must be known at synth when parameters are given: the parameter group's family follows from it (got a token; allowed a version such as 7.1)"
    );
  }
  for (const [name, value] of Object.entries(parameters)) {
    checkText(scope, `parameters.${name}`, name, PARAMETER_NAME);
    if (typeof value !== "string" && !Number.isFinite(value)) {
      fail(
        scope,
        `parameters.${name}`,
        `must be a string or a number (got ${describeValue(
          value
        )}; allowed the parameter's value, e.g. "allkeys-lru" or 300)`
      );
    }
  }
  if (String(parameters[CLUSTER_MODE_PARAMETER]).toLowerCase() === "yes") {
    fail(
      scope,
      `parameters.${CLUSTER_MODE_PARAMETER}`,
      `turns on cluster mode, which this construct does not generate (got "yes"; allowed "no", or leave it out)`
    );
  }
}

function checkLogs(
  scope: Construct,
  logs: Record<LogProp, Required<RedisLogProps>>,
  applyImmediately: boolean
): void {
  for (const kind of LOG_KINDS) {
    const log = logs[kind.prop];
    if (typeof log.enabled !== "boolean") {
      fail(
        scope,
        `${kind.prop}.enabled`,
        `must be true or false (got ${describeValue(log.enabled)})`
      );
    }
    if (
      !Token.isUnresolved(log.retentionDays) &&
      !LOG_RETENTION_DAYS.includes(log.retentionDays)
    ) {
      fail(
        scope,
        `${kind.prop}.retentionDays`,
        `not a retention CloudWatch Logs offers (got ${describeValue(
          log.retentionDays
        )}; allowed ${LOG_RETENTION_DAYS.join(", ")})`
      );
    }
  }
  const on = LOG_KINDS.filter((kind) => logs[kind.prop].enabled);
  if (!applyImmediately && on.length > 0) {
    fail(
      scope,
      "applyImmediately",
      `false cannot go with log delivery, which AWS changes only immediately; ${on
        .map((k) => k.prop)
        .join(" and ")} ${
        on.length > 1 ? "are" : "is"
      } on (got false; allowed true, or both logs with enabled false)`
    );
  }
}

function checkAlarms(
  scope: Construct,
  alarms: RedisAlarmProps & Record<AlarmThreshold, number>
): void {
  checkText(scope, "alarms.topicArn", alarms.topicArn, SNS_TOPIC_ARN);
  for (const metric of ALARM_METRICS) {
    checkInteger(
      scope,
      `alarms.${metric.prop}`,
      alarms[metric.prop],
      metric.rule
    );
  }
}

function checkTags(scope: Construct, tags: Record<string, string>): void {
  const keys = Object.keys(tags);
  if (keys.length > MAX_TAGS) {
    fail(
      scope,
      "tags",
      `has ${keys.length} tags (got ${keys.length}; allowed at most ${MAX_TAGS})`
    );
  }
  for (const key of keys) {
    checkText(scope, `tags.${key}`, key, TAG_KEY);
    checkText(scope, `tags.${key}`, tags[key], TAG_VALUE);
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
