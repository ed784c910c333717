import { IntegerRule, TextRule } from "../limits";

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
  pattern: new RegExp(
    `^(?:${[...ENGINE_VERSIONS, OPTA_ENGINE_VERSION]
      .map((v) => v.replace(".", "\\."))
      .join("|")})$`
  ),
  description: `<major>.<minor> for Redis 6 and later (${ENGINE_VERSIONS.join(
    ", "
  )}), or ${OPTA_ENGINE_VERSION}`,
  minLength: 3,
  maxLength: 3,
});

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
