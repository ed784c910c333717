/**
 * JSON Schemas of the two manifest kinds, built from the same rule constants
 * the constructs and the validator use. `strata schema env|service` prints
 * them; the examples point editors at them with a yaml-language-server line.
 *
 * One annotation of our own, `x-allowed`, says in words what a field accepts;
 * editors ignore it and the validator puts it in its messages.
 */
import {
  ACCOUNT_ID,
  ENV_NAME,
  ORG_NAME,
  REGION,
  SUBNET_ID,
  VPC_ID,
} from "../../modules/env-init";
import {
  ENGINE_VERSION,
  NODE_TYPES,
  PREVIOUS_NODE_TYPES,
  SNAPSHOT_RETENTION_LIMIT,
  DAILY_WINDOW,
  WEEKLY_WINDOW,
} from "../../modules/redis";
import { ENV_VAR_NAME } from "../../modules/link";
import {
  BASE_VPC_FIELDS,
  GENERATED_TYPES,
  GeneratedKind,
  K8S_WORKLOAD_FIELDS,
  MODULE_NAME,
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
            ...str(VPC_ID, "An existing VPC's id; without it the VPC tagged Name = opta-<env> is used."),
          },
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
        description: "An ElastiCache Redis replication group: two nodes across zones, TLS, encrypted with the env key.",
        additionalProperties: false,
        required: ["type"],
        properties: {
          ...commonModule,
          type: typeEnum,
          node_type: {
            type: "string",
            default: "cache.m6g.large",
            enum: [...NODE_TYPES, ...PREVIOUS_NODE_TYPES],
            description: "The ElastiCache node type.",
            "x-allowed": "an ElastiCache node type such as cache.t4g.medium or cache.m6g.large",
          },
          redis_version: {
            type: "string",
            default: "7.1",
            pattern: ENGINE_VERSION.pattern.source,
            description: "The Redis engine version.",
            "x-allowed": ENGINE_VERSION.description,
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
                  description: "A module name mapped to [{field: KEY, ...}] renaming every field.",
                  additionalProperties: {
                    anyOf: [
                      { type: "null" },
                      { type: "array", maxItems: 1, items: { $ref: "#/$defs/rename" } },
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
  return {
    ...schema,
    properties: { ...(schema.properties as object), modules: { ...modules, items: { ...items, allOf } } },
  };
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
            },
          },
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
