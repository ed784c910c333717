/** One of a cache's logs, delivered to a CloudWatch log group. */
export interface RedisLogProps {
  /**
   * Whether the log is delivered. A block given is on unless this says
   * otherwise.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Days the log group keeps events, one of `LOG_RETENTION_DAYS`.
   *
   * @default 30
   */
  readonly retentionDays?: number;
}

/** The two logs ElastiCache delivers, in the order they are written. */
export const LOG_KINDS = Object.freeze([
  {
    prop: "slowLog",
    field: "slow_log",
    role: "slow_log",
    logType: "slow-log",
  },
  {
    prop: "engineLog",
    field: "engine_log",
    role: "engine_log",
    logType: "engine-log",
  },
] as const);

/** The prop of one of {@link LOG_KINDS}. */
export type LogProp = (typeof LOG_KINDS)[number]["prop"];

/**
 * The log group of one log of a cache:
 * `/strata/<env>/<service>/<module>/<slow-log|engine-log>`.
 */
export function logGroupName(
  envName: string,
  serviceName: string,
  moduleName: string,
  logType: string
): string {
  return `/strata/${envName}/${serviceName}/${moduleName}/${logType}`;
}
