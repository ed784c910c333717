/**
 * Taking over a running opta environment: Terraform `import` blocks, so the
 * first plan imports what opta built instead of trying to create it again
 * (and failing with "already exists", or, for the cache, quietly building a
 * second one), and the list of attributes the first apply will still change
 * because strata's defaults differ from opta's.
 *
 * Import blocks stay harmless after the first apply: Terraform skips an
 * import whose target is already in the state.
 */
import { TerraformStack, TerraformVariable } from "cdktf";
import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import { DataAwsSecurityGroup } from "@cdktf/provider-aws/lib/data-aws-security-group";
import { EnvInit, kmsAliasName, securityGroupName, subnetGroupName } from "../modules/env-init";
import { Redis, REDIS_DEFAULTS } from "../modules/redis";
import { ServiceSecret } from "../modules/link";
import { logicalPrefix } from "../modules/errors";
import { EnvironmentModel, Project, ServiceModel } from "./manifest/model";

interface ImportBlock {
  readonly to: string;
  readonly id: string;
}

function addImports(stack: TerraformStack, blocks: readonly ImportBlock[]): void {
  // Written as raw `import` blocks: cdktf's importFrom() adds a validation
  // that runs `terraform version` during every synth.
  if (blocks.length > 0) stack.addOverride("import", blocks.map((b) => ({ to: b.to, id: b.id })));
}

/** Imports of the env stack: the key (found through its alias), the alias, the subnet group and the security group. */
export function adoptEnvironment(stack: TerraformStack, env: EnvironmentModel, init: EnvInit): void {
  const prefix = logicalPrefix(init.node.id);
  const alias = new DataAwsKmsAlias(stack, "adopt_kms_alias", { name: kmsAliasName(env.name) });
  alias.overrideLogicalId(`${prefix}_adopt_kms_alias`);
  const group = new DataAwsSecurityGroup(stack, "adopt_security_group", {
    name: securityGroupName(env.name),
    vpcId: init.vpcId,
  });
  group.overrideLogicalId(`${prefix}_adopt_security_group`);
  addImports(stack, [
    { to: `aws_kms_key.${prefix}_kms_key`, id: `\${${alias.fqn}.target_key_id}` },
    { to: `aws_kms_alias.${prefix}_kms_alias`, id: kmsAliasName(env.name) },
    { to: `aws_elasticache_subnet_group.${prefix}_elasticache_subnet_group`, id: subnetGroupName(env.name) },
    { to: `aws_security_group.${prefix}_elasticache_security_group`, id: `\${${group.fqn}.id}` },
  ]);
}

/** The sensitive variable that carries an adopted cache's existing AUTH token. */
export function authTokenVariableName(module: string): string {
  return `adopt_${logicalPrefix(module)}_auth_token`;
}

/**
 * Imports of a service stack: each replication group by its given id, its
 * password from a sensitive variable (so the token does not rotate), the
 * namespace and the Secret.
 */
export function adoptService(
  stack: TerraformStack,
  service: ServiceModel,
  caches: readonly Redis[],
  secret: ServiceSecret | undefined,
  namespaceAddress: string | undefined,
): void {
  const blocks: ImportBlock[] = [];
  for (const cache of caches) {
    const model = service.redis.find((r) => r.name === cache.node.id);
    const prefix = logicalPrefix(cache.node.id);
    const token = new TerraformVariable(stack, authTokenVariableName(cache.node.id), {
      type: "string",
      sensitive: true,
      description: `The AUTH token of the existing cache ${model?.replicationGroupId}, from opta's Secret (see the README's migration guide)`,
    });
    blocks.push(
      { to: `aws_elasticache_replication_group.${prefix}_replication_group`, id: String(model?.replicationGroupId) },
      { to: `random_password.${prefix}_auth_token`, id: `\${var.${token.friendlyUniqueId}}` },
    );
  }
  if (namespaceAddress) blocks.push({ to: namespaceAddress, id: service.name });
  if (secret) {
    blocks.push({
      to: `kubernetes_secret_v1.${logicalPrefix(secret.node.id)}_secret`,
      id: `${service.name}/${service.k8sService?.secretName ?? "secret"}`,
    });
  }
  addImports(stack, blocks);
}

/** One attribute the first apply after adoption changes, and how to keep opta's value. */
export interface AdoptionChange {
  readonly stack: string;
  readonly address: string;
  readonly attribute: string;
  readonly from: string;
  readonly to: string;
  /** The manifest field (and value) that keeps opta's behaviour, or why none does. */
  readonly keep: string;
}

/** opta's defaults, from its aws-redis and aws-base modules. */
export const OPTA_DEFAULTS = Object.freeze({
  nodeType: "cache.m4.large",
  redisVersion: "6.x",
  keyPolicySids: [
    "Enable IAM User/Role Permissions",
    "Allow service-linked role use of the CMK",
    "Allow sns access",
    "Allow attachment of persistent resources",
    "Allow events access",
    "Allow s3 access",
    "Allow cloudwatch log access",
  ],
});

/**
 * What the first apply will change on adopted resources, computed from the
 * manifests and opta's known defaults. Only differences strata's own defaults
 * cause are listed; values set in the manifest are taken as meant.
 */
export function adoptionChanges(project: Project): AdoptionChange[] {
  const changes: AdoptionChange[] = [];
  for (const env of project.environments.filter((e) => e.adopt)) {
    const key = `aws_kms_key.${logicalPrefix(env.base.name)}_kms_key`;
    changes.push({
      stack: env.name,
      address: key,
      attribute: "policy",
      from: `opta's statements (${OPTA_DEFAULTS.keyPolicySids.length}, among them the autoscaling service-linked role, SNS, S3 and EventBridge)`,
      to: "the account root and CloudWatch Logs, plus key_admins, key_users and extra_statements",
      keep:
        "extra_statements: opta's statements for the services you still need (opta also made this key the account's default EBS key: keep its autoscaling service-linked-role and grant statements if EKS nodes get encrypted volumes from it)",
    });
    const prefix = logicalPrefix(env.base.name);
    changes.push({
      stack: env.name,
      address: key,
      attribute: "deletion_window_in_days",
      from: "unset (AWS's 30)",
      to: String(env.base.deletionWindowInDays ?? 30),
      keep: "nothing to keep: it only matters when the key is scheduled for deletion",
    });
    changes.push({
      stack: env.name,
      address: `aws_elasticache_subnet_group.${prefix}_elasticache_subnet_group`,
      attribute: "description, tags",
      from: '"Managed by Terraform", opta\'s tags',
      to: `"Private subnets of env ${env.name}, for ElastiCache", Name and terraform tags`,
      keep: "nothing keeps them; both change in place",
    });
    for (const address of [key, `aws_security_group.${prefix}_elasticache_security_group`]) {
      changes.push({
        stack: env.name,
        address,
        attribute: "tags",
        from: "opta's tags (generate-terraform also added opta, layer and tf_address)",
        to: "Name and terraform, plus default_tags",
        keep: "default_tags: the tags you want on everything",
      });
    }
  }
  for (const svc of project.services.filter((s) => s.env.adopt)) {
    const stack = `${svc.env.name}-${svc.name}`;
    for (const r of svc.redis) {
      const address = `aws_elasticache_replication_group.${logicalPrefix(r.name)}_replication_group`;
      const add = (attribute: string, from: string, to: string, keep: string) =>
        changes.push({ stack, address, attribute, from, to, keep });
      if (r.nodeType === undefined) {
        add("node_type", OPTA_DEFAULTS.nodeType, REDIS_DEFAULTS.nodeType, `node_type: ${OPTA_DEFAULTS.nodeType}`);
      }
      if (r.engineVersion === undefined) {
        add("engine_version", OPTA_DEFAULTS.redisVersion, "7.1 (an in-place upgrade)", `redis_version: "${OPTA_DEFAULTS.redisVersion}"`);
      }
      if (r.maintenanceWindow === undefined) {
        add(
          "maintenance_window",
          "the window AWS chose when opta created the cache",
          "an hour on Sunday after the snapshot window",
          "maintenance_window: the cache's current window (aws elasticache describe-replication-groups)",
        );
      }
      if (r.finalSnapshot !== false) {
        add("final_snapshot_identifier", "none", `${r.replicationGroupId}-final`, "final_snapshot: false");
      }
      add(
        "auth_token_update_strategy",
        "unset (AWS never returns the token, so the import records none)",
        "ROTATE, with the same token",
        "nothing to keep: the token itself does not change",
      );
      if (r.slowLog?.enabled !== false) {
        add("log_delivery_configuration", "none", "slow log to a new CloudWatch log group", "slow_log: {enabled: false}");
      }
    }
    if (svc.k8sService && svc.k8sService.links.length > 0) {
      changes.push({
        stack,
        address: `kubernetes_secret_v1.${logicalPrefix(svc.k8sService.name)}_secret`,
        attribute: "metadata.labels, metadata.annotations",
        from: "Helm's labels and annotations of opta's release",
        to: "none",
        keep: "nothing keeps them; they only mattered to Helm, whose release record the migration removes (never helm uninstall: it deletes the Secret)",
      });
    }
  }
  return changes;
}

export function formatAdoptionChanges(changes: readonly AdoptionChange[]): string {
  if (changes.length === 0) return "adopt: the first apply changes nothing that strata's defaults decide\n";
  const byStack = new Map<string, AdoptionChange[]>();
  for (const c of changes) byStack.set(c.stack, [...(byStack.get(c.stack) ?? []), c]);
  const lines = ["adopt: the first apply will change these attributes (set the field shown to keep opta's value):"];
  for (const [stack, list] of [...byStack].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    lines.push(`  ${stack}`);
    for (const c of list) lines.push(`    ${c.address}.${c.attribute}: ${c.from} -> ${c.to}; keep: ${c.keep}`);
  }
  return lines.join("\n") + "\n";
}
