// The alarms' metrics and thresholds as plain data, apart from the
// constructs in alarms.ts, so that the manifest schema can read them
// without loading cdktf.
import { IntegerRule } from "../limits";
import type { RedisAlarmProps } from "./alarms";

/** The thresholds of {@link RedisAlarmProps}. */
export type AlarmThreshold = Exclude<keyof RedisAlarmProps, "topicArn">;

/** The thresholds used when {@link RedisAlarmProps} leaves one out. */
export const ALARM_DEFAULTS: Readonly<Record<AlarmThreshold, number>> =
  Object.freeze({
    cpuPercent: 90,
    memoryPercent: 80,
    evictions: 1000,
    connections: 5000,
    replicationLagSeconds: 30,
  });

/** One alarm a cache gets per node. */
export interface AlarmMetric {
  /** Its threshold's prop. */
  readonly prop: AlarmThreshold;
  /** Its threshold's manifest field. */
  readonly field: string;
  /** The role in the alarm's address, followed by the node: `alarm_cpu_001`. */
  readonly role: string;
  /** The ElastiCache metric, dimension `CacheClusterId`. */
  readonly metricName: string;
  readonly statistic: "Average" | "Maximum" | "Sum";
  /** The threshold's unit, for descriptions. */
  readonly unit: string;
  /** Whether only replicas report the metric (nodes 002 and on). */
  readonly replicasOnly: boolean;
  /** The thresholds allowed. */
  readonly rule: IntegerRule;
}

/** The alarms of a cache, in the order they are written. */
export const ALARM_METRICS: readonly AlarmMetric[] = Object.freeze([
  {
    prop: "cpuPercent",
    field: "cpu_percent",
    role: "cpu",
    metricName: "EngineCPUUtilization",
    statistic: "Average",
    unit: "%",
    replicasOnly: false,
    rule: { min: 1, max: 100, description: "percent of the engine's CPU" },
  },
  {
    prop: "memoryPercent",
    field: "memory_percent",
    role: "memory",
    metricName: "DatabaseMemoryUsagePercentage",
    statistic: "Average",
    unit: "%",
    replicasOnly: false,
    rule: { min: 1, max: 100, description: "percent of the memory in use" },
  },
  {
    prop: "evictions",
    field: "evictions",
    role: "evictions",
    metricName: "Evictions",
    statistic: "Sum",
    unit: " keys",
    replicasOnly: false,
    rule: {
      min: 0,
      max: 100_000_000,
      description: "keys evicted in 5 minutes",
    },
  },
  {
    prop: "connections",
    field: "connections",
    role: "connections",
    metricName: "CurrConnections",
    statistic: "Maximum",
    unit: " connections",
    replicasOnly: false,
    rule: { min: 1, max: 65_000, description: "open client connections" },
  },
  {
    prop: "replicationLagSeconds",
    field: "replication_lag_seconds",
    role: "replication_lag",
    metricName: "ReplicationLag",
    statistic: "Maximum",
    unit: " s",
    replicasOnly: true,
    rule: { min: 1, max: 86_400, description: "seconds a replica is behind" },
  },
] as AlarmMetric[]);
