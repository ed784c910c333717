/**
 * Manifest-level rules: which module types exist, what each file kind may
 * hold, and the name rules of what strata composes. Limits owned by a module
 * (node types, versions, windows, Kubernetes names) are imported from it, so
 * the construct, the validator, its messages and the JSON Schema all read the
 * same constant.
 */

import { TextRule } from "../../modules/limits";

export type { TextRule };

/** The kinds strata generates, and the `type:` spellings that select each. */
export const GENERATED_TYPES = {
  base: { aliases: ["base", "aws-base", "env-init"], file: "environment" },
  redis: { aliases: ["redis", "aws-redis"], file: "service" },
  "k8s-service": { aliases: ["k8s-service", "aws-k8s-service"], file: "service" },
} as const;

export type GeneratedKind = keyof typeof GENERATED_TYPES;

/** Kinds another module may link to, with the fields a link exports. */
export const LINKABLE_KINDS: readonly GeneratedKind[] = ["redis"];

/**
 * opta module types strata knows but does not generate: skipped with a
 * warning (an error under --strict). Aliases are listed as users write them.
 */
export const SKIPPED_TYPES: readonly string[] = [
  "aws-documentdb",
  "aws-dns",
  "aws-dynamodb",
  "aws-eks",
  "aws-iam-role",
  "aws-iam-user",
  "aws-k8s-base",
  "aws-mysql",
  "aws-nodegroup",
  "aws-postgres",
  "aws-s3",
  "aws-ses",
  "aws-sns",
  "aws-sqs",
  "cloudfront-distribution",
  "custom-terraform",
  "datadog",
  "dns",
  "external-ssl-cert",
  "global-accelerator",
  "helm-chart",
  "k8s-base",
  "k8s-cluster",
  "k8s-manifest",
  "lambda-function",
  "mongodb-atlas",
  "mysql",
  "postgres",
  "runx",
];

/** Resolves a `type:` as written to the generated kind, if strata makes it. */
export function generatedKind(type: string): GeneratedKind | undefined {
  for (const [kind, spec] of Object.entries(GENERATED_TYPES)) {
    if ((spec.aliases as readonly string[]).includes(type)) return kind as GeneratedKind;
  }
  return undefined;
}

/** opta's default module name: the type as written, without dashes. */
export function defaultModuleName(type: string): string {
  return type.replace(/-/g, "");
}

/**
 * Module names become Terraform addresses, secret keys (`<module>_cache_host`)
 * and part of the replication group id, which AWS stores lowercased; an
 * uppercase letter would make every plan show a change.
 */
export const MODULE_NAME: TextRule = Object.freeze({
  pattern: /^[a-z][a-z0-9]*$/,
  description: "lowercase letters and digits, starting with a letter",
  minLength: 1,
  maxLength: 24,
});

/**
 * Service names become the Kubernetes namespace (a DNS label) and part of
 * the replication group id (no `--`, no trailing `-`).
 */
export const SERVICE_NAME: TextRule = Object.freeze({
  pattern: /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/,
  description: "lowercase letters, digits and single dashes, starting with a letter and not ending with a dash",
  minLength: 1,
  maxLength: 63,
});

/** Fields of opta's k8s-service that strata accepts but does not generate. */
export const K8S_WORKLOAD_FIELDS: readonly string[] = [
  "additional_iam_policies",
  "additional_iam_roles",
  "args",
  "autoscaling_target_cpu_percentage",
  "autoscaling_target_mem_percentage",
  "commands",
  "consistent_hash",
  "cron_jobs",
  "digest",
  "domain",
  "env_vars",
  "healthcheck_command",
  "healthcheck_path",
  "image",
  "ingress_extra_annotations",
  "initial_liveness_check_delay",
  "initial_readiness_check_delay",
  "keep_path_prefix",
  "liveness_probe_command",
  "liveness_probe_path",
  "max_containers",
  "max_history",
  "min_containers",
  "node_selector",
  "persistent_storage",
  "pod_annotations",
  "pod_labels",
  "port",
  "ports",
  "probe_port",
  "public_uri",
  "readiness_probe_command",
  "readiness_probe_path",
  "resource_limits",
  "resource_request",
  "secrets",
  "service_annotations",
  "sticky_session",
  "sticky_session_max_age",
  "tag",
  "timeout",
  "tolerations",
];

/** Fields of opta's base module that describe a VPC strata does not create. */
export const BASE_VPC_FIELDS: readonly string[] = [
  "private_ipv4_cidr_blocks",
  "public_ipv4_cidr_blocks",
  "public_subnet_ids",
  "total_ipv4_cidr_block",
  "vpc_log_retention",
];

/** S3 bucket names for remote state. */
export const BUCKET_NAME: TextRule = Object.freeze({
  pattern: /^[a-z0-9](?:[a-z0-9-]|\.(?!\.))*[a-z0-9]$/,
  description: "lowercase letters, digits, dashes and single dots, starting and ending with a letter or digit",
  minLength: 3,
  maxLength: 63,
});

/**
 * The state object key of each stack. `{stack}` is replaced by the stack's
 * name, so every stack of the environment gets its own state.
 */
export const STATE_KEY: TextRule = Object.freeze({
  pattern: /^(?!\/)[A-Za-z0-9!_.*'()/-]*\{stack\}[A-Za-z0-9!_.*'()/-]*$/,
  description: "an S3 key containing {stack}, such as strata/{stack}.tfstate",
  minLength: 7,
  maxLength: 1024,
});

export const DEFAULT_STATE_KEY = "strata/{stack}.tfstate";

/** DynamoDB lock table names. */
export const DYNAMODB_TABLE: TextRule = Object.freeze({
  pattern: /^[A-Za-z0-9_.-]+$/,
  description: "letters, digits, underscores, dots and dashes",
  minLength: 3,
  maxLength: 255,
});

/** The role the AWS provider assumes. */
export const ROLE_ARN: TextRule = Object.freeze({
  pattern: /^arn:aws(?:-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]+$/,
  description: "an IAM role ARN such as arn:aws:iam::111111111111:role/deployer",
  minLength: 20,
  maxLength: 2048,
});

/** A named profile of the AWS shared config files. */
export const AWS_PROFILE: TextRule = Object.freeze({
  pattern: /^[A-Za-z0-9_.+@-]+$/,
  description: "a profile name: letters, digits and _ . + @ -",
  minLength: 1,
  maxLength: 128,
});

/** EKS cluster names. */
export const EKS_CLUSTER_NAME: TextRule = Object.freeze({
  pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/,
  description: "letters, digits, dashes and underscores, starting with a letter or digit",
  minLength: 1,
  maxLength: 100,
});

/** The stack that creates an environment's state bucket: `<env>-state-bootstrap`. */
export function stateBootstrapStackName(env: string): string {
  return `${env}-state-bootstrap`;
}
