import { IntegerRule, TextRule } from "../limits";

// Names derived from an env name. The env stack creates resources with these
// names and the service stacks find them again by the same names, so both
// sides must call these helpers rather than spell the names out.

/** The KMS alias of an env's key: `alias/opta-<env>`. */
export function kmsAliasName(envName: string): string {
  return `alias/opta-${envName}`;
}

/**
 * The ElastiCache subnet group of an env: `opta-<env>`. AWS stores subnet
 * group names in lowercase, so the name is lowercased here to match.
 */
export function subnetGroupName(envName: string): string {
  return `opta-${envName}`.toLowerCase();
}

/** The security group that admits Redis traffic: `opta-<env>-elasticache-sg`. */
export function securityGroupName(envName: string): string {
  return `opta-${envName}-elasticache-sg`;
}

/** The EKS cluster of an env, as opta named it: `opta-<env>`. */
export function eksClusterName(envName: string): string {
  return `opta-${envName}`;
}

/** The `Name` tag opta put on an env's VPC: `opta-<env>`. */
export function vpcNameTag(envName: string): string {
  return `opta-${envName}`;
}

/**
 * Env names. DNS-label-like, because the name ends up in resource names of
 * every kind (security group, subnet group, KMS alias, EKS cluster, stack and
 * state file names). AWS allows 255 or 256 characters for the first three,
 * but 32 keeps every derived name short enough for the tightest limit any of
 * them may meet: the longest, `opta-<env>-elasticache-sg`, is then at most 52
 * characters and fits a 63-character DNS label.
 */
export const ENV_NAME: TextRule = Object.freeze({
  pattern: /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/,
  description:
    "lowercase letters, digits and single dashes, starting with a letter and not ending with a dash",
  minLength: 1,
  maxLength: 32,
});

/**
 * Organisation names, as opta checked them (`^[a-z0-9-]{,15}$`), except that
 * an empty name is refused: opta builds bucket names from it, and an empty
 * one only gives a double dash.
 */
export const ORG_NAME: TextRule = Object.freeze({
  pattern: /^[a-z0-9-]+$/,
  description: "lowercase letters, digits and dashes",
  minLength: 1,
  maxLength: 15,
});

/** AWS account ids: exactly 12 digits, leading zeros kept. */
export const ACCOUNT_ID: TextRule = Object.freeze({
  pattern: /^\d{12}$/,
  description: "12 digits",
  minLength: 12,
  maxLength: 12,
});

/**
 * AWS regions of the commercial and GovCloud partitions (`us-east-1`,
 * `us-gov-west-1`). China regions are refused: their accounts have no root
 * principal, so the key policy this module writes cannot be created there.
 */
export const REGION: TextRule = Object.freeze({
  pattern: /^(?!cn-)[a-z]{2}(?:-gov)?-[a-z]+-\d$/,
  description:
    "an AWS region such as us-east-1 or us-gov-west-1 (China regions are not supported)",
  minLength: 9,
  maxLength: 20,
});

/** VPC ids: `vpc-` and 8 or 17 lowercase hex digits. */
export const VPC_ID: TextRule = Object.freeze({
  pattern: /^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
  description: "vpc- followed by 8 or 17 lowercase hex digits",
  minLength: 12,
  maxLength: 21,
});

/** Subnet ids: `subnet-` and 8 or 17 lowercase hex digits. */
export const SUBNET_ID: TextRule = Object.freeze({
  pattern: /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
  description: "subnet- followed by 8 or 17 lowercase hex digits",
  minLength: 15,
  maxLength: 24,
});

/** The port ElastiCache Redis listens on, and the one the env opens. */
export const ELASTICACHE_PORT = 6379;

/** The fewest private subnets an env needs: a multi-AZ cache spans two. */
export const MIN_PRIVATE_SUBNETS = 2;

/** AWS tag keys: 1-128 characters, not starting with the reserved `aws:`. */
export const TAG_KEY: TextRule = Object.freeze({
  pattern: /^(?![Aa][Ww][Ss]:)[\s\S]+$/,
  description: "1-128 characters, not starting with aws:",
  minLength: 1,
  maxLength: 128,
});

/** AWS tag values: at most 256 characters. */
export const TAG_VALUE: TextRule = Object.freeze({
  pattern: /^[\s\S]*$/,
  description: "at most 256 characters",
  minLength: 0,
  maxLength: 256,
});

/**
 * The AWS partition a region belongs to, for ARNs: `aws-us-gov` for GovCloud
 * regions, `aws` for the others that {@link REGION} accepts.
 */
export function partitionOf(region: string): string {
  return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/** Days AWS waits before deleting a key scheduled for deletion. */
export const DELETION_WINDOW_DAYS: IntegerRule = Object.freeze({
  min: 7,
  max: 30,
  description: "days between scheduling the key's deletion and the deletion",
});

/** Days between automatic rotations of the key material. */
export const ROTATION_PERIOD_DAYS: IntegerRule = Object.freeze({
  min: 90,
  max: 2560,
  description: "days between automatic key rotations",
});

/**
 * IAM principals a key policy can name: the account root, a role or a user
 * (groups cannot be principals).
 */
export const IAM_PRINCIPAL_ARN: TextRule = Object.freeze({
  pattern: /^arn:aws(?:-us-gov)?:iam::\d{12}:(?:root|(?:role|user)\/[\w+=,.@/-]+)$/,
  description: "an IAM role, user or account root ARN, e.g. arn:aws:iam::111111111111:role/admins",
  minLength: 20,
  maxLength: 2048,
});

/** IPv4 CIDR blocks, e.g. `10.0.0.0/16`. */
export const CIDR_BLOCK: TextRule = Object.freeze({
  pattern:
    /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(?:3[0-2]|[12]?\d)$/,
  description: "an IPv4 CIDR block such as 10.0.0.0/16",
  minLength: 9,
  maxLength: 18,
});

/** Availability zone ids, e.g. `use1-az1` (ids, not names: names differ per account). */
export const AZ_ID: TextRule = Object.freeze({
  pattern: /^[a-z]{2,5}\d-az\d{1,2}$/,
  description: "an availability zone id such as use1-az1",
  minLength: 8,
  maxLength: 12,
});

/** Key policy statement ids: what IAM accepts in a Sid. */
export const STATEMENT_SID: TextRule = Object.freeze({
  pattern: /^[A-Za-z0-9 ._-]+$/,
  description: "letters, digits, spaces, dashes, underscores and dots",
  minLength: 1,
  maxLength: 128,
});

/** KMS actions a key policy statement may name (`kms:Decrypt`, `kms:Get*`, `kms:*`). */
export const KMS_ACTION: TextRule = Object.freeze({
  pattern: /^kms:[A-Za-z*]+$/,
  description: "a KMS action such as kms:Decrypt or kms:Describe*",
  minLength: 5,
  maxLength: 64,
});

/** The smallest number of availability zones the private subnets must span. */
export const MIN_AVAILABILITY_ZONES = 2;
