// Redis's defaults and link fields as plain data, apart from the construct
// in redis.ts, so that the manifest schema can read them without loading
// cdktf.
import { ALARM_DEFAULTS } from "./alarm-metrics";
import type { Engine } from "./limits";

/** The defaults {@link Redis} applies to props left out. */
export const REDIS_DEFAULTS = Object.freeze({
  engine: "redis" as Engine,
  nodeType: "cache.m6g.large",
  numCacheClusters: 2,
  snapshotWindow: "04:00-05:00",
  snapshotRetentionLimit: 0,
  applyImmediately: true,
  autoMinorVersionUpgrade: true,
  slowLog: Object.freeze({ enabled: true, retentionDays: 30 }),
  engineLog: Object.freeze({ enabled: false, retentionDays: 30 }),
  finalSnapshot: true,
  alarms: ALARM_DEFAULTS,
});

/** The fields a Redis link exports, in the order secrets list them. */
export const REDIS_LINK_FIELDS: readonly string[] = Object.freeze([
  "cache_host",
  "cache_auth_token",
]);

/**
 * The fields a Redis link can add to {@link REDIS_LINK_FIELDS}, in the order
 * secrets list them: the port, and a `rediss://:<token>@<host>:<port>` URL.
 */
export const REDIS_LINK_EXTRAS: readonly string[] = Object.freeze([
  "cache_port",
  "cache_url",
]);
