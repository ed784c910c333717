import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { assignLogicalId } from "../logical-id";
import { ALARM_METRICS, type AlarmThreshold } from "./alarm-metrics";

/** Alarms on a cache's CloudWatch metrics, sent to one SNS topic. */
export interface RedisAlarmProps {
  /**
   * The SNS topic that gets each alarm and its return to OK, a standard
   * topic in the cache's region.
   */
  readonly topicArn: string;

  /**
   * Alarm when a node's `EngineCPUUtilization` (the Redis thread's share of
   * its core) averages above this percentage over 5 minutes, 1-100.
   *
   * @default 90
   */
  readonly cpuPercent?: number;

  /**
   * Alarm when a node's `DatabaseMemoryUsagePercentage` (used memory of the
   * memory Redis may use) averages above this percentage over 5 minutes,
   * 1-100.
   *
   * @default 80
   */
  readonly memoryPercent?: number;

  /**
   * Alarm when a node evicts more than this many keys in 5 minutes
   * (`Evictions`), 0-100000000.
   *
   * @default 1000
   */
  readonly evictions?: number;

  /**
   * Alarm when a node's open client connections (`CurrConnections`) go above
   * this number within 5 minutes, 1-65000 (65000 is the most a node takes).
   *
   * @default 5000
   */
  readonly connections?: number;

  /**
   * Alarm when a replica lags more than this many seconds behind the primary
   * (`ReplicationLag`) within 5 minutes, 1-86400. Only replicas report it,
   * so a cache of one node has no such alarm.
   *
   * @default 30
   */
  readonly replicationLagSeconds?: number;
}

export { ALARM_DEFAULTS, ALARM_METRICS } from "./alarm-metrics";
export type { AlarmMetric, AlarmThreshold } from "./alarm-metrics";

/** The period every alarm looks at, and so the window its threshold counts in. */
export const ALARM_PERIOD_SECONDS = 300;

/** Periods above the threshold before an alarm fires. */
export const ALARM_EVALUATION_PERIODS = 1;

/**
 * The node ids' suffixes of a replication group of `count` nodes without
 * cluster mode: AWS names its nodes `<group id>-001`, `-002`, and so on.
 * They follow from the count, known at synth. The group's `member_clusters`
 * say the same only after apply, so alarms built from them would make the
 * first plan fail.
 */
export function nodeSuffixes(count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    String(i + 1).padStart(3, "0")
  );
}

/** Where the alarms of one cache come from. */
export interface AlarmTarget {
  /** The replication group's id, usually a Terraform reference. */
  readonly replicationGroupId: string;
  readonly numCacheClusters: number;
  /** Readable prefix of every alarm name, `strata-<env>-<service>-<module>`. */
  readonly namePrefix: string;
  readonly thresholds: Readonly<Record<AlarmThreshold, number>>;
  readonly topicArn: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Creates one alarm per metric and node, `alarm_<metric>_<node>` of
 * `owner`, each sending its alarm and its return to OK to the topic.
 */
export function createAlarms(
  owner: Construct,
  target: AlarmTarget
): CloudwatchMetricAlarm[] {
  const alarms: CloudwatchMetricAlarm[] = [];
  for (const metric of ALARM_METRICS) {
    const threshold = target.thresholds[metric.prop];
    for (const node of nodeSuffixes(target.numCacheClusters)) {
      if (metric.replicasOnly && node === "001") continue;

      const role = `alarm_${metric.role}_${node}`;
      const alarm = new CloudwatchMetricAlarm(owner, role, {
        alarmName: `${target.namePrefix}-${metric.role.replace(
          /_/g,
          "-"
        )}-${node}`,
        alarmDescription: `${
          metric.metricName
        } of node ${node} above ${threshold}${
          metric.unit
        } (${metric.statistic.toLowerCase()} over ${
          ALARM_PERIOD_SECONDS / 60
        } minutes)`,
        namespace: "AWS/ElastiCache",
        metricName: metric.metricName,
        dimensions: { CacheClusterId: `${target.replicationGroupId}-${node}` },
        statistic: metric.statistic,
        period: ALARM_PERIOD_SECONDS,
        evaluationPeriods: ALARM_EVALUATION_PERIODS,
        comparisonOperator: "GreaterThanThreshold",
        threshold,
        // A replica that becomes the primary after a failover stops
        // reporting its lag; that is not a problem to alarm on.
        treatMissingData: metric.replicasOnly ? "notBreaching" : "missing",
        alarmActions: [target.topicArn],
        okActions: [target.topicArn],
        tags: target.tags,
      });
      assignLogicalId(owner, alarm, role);
      alarms.push(alarm);
    }
  }
  return alarms;
}
