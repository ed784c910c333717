/**
 * JSON Schemas of the two manifest kinds, built from the same rule constants
 * the constructs and the validator use. `strata schema env|service` prints
 * them; the examples point editors at them with a yaml-language-server line.
 *
 * One annotation of our own, `x-allowed`, says in words what a field accepts;
 * editors ignore it and the validator puts it in its messages.
 */
// Each rule comes from the file that holds it, never from a module's index,
// which also exports the constructs: `strata schema` then loads no cdktf.
import { ENV_INIT_DEFAULTS } from "../../modules/env-init/defaults";
import {
  ACCOUNT_ID,
  AZ_ID,
  CIDR_BLOCK,
  DELETION_WINDOW_DAYS,
  ENV_NAME,
  IAM_PRINCIPAL_ARN,
  KMS_ACTION,
  ORG_NAME,
  REGION,
  ROTATION_PERIOD_DAYS,
  STATEMENT_SID,
  TAG_KEY,
  TAG_VALUE,
  SUBNET_ID,
  VPC_ID,
} from "../../modules/env-init/names";
import { DNS_SUBDOMAIN, ENV_VAR_NAME } from "../../modules/link/rules";
import { ALARM_METRICS } from "../../modules/redis/alarm-metrics";
import { REDIS_DEFAULTS, REDIS_LINK_EXTRAS } from "../../modules/redis/defaults";
import {
  ANY_ENGINE_VERSION,
  AVAILABILITY_ZONE,
  DEFAULT_ENGINE_VERSIONS,
  ENGINES,
  LOG_RETENTION_DAYS,
  MAX_TAGS,
  NODE_TYPES,
  NUM_CACHE_CLUSTERS,
  PREVIOUS_NODE_TYPES,
  REPLICATION_GROUP_ID,
  SECURITY_GROUP_ID,
  SNAPSHOT_NAME,
  SNAPSHOT_RETENTION_LIMIT,
  SNS_TOPIC_ARN,
} from "../../modules/redis/limits";
import { LOG_KINDS } from "../../modules/redis/logs";
import { DAILY_WINDOW, WEEKLY_WINDOW } from "../../modules/redis/windows";
import type { IntegerRule } from "../../modules/limits";
import {
  BASE_VPC_FIELDS,
  GENERATED_TYPES,
  GeneratedKind,
  AWS_PROFILE,
  BUCKET_NAME,
  DEFAULT_STATE_KEY,
  DYNAMODB_TABLE,
  EKS_CLUSTER_NAME,
  K8S_WORKLOAD_FIELDS,
  MODULE_NAME,
  ROLE_ARN,
  STATE_KEY,
  SERVICE_NAME,
  TextRule,
} from "./rules";

export type JsonSchema = Record<string, unknown>;

function str(rule: TextRule, description: string): JsonSchema {
  return {
    type: "string",
    description,
    pattern: rule.pattern.source,
    minLength: rule.minLength,
    maxLength: rule.maxLength,
    "x-allowed": rule.description,
  };
}

function integer(rule: IntegerRule, description: string, def?: number): JsonSchema {
  return {
    type: "integer",
    description: `${description} (${rule.description}).`,
    minimum: rule.min,
    maximum: rule.max,
    ...(def !== undefined ? { default: def } : {}),
  };
}

function list(item: JsonSchema, description: string, extra: JsonSchema = {}): JsonSchema {
  return { type: "array", description, items: item, uniqueItems: true, ...extra };
}

function tags(description: string): JsonSchema {
  return {
    type: "object",
    description,
    propertyNames: {
      pattern: TAG_KEY.pattern.source,
      minLength: TAG_KEY.minLength,
      maxLength: TAG_KEY.maxLength,
      "x-allowed": TAG_KEY.description,
    },
    additionalProperties: { type: "string", maxLength: TAG_VALUE.maxLength },
  };
}

const statementSchema: JsonSchema = {
  type: "object",
  description: "A key policy statement; the account-root statement is always kept.",
  additionalProperties: false,
  required: ["sid", "principals", "actions"],
  properties: {
    sid: str(STATEMENT_SID, "Statement id."),
    effect: { type: "string", enum: ["Allow", "Deny"], default: "Allow", description: "Allow or Deny." },
    principals: {
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      description: "IAM ARNs (AWS) and/or service principals (Service).",
      properties: {
        AWS: list({ type: "string", minLength: 1 }, "IAM principal ARNs, or *."),
        Service: list({ type: "string", pattern: "^[a-z0-9.-]+\\.amazonaws\\.com$" }, "Service principals such as sns.amazonaws.com."),
      },
    },
    actions: list(str(KMS_ACTION, "A KMS action."), "KMS actions.", { minItems: 1 }),
    resources: list({ type: "string", minLength: 1 }, "Resources; in a key policy * is the key itself.", { default: ["*"] }),
    conditions: {
      type: "object",
      description: "IAM condition block: operator -> key -> value or values.",
      additionalProperties: {
        type: "object",
        additionalProperties: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
      },
    },
  },
};

const moduleName = str(MODULE_NAME, "The module's name; defaults to its type without dashes.");

const commonModule = {
  type: { type: "string", description: "The module type." },
  name: moduleName,
  depends_on: {
    type: "array",
    items: { type: "string" },
    description: "opta's explicit ordering; not needed by strata (references order the graph) and ignored.",
  },
};

function accepted(fields: readonly string[], why: string): Record<string, JsonSchema> {
  return Object.fromEntries(fields.map((f) => [f, { description: `Accepted for opta compatibility and not generated: ${why}.` }]));
}

/** The schema of one generated module kind, with its own fields only. */
export function moduleSchema(kind: GeneratedKind): JsonSchema {
  const typeEnum = { ...commonModule.type, enum: [...GENERATED_TYPES[kind].aliases] };
  switch (kind) {
    case "base":
      return {
        type: "object",
        description: "The environment's KMS key, VPC and subnet lookups, ElastiCache subnet group and security group.",
        additionalProperties: false,
        required: ["type"],
        properties: {
          ...commonModule,
          type: typeEnum,
          vpc_id: {
            ...str(VPC_ID, "An existing VPC's id; without it the VPC tagged Name = opta-<env> (or vpc_tags) is used."),
          },
          vpc_tags: tags("Tags that find the VPC when no vpc_id is given (default Name = opta-<env>)."),
          private_subnet_tags: tags("Tags that find the private subnets when no private_subnet_ids are given (default type = private)."),
          exclude_az_ids: list(str(AZ_ID, "An availability zone id."), "Zones whose subnets the caches must not use, e.g. zones without the node type."),
          deletion_window_in_days: integer(DELETION_WINDOW_DAYS, "Waiting period before the KMS key is deleted", ENV_INIT_DEFAULTS.deletionWindowInDays),
          rotation_period_in_days: integer(ROTATION_PERIOD_DAYS, "Rotation period of the KMS key; AWS's default is 365"),
          key_admins: list(str(IAM_PRINCIPAL_ARN, "An IAM role or user ARN."), "Principals that administer the KMS key; roles and users of this account are looked up, so a typo fails at plan."),
          key_users: list(str(IAM_PRINCIPAL_ARN, "An IAM role or user ARN."), "Principals that encrypt and decrypt with the KMS key; looked up like key_admins."),
          extra_statements: { type: "array", description: "More KMS key policy statements.", items: statementSchema },
          allowed_security_group_ids: list(str(SECURITY_GROUP_ID, "A security group id."), "Only these security groups reach the caches (instead of the whole VPC)."),
          allowed_cidr_blocks: list(str(CIDR_BLOCK, "An IPv4 CIDR block."), "Only these CIDR blocks reach the caches (instead of the whole VPC)."),
          private_subnet_ids: {
            type: "array",
            description: "Private subnets for the caches; without them the VPC's subnets tagged type = private are used.",
            items: str(SUBNET_ID, "A subnet id."),
            minItems: 2,
            uniqueItems: true,
            "x-allowed": "at least 2 unique subnet ids",
          },
          allow_destroy: {
            type: "boolean",
            default: false,
            description: "Let `terraform destroy` delete the KMS key (every cache and snapshot encrypted with it becomes unreadable).",
          },
          ...accepted(BASE_VPC_FIELDS, "strata looks up an existing VPC and never creates one"),
        },
      };
    case "redis":
      return {
        type: "object",
        description: "An ElastiCache replication group of Redis or Valkey: two nodes across zones by default, TLS, encrypted with the env key, the slow log in CloudWatch, a final snapshot on destroy.",
        additionalProperties: false,
        required: ["type"],
        properties: {
          ...commonModule,
          type: typeEnum,
          replication_group_id: {
            ...str(REPLICATION_GROUP_ID, "An explicit replication group id, e.g. an existing cache's when adopting; replaces opta-<service>-<module>-<random>."),
          },
          node_type: {
            type: "string",
            default: "cache.m6g.large",
            enum: [...NODE_TYPES, ...PREVIOUS_NODE_TYPES],
            description: "The ElastiCache node type.",
            "x-allowed": "an ElastiCache node type such as cache.t4g.medium or cache.m6g.large",
          },
          engine: {
            type: "string",
            default: REDIS_DEFAULTS.engine,
            enum: [...ENGINES],
            description: "The engine. Redis 7 to Valkey upgrades in place; Valkey back to Redis replaces the cache.",
          },
          redis_version: {
            type: "string",
            pattern: ANY_ENGINE_VERSION.pattern.source,
            description: `The engine version (opta's name; engine_version is the same setting). Default ${DEFAULT_ENGINE_VERSIONS.redis} for redis, ${DEFAULT_ENGINE_VERSIONS.valkey} for valkey.`,
            "x-allowed": ANY_ENGINE_VERSION.description,
          },
          engine_version: {
            type: "string",
            pattern: ANY_ENGINE_VERSION.pattern.source,
            description: "Same as redis_version; give one of the two.",
            "x-allowed": ANY_ENGINE_VERSION.description,
          },
          num_cache_clusters: integer(
            NUM_CACHE_CLUSTERS,
            "Nodes of the cache; with 2 or more automatic failover and multi-AZ are on, with 1 both are off",
            REDIS_DEFAULTS.numCacheClusters,
          ),
          preferred_availability_zones: {
            type: "array",
            description: "The zone of each node, the primary's first; one per node. Read when a node is created.",
            items: str(AVAILABILITY_ZONE, "An availability zone name."),
            minItems: NUM_CACHE_CLUSTERS.min,
            maxItems: NUM_CACHE_CLUSTERS.max,
            "x-allowed": "one zone per node",
          },
          parameters: {
            type: "object",
            description: "Engine parameters, name to value; given, they make a parameter group of the version's family.",
            additionalProperties: { type: ["string", "number"] },
          },
          snapshot_window: {
            type: "string",
            default: "04:00-05:00",
            pattern: DAILY_WINDOW.pattern.source,
            description: "The daily UTC window for snapshots, hh24:mi-hh24:mi, at least 60 minutes.",
            "x-allowed": DAILY_WINDOW.description,
          },
          snapshot_retention_limit: {
            type: "integer",
            default: 0,
            minimum: SNAPSHOT_RETENTION_LIMIT.min,
            maximum: SNAPSHOT_RETENTION_LIMIT.max,
            description: "Days of automatic snapshots to keep; 0 turns them off.",
          },
          maintenance_window: {
            type: "string",
            pattern: WEEKLY_WINDOW.pattern.source,
            description: "The weekly UTC maintenance window, ddd:hh24:mi-ddd:hh24:mi; by default one hour on Sunday that never overlaps the snapshot window.",
            "x-allowed": WEEKLY_WINDOW.description,
          },
          apply_immediately: {
            type: "boolean",
            default: REDIS_DEFAULTS.applyImmediately,
            description: "Apply changes at the next apply; false waits for the maintenance window and needs both logs off.",
          },
          auto_minor_version_upgrade: {
            type: "boolean",
            default: REDIS_DEFAULTS.autoMinorVersionUpgrade,
            description: "Let AWS upgrade minor engine versions in the maintenance window.",
          },
          ...Object.fromEntries(
            LOG_KINDS.map((kind) => [
              kind.field,
              {
                type: "object",
                additionalProperties: false,
                default: REDIS_DEFAULTS[kind.prop],
                description: `The ${kind.logType.replace("-", " ")}, delivered as JSON to the log group /strata/<env>/<service>/<module>/${kind.logType}; ${REDIS_DEFAULTS[kind.prop].enabled ? "on" : "off"} by default, and on when the block is given unless enabled is false.`,
                properties: {
                  enabled: { type: "boolean", default: true, description: "Deliver the log." },
                  retention_days: {
                    type: "integer",
                    default: REDIS_DEFAULTS[kind.prop].retentionDays,
                    enum: [...LOG_RETENTION_DAYS],
                    description: "Days the log group keeps events.",
                    "x-allowed": LOG_RETENTION_DAYS.join(", "),
                  },
                },
              },
            ]),
          ),
          alarms: {
            type: "object",
            additionalProperties: false,
            description: "CloudWatch alarms on every node (and on replication lag of every replica), sent to topic_arn; none without this block.",
            properties: {
              topic_arn: str(SNS_TOPIC_ARN, "The SNS topic that gets each alarm and its return to OK."),
              ...Object.fromEntries(
                ALARM_METRICS.map((metric) => [
                  metric.field,
                  integer(metric.rule, `Alarm threshold on ${metric.metricName} over 5 minutes`, REDIS_DEFAULTS.alarms[metric.prop]),
                ]),
              ),
            },
          },
          notification_topic_arn: str(SNS_TOPIC_ARN, "An SNS topic that gets ElastiCache's events of the cache (failovers, node replacements)."),
          final_snapshot: {
            type: "boolean",
            default: REDIS_DEFAULTS.finalSnapshot,
            description: "Take the snapshot <group id>-final when the cache is destroyed or replaced.",
          },
          restore_from_snapshot: str(SNAPSHOT_NAME, "A snapshot to create the cache from; read only when the cache is created."),
          tags: { ...tags("Tags of every resource of the cache that takes tags."), maxProperties: MAX_TAGS },
        },
      };
    case "k8s-service":
      return {
        type: "object",
        description: "A Kubernetes service; strata generates its namespace and the Secret `secret` that carries its links.",
        additionalProperties: false,
        required: ["type"],
        properties: {
          ...commonModule,
          type: typeEnum,
          secret_name: { ...str(DNS_SUBDOMAIN, "The Secret that carries the links."), default: "secret" },
          create_namespace: {
            type: "boolean",
            default: true,
            description: "Create the namespace named after the service; false uses an existing one.",
          },
          links: {
            type: "array",
            description: "Modules of this service file whose connection details go into the Secret.",
            items: {
              oneOf: [
                { type: "string", description: "A module name; default key names <module>_<field>." },
                {
                  type: "object",
                  minProperties: 1,
                  maxProperties: 1,
                  description: `A module name mapped to a list of extra fields (${REDIS_LINK_EXTRAS.join(", ")}) and at most one rename map {field: KEY, ...} renaming every field the link exports, or to the rename map alone.`,
                  additionalProperties: {
                    anyOf: [
                      { type: "null" },
                      {
                        type: "array",
                        uniqueItems: true,
                        items: {
                          anyOf: [
                            { type: "string", enum: [...REDIS_LINK_EXTRAS], description: "An extra field to export." },
                            { $ref: "#/$defs/rename" },
                          ],
                        },
                      },
                      { $ref: "#/$defs/rename" },
                    ],
                  },
                },
              ],
            },
          },
          ...accepted(K8S_WORKLOAD_FIELDS, "strata generates the namespace and link secret, not the workload"),
        },
      };
  }
}

const renameDef: JsonSchema = {
  type: "object",
  description: "Field -> environment variable name; must rename every field the linked module exports.",
  additionalProperties: {
    type: "string",
    pattern: ENV_VAR_NAME.pattern.source,
    "x-allowed": ENV_VAR_NAME.description,
  },
};

function modulesSchema(kinds: readonly GeneratedKind[]): JsonSchema {
  return {
    type: "array",
    minItems: 1,
    description: "The modules of this file, in any order.",
    items: {
      type: "object",
      required: ["type"],
      properties: commonModule,
      allOf: kinds.map((kind) => ({
        if: { properties: { type: { enum: [...GENERATED_TYPES[kind].aliases] } }, required: ["type"] },
        then: moduleSchema(kind),
      })),
    },
  };
}

const inputVariables: JsonSchema = {
  type: "array",
  description: "opta's command-line input variables; not supported by strata and ignored.",
};

export interface SchemaOptions {
  /**
   * Let module string fields hold `{name}` placeholders, as a file does before
   * strata replaces them (for editors). The validator checks values after
   * replacement, so it turns this off.
   * @default true
   */
  readonly placeholders?: boolean;
}

/** A string that still holds a `{name}` placeholder. */
const PLACEHOLDER_STRING: JsonSchema = {
  type: "string",
  pattern: "\\{[A-Za-z_][A-Za-z0-9_.-]*\\}",
  description: "A value with a {name} placeholder, checked once strata has replaced it.",
};

/**
 * Wraps every string field of the generated modules (but their type and
 * name, which take no placeholders) so a placeholder is accepted too.
 */
function allowPlaceholders(schema: JsonSchema): JsonSchema {
  const wrap = (field: JsonSchema): JsonSchema => {
    if (field.type === "string" && (field.pattern || field.enum)) {
      const { description, default: def, ...rule } = field;
      return { description, ...(def !== undefined ? { default: def } : {}), anyOf: [rule, PLACEHOLDER_STRING] };
    }
    if (field.type === "array" && field.items && typeof field.items === "object") {
      return { ...field, items: wrap(field.items as JsonSchema) };
    }
    if (field.type === "object" && field.properties && typeof field.properties === "object") {
      const nested = Object.entries(field.properties as Record<string, JsonSchema>).map(([k, v]) => [k, wrap(v)]);
      return { ...field, properties: Object.fromEntries(nested) };
    }
    return field;
  };
  const modules = (schema.properties as Record<string, JsonSchema>).modules;
  const items = modules.items as JsonSchema;
  const allOf = (items.allOf as JsonSchema[]).map((branch) => {
    const then = branch.then as JsonSchema;
    const props = then.properties as Record<string, JsonSchema>;
    const wrapped = Object.fromEntries(
      Object.entries(props).map(([k, v]) => [k, k === "type" || k === "name" ? v : wrap(v)]),
    );
    return { ...branch, then: { ...then, properties: wrapped } };
  });
  const properties: Record<string, JsonSchema> = {
    ...(schema.properties as Record<string, JsonSchema>),
    modules: { ...modules, items: { ...items, allOf } },
  };
  // The state bucket takes placeholders too ({opta.state_bucket}).
  const state = properties.state;
  if (state) {
    const stateProps = state.properties as Record<string, JsonSchema>;
    properties.state = { ...state, properties: { ...stateProps, bucket: wrap(stateProps.bucket) } };
  }
  return { ...schema, properties };
}

export function environmentSchema(options: SchemaOptions = {}): JsonSchema {
  const schema = environmentRules();
  return options.placeholders === false ? schema : allowPlaceholders(schema);
}

export function serviceSchema(options: SchemaOptions = {}): JsonSchema {
  const schema = serviceRules();
  return options.placeholders === false ? schema : allowPlaceholders(schema);
}

function environmentRules(): JsonSchema {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "strata environment manifest",
    type: "object",
    additionalProperties: false,
    required: ["name", "org_name", "providers", "modules"],
    properties: {
      name: str(ENV_NAME, "The environment's name; every derived name is opta-<name>."),
      org_name: str(ORG_NAME, "The organisation; tells an environment file from a service file."),
      providers: {
        type: "object",
        additionalProperties: false,
        required: ["aws"],
        properties: {
          aws: {
            type: "object",
            additionalProperties: false,
            required: ["region", "account_id"],
            properties: {
              region: str(REGION, "The AWS region."),
              account_id: {
                type: ["string", "integer"],
                description: "The 12-digit AWS account id; quote it in YAML.",
                pattern: ACCOUNT_ID.pattern.source,
                "x-allowed": ACCOUNT_ID.description,
              },
              default_tags: tags("Tags the AWS provider adds to every AWS resource of the environment's stacks."),
              profile: str(AWS_PROFILE, "A profile of the AWS shared config files, for the provider and the EKS token."),
              assume_role: str(ROLE_ARN, "A role the AWS provider assumes (and the EKS token with it)."),
            },
          },
          kubernetes: {
            type: "object",
            additionalProperties: false,
            description: "How service stacks reach Kubernetes: the EKS cluster opta-<env> by default.",
            properties: {
              cluster_name: str(EKS_CLUSTER_NAME, "The EKS cluster, when not opta-<env>."),
              config_path: { type: "string", minLength: 1, description: "A kubeconfig file to use instead of EKS lookups." },
              config_context: { type: "string", minLength: 1, description: "The kubeconfig context; needs config_path." },
            },
          },
        },
      },
      adopt: {
        type: "boolean",
        default: false,
        description: "Take over what opta built: the first plan imports the key, alias, subnet group, security group, caches, namespaces and Secrets (same as --adopt).",
      },
      state: {
        type: "object",
        additionalProperties: false,
        description: "Where every stack of the environment keeps its Terraform state.",
        properties: {
          backend: { type: "string", enum: ["local", "s3"], default: "local", description: "local: a file beside the output folder; s3: a bucket." },
          bucket: str(BUCKET_NAME, "The S3 bucket (not created by these stacks; see create_bucket). {opta.state_bucket} is opta's bucket name."),
          key: { ...str(STATE_KEY, "Each stack's object key; {stack} is the stack name."), default: DEFAULT_STATE_KEY },
          region: str(REGION, "The bucket's region; default the environment's."),
          encrypt: { type: "boolean", default: true, description: "Server-side encryption of the state, which holds the cache tokens; must stay true." },
          lock: { type: "string", enum: ["s3", "dynamodb"], default: "s3", description: "s3: a lock file in the bucket (Terraform 1.10+); dynamodb: a lock table." },
          dynamodb_table: str(DYNAMODB_TABLE, "The DynamoDB lock table, with lock: dynamodb."),
          create_bucket: { type: "boolean", default: false, description: "Also synthesize <env>-state-bootstrap, a stack that creates the bucket (and table)." },
          allow_opta_key: { type: "boolean", default: false, description: "Allow a key equal to opta's bare layer name; strata would then read opta's state." },
        },
      },
      modules: modulesSchema(["base"]),
      input_variables: inputVariables,
    },
    $defs: { rename: renameDef },
  };
}

function serviceRules(): JsonSchema {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "strata service manifest",
    type: "object",
    additionalProperties: false,
    required: ["name", "environments", "modules"],
    properties: {
      name: str(SERVICE_NAME, "The service's name: its namespace and the <service> in opta-<service>-<module>."),
      environments: {
        type: "array",
        minItems: 1,
        description: "The environments this service is deployed to.",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["name", "path"],
          properties: {
            name: { type: "string", minLength: 1, description: "The key `--env` selects." },
            path: { type: "string", minLength: 1, description: "The environment file, relative to this file." },
            variables: { type: "object", description: "Values for {vars.NAME} placeholders." },
            vars: { type: "object", description: "Same as variables (opta accepted both)." },
          },
        },
      },
      modules: modulesSchema(["redis", "k8s-service"]),
      input_variables: inputVariables,
    },
    $defs: { rename: renameDef },
  };
}
