/**
 * Checks that need more than one field, or a name as strata will compose it:
 * the replication group id, the snapshot and maintenance windows, the engine
 * and its version, the nodes and their zones, parameters, logs with
 * apply_immediately, alarms and their topics.
 */
import {
  ALARM_METRICS,
  AVAILABILITY_ZONE,
  CLUSTER_MODE_PARAMETER,
  ENGINES,
  Engine,
  ID_SUFFIX_LENGTH,
  LOG_KINDS,
  MIN_FAILOVER_NODES,
  MIN_WINDOW_MINUTES,
  PARAMETER_NAME,
  REDIS_DEFAULTS,
  REPLICATION_GROUP_ID,
  SNS_TOPIC_ARN,
  arnRegion,
  defaultMaintenanceWindow,
  engineVersions,
  parseDailyWindow,
  parseWeeklyWindow,
  windowsOverlap,
  zoneInRegion,
} from "../../modules/redis";
import { Problem, show } from "../problems";
import { RedisAlarmsModel, RedisLogModel, RedisModel } from "./model";
import { MODULE_NAME, SERVICE_NAME } from "./rules";
import { DocPath, SourceFile } from "./source";

type Json = Record<string, unknown>;

/** The replication group id without its random suffix. */
export function replicationGroupIdPrefix(service: string, module: string): string {
  return `opta-${service}-${module}-`;
}

/** What a redis module's checks need beyond the module itself. */
export interface RedisContext {
  /** Reports a warning; the loader's. */
  readonly warn?: (path: DocPath, message: string) => void;
  /** The environment's region, when one is selected; zones and topics must be in it. */
  readonly region?: string;
}

export function checkRedisModule(
  source: SourceFile,
  path: DocPath,
  m: Json,
  name: string,
  serviceName: string,
  problems: Problem[],
  context: RedisContext = {},
): RedisModel | undefined {
  const before = problems.length;

  // An explicit replication_group_id is checked as written, by the schema.
  if (typeof m.replication_group_id !== "string" && SERVICE_NAME.pattern.test(serviceName) && MODULE_NAME.pattern.test(name)) {
    const prefix = replicationGroupIdPrefix(serviceName, name);
    const length = prefix.length + ID_SUFFIX_LENGTH;
    if (length > REPLICATION_GROUP_ID.maxLength) {
      problems.push(
        source.problem(
          [...path, typeof m.name === "string" ? "name" : "type"],
          `redis replication_group_id would be ${length} characters; maximum is ${REPLICATION_GROUP_ID.maxLength}, so shorten the service or module name`,
          `"${prefix}xxxx"`,
          `service and module names of at most ${REPLICATION_GROUP_ID.maxLength - ID_SUFFIX_LENGTH - "opta---".length} characters together`,
        ),
      );
    }
  }

  const snapshotText = typeof m.snapshot_window === "string" ? m.snapshot_window : REDIS_DEFAULTS.snapshotWindow;
  const snapshot = parseDailyWindow(snapshotText);
  if (snapshot && snapshot.minutes < MIN_WINDOW_MINUTES) {
    problems.push(
      source.problem(
        [...path, "snapshot_window"],
        `snapshot_window must be at least ${MIN_WINDOW_MINUTES} minutes (it is ${snapshot.minutes})`,
        show(snapshotText),
        `a window of ${MIN_WINDOW_MINUTES} minutes or more, such as 04:00-05:00`,
      ),
    );
  }

  const maintenanceText = typeof m.maintenance_window === "string" ? m.maintenance_window : undefined;
  if (maintenanceText !== undefined) {
    const maintenance = parseWeeklyWindow(maintenanceText);
    if (maintenance && maintenance.minutes < MIN_WINDOW_MINUTES) {
      problems.push(
        source.problem(
          [...path, "maintenance_window"],
          `maintenance_window must be at least ${MIN_WINDOW_MINUTES} minutes (it is ${maintenance.minutes})`,
          show(maintenanceText),
          `a window of ${MIN_WINDOW_MINUTES} minutes or more, such as sun:06:00-sun:07:00`,
        ),
      );
    } else if (maintenance && snapshot && windowsOverlap(snapshot, maintenance)) {
      problems.push(
        source.problem(
          [...path, "maintenance_window"],
          `maintenance_window overlaps the daily snapshot_window ${snapshotText}; AWS refuses that at apply`,
          show(maintenanceText),
          "a weekly window outside the snapshot window on every day",
        ),
      );
    }
  } else if (snapshot && snapshot.minutes >= MIN_WINDOW_MINUTES && defaultMaintenanceWindow(snapshot) === undefined) {
    problems.push(
      source.problem(
        [...path, "snapshot_window"],
        "snapshot_window leaves no room for the default maintenance window; set maintenance_window",
        show(snapshotText),
        "a snapshot window that leaves two free hours a day, or an explicit maintenance_window",
      ),
    );
  }

  const engine = checkEngineVersion(source, path, m, problems);
  const nodes = checkNodes(source, path, m, problems, context);
  checkRedisParameters(source, path, m, problems);
  checkLogsAndApply(source, path, m, problems);
  checkTopics(source, path, m, nodes, problems, context);

  if (problems.length > before) return undefined;
  const alarms = isJson(m.alarms) ? m.alarms : undefined;
  return {
    name,
    replicationGroupId: text(m.replication_group_id),
    nodeType: text(m.node_type),
    engine,
    engineVersion: text(m.engine_version) ?? text(m.redis_version),
    numCacheClusters: integer(m.num_cache_clusters),
    preferredAvailabilityZones: Array.isArray(m.preferred_availability_zones)
      ? m.preferred_availability_zones.map(String)
      : undefined,
    parameters: isJson(m.parameters)
      ? Object.fromEntries(Object.entries(m.parameters).map(([k, v]) => [k, String(v)]))
      : undefined,
    snapshotWindow: text(m.snapshot_window),
    snapshotRetentionLimit: integer(m.snapshot_retention_limit),
    maintenanceWindow: maintenanceText,
    applyImmediately: flag(m.apply_immediately),
    autoMinorVersionUpgrade: flag(m.auto_minor_version_upgrade),
    slowLog: logModel(m.slow_log),
    engineLog: logModel(m.engine_log),
    alarms: alarms && typeof alarms.topic_arn === "string" ? alarmsModel(alarms, alarms.topic_arn) : undefined,
    notificationTopicArn: text(m.notification_topic_arn),
    finalSnapshot: flag(m.final_snapshot),
    restoreFromSnapshot: text(m.restore_from_snapshot),
    tags: isJson(m.tags) ? (Object.fromEntries(Object.entries(m.tags).map(([k, v]) => [k, String(v)])) as Record<string, string>) : undefined,
  };
}

/**
 * `engine` with its version: `engine_version` and its synonym
 * `redis_version` must agree, and the version must be one of the engine's.
 * Returns the engine given, if valid.
 */
function checkEngineVersion(source: SourceFile, path: DocPath, m: Json, problems: Problem[]): Engine | undefined {
  const given = ENGINES.find((e) => e === m.engine);
  const engine = given ?? REDIS_DEFAULTS.engine;
  const redisVersion = text(m.redis_version);
  const engineVersion = text(m.engine_version);
  if (redisVersion !== undefined && engineVersion !== undefined && redisVersion !== engineVersion) {
    problems.push(
      source.problem(
        [...path, "engine_version"],
        `engine_version and redis_version name the same setting and differ (redis_version is ${redisVersion})`,
        show(engineVersion),
        "one of the two, or the same version in both",
      ),
    );
    return given;
  }

  const field = engineVersion !== undefined ? "engine_version" : "redis_version";
  const version = engineVersion ?? redisVersion;
  if (version === undefined || engineVersions(engine).includes(version)) return given;
  const other = ENGINES.find((e) => e !== engine && engineVersions(e).includes(version));
  if (other === undefined) return given; // not a version at all: the schema says so
  problems.push(
    source.problem(
      [...path, field],
      `${version} is a ${other} version, not a ${engine} one${given ? "" : `; set engine: ${other} to use it`}`,
      show(version),
      `${engineVersions(engine).join(", ")} for engine ${engine}`,
    ),
  );
  return given;
}

/** The node count (given or default) with its zones. */
function checkNodes(
  source: SourceFile,
  path: DocPath,
  m: Json,
  problems: Problem[],
  context: RedisContext,
): number {
  const given = integer(m.num_cache_clusters);
  const nodes = given ?? REDIS_DEFAULTS.numCacheClusters;
  if (nodes < MIN_FAILOVER_NODES) {
    context.warn?.(
      [...path, "num_cache_clusters"],
      "one node has no replica: automatic failover and multi-AZ are off, and a failed node takes the cache down and loses what the last snapshot does not hold",
    );
  }

  const zones = m.preferred_availability_zones;
  if (!Array.isArray(zones)) return nodes;
  if (zones.length !== nodes) {
    problems.push(
      source.problem(
        [...path, "preferred_availability_zones"],
        `lists ${plural(zones.length, "zone")} for ${plural(nodes, "node")}${given === undefined ? " (num_cache_clusters defaults to 2)" : ""}; give one zone per node, the primary's first`,
        plural(zones.length, "zone"),
        plural(nodes, "zone"),
      ),
    );
  }
  const region = context.region;
  if (region) {
    zones.forEach((zone, i) => {
      // A zone of the wrong form is reported by the schema already.
      if (typeof zone === "string" && AVAILABILITY_ZONE.pattern.test(zone) && !zoneInRegion(zone, region)) {
        problems.push(
          source.problem(
            [...path, "preferred_availability_zones", i],
            `is not a zone of the environment's region ${region}`,
            show(zone),
            `a zone of ${region}, such as ${region}a`,
          ),
        );
      }
    });
  }
  return nodes;
}

function checkRedisParameters(source: SourceFile, path: DocPath, m: Json, problems: Problem[]): void {
  if (!isJson(m.parameters)) return;

  for (const [parameter, value] of Object.entries(m.parameters)) {
    const here = [...path, "parameters", parameter];
    if (!PARAMETER_NAME.pattern.test(parameter) || parameter.length > PARAMETER_NAME.maxLength) {
      problems.push(source.problem(here, "is not an ElastiCache parameter name", show(parameter), PARAMETER_NAME.description, true));
    } else if (parameter === CLUSTER_MODE_PARAMETER && String(value).toLowerCase() === "yes") {
      problems.push(
        source.problem(
          here,
          `${CLUSTER_MODE_PARAMETER} yes turns on cluster mode, which strata does not generate`,
          show(value),
          "no, or leave it out",
        ),
      );
    }
  }
}

/** `apply_immediately: false` cannot go with a log: AWS changes log delivery only immediately. */
function checkLogsAndApply(source: SourceFile, path: DocPath, m: Json, problems: Problem[]): void {
  if (m.apply_immediately !== false) return;

  const on = LOG_KINDS.filter((kind) => {
    const log = m[kind.field];
    if (log === undefined) return REDIS_DEFAULTS[kind.prop].enabled;
    return isJson(log) && log.enabled !== false;
  });
  if (on.length === 0) return;
  const slowByDefault = m.slow_log === undefined;
  problems.push(
    source.problem(
      [...path, "apply_immediately"],
      `false cannot go with log delivery, which AWS changes only immediately; ${on.map((k) => k.field).join(" and ")} ${on.length > 1 ? "are" : "is"} on${slowByDefault ? " (the slow log is on by default)" : ""}`,
      "false",
      "true, or slow_log and engine_log with enabled: false",
    ),
  );
}

/** Alarms need a topic; topics must be of the environment's region. */
function checkTopics(
  source: SourceFile,
  path: DocPath,
  m: Json,
  nodes: number,
  problems: Problem[],
  context: RedisContext,
): void {
  const region = context.region;
  const inRegion = (arn: unknown, where: DocPath, who: string) => {
    if (!region || typeof arn !== "string" || !SNS_TOPIC_ARN.pattern.test(arn)) return;
    const topicRegion = arnRegion(arn);
    if (topicRegion === region) return;
    problems.push(
      source.problem(where, `is a topic of ${topicRegion}; ${who} only to a topic of their own region, ${region}`, show(arn), `a topic of ${region}`),
    );
  };

  if (isJson(m.alarms)) {
    if (typeof m.alarms.topic_arn !== "string") {
      problems.push(
        source.problem(
          [...path, "alarms"],
          "alarms need topic_arn, the SNS topic they notify: without one nobody would hear of them",
          show(m.alarms),
          "alarms: {topic_arn: arn:aws:sns:<region>:<account>:<topic>, ...}",
        ),
      );
    }
    inRegion(m.alarms.topic_arn, [...path, "alarms", "topic_arn"], "CloudWatch alarms publish");
    if (nodes < MIN_FAILOVER_NODES && m.alarms.replication_lag_seconds !== undefined) {
      context.warn?.(
        [...path, "alarms", "replication_lag_seconds"],
        "has no effect: a cache of one node has no replica to lag",
      );
    }
  }
  inRegion(m.notification_topic_arn, [...path, "notification_topic_arn"], "ElastiCache sends a cache's events");
}

function logModel(value: unknown): RedisLogModel | undefined {
  if (!isJson(value)) return undefined;
  return { enabled: flag(value.enabled), retentionDays: integer(value.retention_days) };
}

function alarmsModel(alarms: Json, topicArn: string): RedisAlarmsModel {
  const model: Record<string, unknown> = { topicArn };
  for (const metric of ALARM_METRICS) {
    const value = integer(alarms[metric.field]);
    if (value !== undefined) model[metric.prop] = value;
  }
  return model as unknown as RedisAlarmsModel;
}

function isJson(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function integer(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) ? value : undefined;
}

function flag(value: unknown): boolean | undefined {
  return typeof value === "boolean" ? value : undefined;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
