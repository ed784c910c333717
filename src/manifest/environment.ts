/**
 * The environment-level sections beyond the shape the schema checks: how the
 * base module, the providers and the state backend turn into the model, and
 * the checks that need more than one field.
 */
import { createHash } from "node:crypto";
import { RESERVED_SIDS, KeyPolicyStatement, eksClusterName, locksOutAccount } from "../../modules/env-init";
import { Problem, show } from "../problems";
import { AwsProviderModel, BaseModel, KubernetesAccess, StateModel } from "./model";
import { substitute } from "./placeholders";
import { DEFAULT_STATE_KEY } from "./rules";
import { DocPath, SourceFile } from "./source";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;

const stringMap = (value: unknown): Record<string, string> | undefined =>
  isObject(value)
    ? Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"))
    : undefined;

/** The network address of an IPv4 CIDR block (`10.0.0.1/16` -> `10.0.0.0/16`), or undefined if it is not one. */
export function networkOf(block: string): string | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(block);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const base = address - (address % size);
  const parts = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
  return `${parts.join(".")}/${bits}`;
}

/** The base module's model, with its combination checks. */
export function baseModel(source: SourceFile, path: DocPath, m: Json, name: string, accountId: string | undefined, problems: Problem[]): BaseModel {
  const both = (a: string, b: string) => {
    if (a in m && b in m) {
      problems.push(source.problem([...path, b], `give ${a} or ${b}, not both`, "both", `one of ${a}, ${b}`, true));
    }
  };
  both("vpc_id", "vpc_tags");
  both("private_subnet_ids", "private_subnet_tags");

  // Terraform refuses a block with host bits set (10.0.0.1/16); say so now,
  // with the block that was probably meant.
  (strings(m.allowed_cidr_blocks) ?? []).forEach((block, i) => {
    const network = networkOf(block);
    if (network !== undefined && network !== block) {
      problems.push(
        source.problem([...path, "allowed_cidr_blocks", i], `is not a network address; did you mean ${network}?`, show(block), network),
      );
    }
  });

  const statements = Array.isArray(m.extra_statements) ? m.extra_statements.filter(isObject) : [];
  const seen = new Map<string, number>();
  statements.forEach((st, i) => {
    const at = [...path, "extra_statements", i];
    if (typeof st.sid === "string") {
      if (RESERVED_SIDS.includes(st.sid)) {
        problems.push(source.problem([...at, "sid"], "is a statement id strata uses itself", show(st.sid), `a sid other than ${RESERVED_SIDS.join(", ")}`));
      } else if (seen.has(st.sid)) {
        problems.push(source.problem([...at, "sid"], `repeats the sid of extra_statements[${seen.get(st.sid)}]`, show(st.sid)));
      } else seen.set(st.sid, i);
    }
    const aws = isObject(st.principals) ? (strings(st.principals.AWS) ?? []) : [];
    const actions = strings(st.actions) ?? [];
    if (locksOutAccount(typeof st.effect === "string" ? st.effect : undefined, aws, actions, accountId)) {
      problems.push(
        source.problem(
          at,
          "would deny the account root the right to change the key policy, locking the account out of the key",
          "a Deny of kms:PutKeyPolicy for the root or *",
          "statements that keep the root in control",
        ),
      );
    }
  });

  return {
    name,
    vpcId: typeof m.vpc_id === "string" ? m.vpc_id : undefined,
    vpcTags: stringMap(m.vpc_tags),
    privateSubnetIds: strings(m.private_subnet_ids),
    privateSubnetTags: stringMap(m.private_subnet_tags),
    excludeAzIds: strings(m.exclude_az_ids),
    allowDestroy: typeof m.allow_destroy === "boolean" ? m.allow_destroy : undefined,
    deletionWindowInDays: typeof m.deletion_window_in_days === "number" ? m.deletion_window_in_days : undefined,
    rotationPeriodInDays: typeof m.rotation_period_in_days === "number" ? m.rotation_period_in_days : undefined,
    keyAdmins: strings(m.key_admins),
    keyUsers: strings(m.key_users),
    extraStatements: !Array.isArray(m.extra_statements) ? undefined : statements.map(
      (st): KeyPolicyStatement => ({
        sid: String(st.sid),
        effect: st.effect === "Deny" ? "Deny" : "Allow",
        principals: {
          ...(isObject(st.principals) && strings(st.principals.AWS) ? { AWS: strings(st.principals.AWS) } : {}),
          ...(isObject(st.principals) && strings(st.principals.Service) ? { Service: strings(st.principals.Service) } : {}),
        },
        actions: strings(st.actions) ?? [],
        ...(strings(st.resources) ? { resources: strings(st.resources) } : {}),
        ...(isObject(st.conditions) ? { conditions: st.conditions as KeyPolicyStatement["conditions"] } : {}),
      }),
    ),
    allowedSecurityGroupIds: strings(m.allowed_security_group_ids),
    allowedCidrBlocks: strings(m.allowed_cidr_blocks),
  };
}

export function awsProviderModel(aws: Json): AwsProviderModel {
  return {
    defaultTags: stringMap(aws.default_tags),
    profile: typeof aws.profile === "string" ? aws.profile : undefined,
    assumeRole: typeof aws.assume_role === "string" ? aws.assume_role : undefined,
  };
}

export function kubernetesAccess(source: SourceFile, value: unknown, env: string, problems: Problem[]): KubernetesAccess {
  const k = isObject(value) ? value : {};
  const path = ["providers", "kubernetes"];
  if ("cluster_name" in k && ("config_path" in k || "config_context" in k)) {
    problems.push(
      source.problem([...path, "cluster_name"], "give cluster_name (EKS) or config_path (a kubeconfig), not both", undefined, "one way to reach the cluster", true),
    );
  }
  if ("config_context" in k && !("config_path" in k)) {
    problems.push(source.problem([...path, "config_context"], "needs config_path: the kubeconfig the context is in", undefined, undefined, true));
  }
  if (typeof k.config_path === "string") {
    return {
      kind: "kubeconfig",
      configPath: k.config_path,
      configContext: typeof k.config_context === "string" ? k.config_context : undefined,
    };
  }
  return { kind: "eks", clusterName: typeof k.cluster_name === "string" ? k.cluster_name : eksClusterName(env) };
}

/**
 * opta's state bucket: `opta-tf-state-<org>-<env>`, plus (for buckets opta
 * created after it added the suffix) the first 4 hex digits of the MD5 of
 * region and account id written together.
 */
export function optaStateBucket(org: string, env: string, region: string, accountId: string): { suffixed: string; legacy: string } {
  const legacy = `opta-tf-state-${org}-${env}`;
  const hash = createHash("md5").update(`${region}${accountId}`).digest("hex").slice(0, 4);
  return { suffixed: `${legacy}-${hash}`, legacy };
}

/** The placeholders a state bucket name may use. */
export function statePlaceholders(env: { name: string; org: string; region: string; accountId: string }): Map<string, string> {
  const opta = optaStateBucket(env.org, env.name, env.region, env.accountId);
  return new Map([
    ["env", env.name],
    ["org", env.org],
    ["aws.region", env.region],
    ["aws.account_id", env.accountId],
    ["opta.state_bucket", opta.suffixed],
    ["opta.state_bucket_legacy", opta.legacy],
  ]);
}

/**
 * Replaces the placeholders of `state.bucket` (the only state field that
 * takes them), reporting unknown ones; returns the data with the value replaced.
 */
export function substituteState(source: SourceFile, data: Json, values: Map<string, string>, problems: Problem[]): Json {
  if (!isObject(data.state) || typeof data.state.bucket !== "string") return data;
  const result = substitute(data.state.bucket, values);
  for (const e of result.errors) problems.push(source.problem(["state", "bucket"], e.message, e.got, e.allowed));
  return { ...data, state: { ...data.state, bucket: result.value } };
}

export function stateModel(
  source: SourceFile,
  value: unknown,
  env: { name: string; org: string; region: string; accountId: string },
  problems: Problem[],
): StateModel {
  const s = isObject(value) ? value : {};
  const path = ["state"];
  const backend = s.backend === "s3" ? "s3" : "local";
  if (backend === "local") {
    const extra = Object.keys(s).filter((k) => k !== "backend");
    for (const key of extra) {
      problems.push(source.problem([...path, key], "only applies with backend: s3", show(s[key]), "backend: s3", true));
    }
    return { backend: "local" };
  }

  if (typeof s.bucket !== "string") {
    problems.push(source.problem([...path, "bucket"], "required field bucket is missing (backend: s3)", undefined, "the S3 bucket that holds the state"));
  }
  const bucket = typeof s.bucket === "string" ? s.bucket : "";
  const key = typeof s.key === "string" ? s.key : DEFAULT_STATE_KEY;
  if (key.replace("{stack}", env.name) === env.name && s.allow_opta_key !== true) {
    problems.push(
      source.problem(
        [...path, "key"],
        `gives the env stack the key ${env.name}, where opta keeps this environment's state; a strata stack reading it would plan to destroy everything opta built`,
        show(key),
        `a key such as ${DEFAULT_STATE_KEY}, or allow_opta_key: true if you mean it`,
      ),
    );
  }
  if (s.encrypt === false) {
    problems.push(
      source.problem([...path, "encrypt"], "must stay true: the state holds every cache's AUTH token in plain text", "false", "true"),
    );
  }
  const lock = s.lock === "dynamodb" ? "dynamodb" : "s3";
  if (lock === "dynamodb" && typeof s.dynamodb_table !== "string") {
    problems.push(source.problem([...path, "dynamodb_table"], "required with lock: dynamodb", undefined, "the lock table's name"));
  }
  if (lock === "s3" && "dynamodb_table" in s) {
    problems.push(source.problem([...path, "dynamodb_table"], "only applies with lock: dynamodb", show(s.dynamodb_table), "lock: dynamodb", true));
  }
  return {
    backend: "s3",
    bucket,
    key,
    region: typeof s.region === "string" ? s.region : env.region,
    lock: lock === "dynamodb" ? { kind: "dynamodb", table: String(s.dynamodb_table) } : { kind: "s3" },
    createBucket: s.create_bucket === true,
    allowOptaKey: s.allow_opta_key === true,
  };
}

/** A stack's state key. */
export function stateKey(template: string, stack: string): string {
  return template.replace("{stack}", stack);
}
