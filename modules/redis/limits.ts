import { IntegerRule, TextRule } from "../limits";

/** An anchored pattern that matches exactly the versions given. */
function versionPattern(versions: readonly string[]): RegExp {
  return new RegExp(
    `^(?:${versions.map((v) => v.replace(".", "\\.")).join("|")})$`
  );
}

function family(name: string, sizes: readonly string[]): string[] {
  return sizes.map((size) => `cache.${name}.${size}`);
}

const BURSTABLE = ["micro", "small", "medium"];
const GRAVITON = [
  "large",
  "xlarge",
  "2xlarge",
  "4xlarge",
  "8xlarge",
  "12xlarge",
  "16xlarge",
];
const INTEL_5 = [
  "large",
  "xlarge",
  "2xlarge",
  "4xlarge",
  "12xlarge",
  "24xlarge",
];

/**
 * Current-generation node types that ElastiCache offers for Redis OSS, as
 * AWS lists them. Not every region offers every type. The 8th-generation
 * Graviton families (m8g, r8g, c8gn) are offered for Valkey and Memcached
 * only, so they are not listed.
 */
export const NODE_TYPES: readonly string[] = Object.freeze([
  ...family("t3", BURSTABLE),
  ...family("t4g", BURSTABLE),
  ...family("m5", INTEL_5),
  ...family("m6g", GRAVITON),
  ...family("m7g", GRAVITON),
  ...family("r5", INTEL_5),
  ...family("r6g", GRAVITON),
  ...family("r6gd", GRAVITON.slice(1)),
  ...family("r7g", GRAVITON),
  ...family("c7gn", GRAVITON),
]);

/**
 * Previous-generation node types, accepted because opta's schema listed them
 * and existing caches use them (opta's default was `cache.m4.large`). AWS
 * refuses new clusters of t1, m1, m2, m3, c1 and r3, is moving t2 the same
 * way, and newer regions offer none of them nor m4 and r4: prefer a type
 * from {@link NODE_TYPES} for anything new.
 */
export const PREVIOUS_NODE_TYPES: readonly string[] = Object.freeze([
  ...family("t1", ["micro"]),
  ...family("t2", BURSTABLE),
  ...family("m1", ["small", "medium", "large", "xlarge"]),
  ...family("m2", ["xlarge", "2xlarge", "4xlarge"]),
  ...family("m3", ["medium", "large", "xlarge", "2xlarge"]),
  ...family("m4", ["large", "xlarge", "2xlarge", "4xlarge", "10xlarge"]),
  ...family("c1", ["xlarge"]),
  ...family("r3", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge"]),
  ...family("r4", [
    "large",
    "xlarge",
    "2xlarge",
    "4xlarge",
    "8xlarge",
    "16xlarge",
  ]),
]);

/** The engines a replication group can run. */
export type Engine = "redis" | "valkey";

/** {@link Engine}'s values, the default first. */
export const ENGINES: readonly Engine[] = Object.freeze([
  "redis",
  "valkey",
] as Engine[]);

/**
 * Redis engine versions ElastiCache accepts in `<major>.<minor>` form. From
 * Redis 6 on, AWS refuses a patch level (`7.0.7`) and wildcards other than
 * `6.x` (`7.x`, `7`).
 */
export const ENGINE_VERSIONS: readonly string[] = Object.freeze([
  "6.0",
  "6.2",
  "7.0",
  "7.1",
]);

/**
 * opta's default version, accepted so opta files keep working. AWS then
 * picks the latest 6 and reports that version back, so prefer `6.2`.
 */
export const OPTA_ENGINE_VERSION = "6.x";

/** The versions {@link ENGINE_VERSIONS} and {@link OPTA_ENGINE_VERSION}. */
export const ENGINE_VERSION: TextRule = Object.freeze({
  pattern: versionPattern([...ENGINE_VERSIONS, OPTA_ENGINE_VERSION]),
  description: `<major>.<minor> for Redis 6 and later (${ENGINE_VERSIONS.join(
    ", "
  )}), or ${OPTA_ENGINE_VERSION}`,
  minLength: 3,
  maxLength: 3,
});

/**
 * Valkey engine versions ElastiCache accepts, always `<major>.<minor>`
 * (`8.0.1` is refused). Valkey starts at 7.2; an in-place move from Redis 7
 * to Valkey is an upgrade, the way back replaces the cache.
 */
export const VALKEY_ENGINE_VERSIONS: readonly string[] = Object.freeze([
  "7.2",
  "8.0",
  "8.1",
]);

/** The versions {@link VALKEY_ENGINE_VERSIONS}. */
export const VALKEY_ENGINE_VERSION: TextRule = Object.freeze({
  pattern: versionPattern(VALKEY_ENGINE_VERSIONS),
  description: `<major>.<minor> for Valkey (${VALKEY_ENGINE_VERSIONS.join(
    ", "
  )})`,
  minLength: 3,
  maxLength: 3,
});

/** Each engine's version rule. */
export const ENGINE_VERSION_RULES: Readonly<Record<Engine, TextRule>> =
  Object.freeze({ redis: ENGINE_VERSION, valkey: VALKEY_ENGINE_VERSION });

/**
 * Every version of every engine: what a version field accepts before the
 * engine is known. Which engine takes which is checked apart.
 */
export const ANY_ENGINE_VERSION: TextRule = Object.freeze({
  pattern: versionPattern([
    ...ENGINE_VERSIONS,
    OPTA_ENGINE_VERSION,
    ...VALKEY_ENGINE_VERSIONS,
  ]),
  description: `<major>.<minor>: for redis ${ENGINE_VERSIONS.join(
    ", "
  )} or opta's ${OPTA_ENGINE_VERSION}; for valkey ${VALKEY_ENGINE_VERSIONS.join(
    ", "
  )}`,
  minLength: 3,
  maxLength: 3,
});

/** The version each engine gets when none is given. */
export const DEFAULT_ENGINE_VERSIONS: Readonly<Record<Engine, string>> =
  Object.freeze({ redis: "7.1", valkey: "8.0" });

/** The versions an engine accepts, in the order AWS released them. */
export function engineVersions(engine: Engine): readonly string[] {
  return engine === "valkey"
    ? VALKEY_ENGINE_VERSIONS
    : [...ENGINE_VERSIONS, OPTA_ENGINE_VERSION];
}

/**
 * Nodes of a replication group without cluster mode: a primary and up to 5
 * replicas.
 */
export const NUM_CACHE_CLUSTERS: IntegerRule = Object.freeze({
  min: 1,
  max: 6,
  description: "nodes: one primary and up to 5 replicas",
});

/**
 * The fewest nodes automatic failover and multi-AZ need; AWS refuses either
 * with fewer (the provider checks failover at plan).
 */
export const MIN_FAILOVER_NODES = 2;

/**
 * Availability zone names as the account sees them (`us-east-1a`), Local
 * Zones included (`us-west-2-lax-1a`).
 */
export const AVAILABILITY_ZONE: TextRule = Object.freeze({
  pattern: /^[a-z]{2}(?:-gov)?-[a-z]+-\d(?:-[a-z]+-\d)?[a-z]$/,
  description:
    "an availability zone name such as us-east-1a, in the environment's region",
  minLength: 10,
  maxLength: 32,
});

/** Whether a zone name belongs to a region: `us-east-1a` to `us-east-1`. */
export function zoneInRegion(zone: string, region: string): boolean {
  const rest = zone.slice(region.length);
  return zone.startsWith(region) && /^(?:-[a-z]+-\d)?[a-z]$/.test(rest);
}

/**
 * Standard SNS topic ARNs. FIFO topics (`.fifo`) are refused: CloudWatch
 * alarms cannot publish to them.
 */
export const SNS_TOPIC_ARN: TextRule = Object.freeze({
  pattern:
    /^arn:aws(?:-us-gov)?:sns:[a-z]{2}(?:-gov)?-[a-z]+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$/,
  description:
    "a standard SNS topic ARN, arn:aws:sns:<region>:<account>:<topic>, in the environment's region",
  minLength: 26,
  maxLength: 320,
});

/** The region of an ARN (its fourth part), or undefined when it has none. */
export function arnRegion(arn: string): string | undefined {
  const region = arn.split(":")[3];
  return region === undefined || region === "" ? undefined : region;
}

/**
 * Snapshot names to restore from: a manual snapshot's name, or an automatic
 * one (`automatic.opta-payments-cache-ab12-2025-01-31-04-00`). Not an ARN:
 * restoring from an `.rdb` file in S3 is not generated.
 */
export const SNAPSHOT_NAME: TextRule = Object.freeze({
  pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
  description:
    "a snapshot name: letters, digits, dots, dashes and underscores, starting with a letter or digit",
  minLength: 1,
  maxLength: 255,
});

/**
 * ElastiCache parameter names as AWS spells them (`maxmemory-policy`,
 * `notify-keyspace-events`).
 */
export const PARAMETER_NAME: TextRule = Object.freeze({
  pattern: /^[a-z][a-z0-9-]*$/,
  description:
    "an ElastiCache parameter name: lowercase letters, digits and dashes, starting with a letter, e.g. maxmemory-policy",
  minLength: 1,
  maxLength: 255,
});

/**
 * The parameter that turns cluster mode on. strata does not generate
 * cluster mode, and AWS refuses a group with `cluster-enabled yes` for a
 * replication group without it.
 */
export const CLUSTER_MODE_PARAMETER = "cluster-enabled";

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS: readonly number[] = Object.freeze([
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
  2192, 2557, 2922, 3288, 3653,
]);

/** The most tags AWS lets one resource carry. */
export const MAX_TAGS = 50;

/** Days of automatic snapshots ElastiCache keeps; 0 turns them off. */
export const SNAPSHOT_RETENTION_LIMIT: IntegerRule = Object.freeze({
  min: 0,
  max: 35,
  description: "days of snapshots to keep, 0 for none",
});

/**
 * Replication group ids, as the AWS API checks them (the provider checks
 * only some of this at plan).
 */
export const REPLICATION_GROUP_ID: TextRule = Object.freeze({
  pattern: /^(?!.*--)[a-z](?:[a-z0-9-]*[a-z0-9])?$/,
  description:
    "lowercase letters, digits and dashes, starting with a letter, without -- and not ending with a dash",
  minLength: 1,
  maxLength: 40,
});

/** Length of the random suffix that ends a replication group id. */
export const ID_SUFFIX_LENGTH = 4;

/**
 * Length of the generated auth token: within AWS's 16-128, letters and digits
 * only, because AWS refuses some of the special characters random_password
 * would pick.
 */
export const AUTH_TOKEN_LENGTH = 32;

/** Security group ids: `sg-` and 8 or 17 lowercase hex digits. */
export const SECURITY_GROUP_ID: TextRule = Object.freeze({
  pattern: /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
  description: "sg- followed by 8 or 17 lowercase hex digits",
  minLength: 11,
  maxLength: 20,
});

/**
 * KMS key ARNs. The ARN, never a key id or an alias: AWS stores the key of a
 * cache as an ARN, so anything else shows as a change that replaces the cache
 * on every plan.
 */
export const KMS_KEY_ARN: TextRule = Object.freeze({
  pattern:
    /^arn:aws(?:-us-gov)?:kms:[a-z]{2}(?:-gov)?-[a-z]+-\d:\d{12}:key\/(?:mrk-)?[0-9a-f-]+$/,
  description:
    "a KMS key ARN, arn:aws:kms:<region>:<account>:key/<key id>, not a key id or an alias",
  minLength: 20,
  maxLength: 2048,
});

/** ElastiCache subnet group names; AWS stores them lowercased. */
export const CACHE_SUBNET_GROUP_NAME: TextRule = Object.freeze({
  pattern: /^[a-z0-9-]+$/,
  description: "lowercase letters, digits and dashes",
  minLength: 1,
  maxLength: 255,
});
