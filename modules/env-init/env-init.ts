import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";
import { describeValue } from "../errors";
import { checkInteger, checkText, fail } from "../limits";
import { SECURITY_GROUP_ID } from "../redis/limits";
import { assignLogicalId } from "../logical-id";
import { KeyPolicyStatement, RESERVED_SIDS, envKeyPolicy, locksOutAccount } from "./key-policy";
import { lookUpPrincipals } from "./principals";
import {
  ACCOUNT_ID,
  AZ_ID,
  CIDR_BLOCK,
  DELETION_WINDOW_DAYS,
  ELASTICACHE_PORT,
  IAM_PRINCIPAL_ARN,
  KMS_ACTION,
  MIN_AVAILABILITY_ZONES,
  ROTATION_PERIOD_DAYS,
  STATEMENT_SID,
  ENV_NAME,
  MIN_PRIVATE_SUBNETS,
  REGION,
  SUBNET_ID,
  TAG_KEY,
  TAG_VALUE,
  VPC_ID,
  kmsAliasName,
  securityGroupName,
  subnetGroupName,
  vpcNameTag,
} from "./names";
import { lookUpEnvVpc } from "./vpc-lookup";
import { ENV_INIT_DEFAULTS } from "./defaults";

/** Props of {@link EnvInit}. */
export interface EnvInitProps {
  /**
   * The env name; every resource name is built from it (`opta-<env>`).
   *
   * IMPORTANT: changing it replaces every resource of the env, the KMS key
   * included.
   */
  readonly envName: string;

  /** The AWS account id the key policy grants to: 12 digits, as a string. */
  readonly accountId: string;

  /**
   * The AWS region of the env; CloudWatch Logs of this region may use the
   * key.
   */
  readonly region: string;

  /**
   * The id of an existing VPC to use.
   *
   * IMPORTANT: changing it replaces the security group and the subnet group.
   *
   * @default - the VPC tagged `Name = opta-<envName>`, as opta created it;
   * the plan fails unless exactly one VPC carries that tag
   */
  readonly vpcId?: string;

  /**
   * The private subnets for ElastiCache: at least 2 distinct subnet ids of
   * the VPC.
   *
   * @default - every subnet of the VPC tagged `type = private`, as opta
   * tagged them; the plan fails with a clear message when fewer than 2 exist
   */
  readonly privateSubnetIds?: readonly string[];

  /**
   * Tags that find the existing VPC, when no `vpcId` is given.
   *
   * @default - `Name = opta-<envName>`, as opta tagged the VPCs it created
   */
  readonly vpcTags?: Readonly<Record<string, string>>;

  /**
   * Tags that find the private subnets of the VPC, when no
   * `privateSubnetIds` are given.
   *
   * @default - `type = private`, as opta tagged them
   */
  readonly privateSubnetTags?: Readonly<Record<string, string>>;

  /**
   * Availability zone ids (`use1-az3`) whose subnets are left out of the
   * subnet group: some older zones do not offer current node types, and a
   * cache placed there fails to create halfway through an apply.
   *
   * @default - no zone is left out
   */
  readonly excludeAzIds?: readonly string[];

  /**
   * Days between scheduling the key's deletion and the deletion, 7-30.
   *
   * @default 30
   */
  readonly deletionWindowInDays?: number;

  /**
   * Days between automatic rotations of the key material, 90-2560.
   *
   * @default - AWS's period, 365 days
   */
  readonly rotationPeriodInDays?: number;

  /**
   * IAM role or user ARNs that administer the key (one policy statement).
   * Roles and users of the env's account are also looked up by data
   * sources, so a typo fails at plan with its name.
   *
   * @default - none beyond the account root
   */
  readonly keyAdmins?: readonly string[];

  /**
   * IAM role or user ARNs that use the key to encrypt and decrypt (one
   * policy statement), looked up like `keyAdmins`.
   *
   * @default - none beyond the account root and CloudWatch Logs
   */
  readonly keyUsers?: readonly string[];

  /**
   * More key policy statements. The account-root statement is always kept,
   * so no statement can lock the account out of the key.
   *
   * @default - none
   */
  readonly extraStatements?: readonly KeyPolicyStatement[];

  /**
   * Security groups whose members may reach the caches on the Redis port.
   * With this or `allowedCidrBlocks`, only those are admitted.
   *
   * @default - the VPC's CIDR blocks are admitted
   */
  readonly allowedSecurityGroupIds?: readonly string[];

  /**
   * IPv4 CIDR blocks that may reach the caches on the Redis port.
   *
   * @default - the VPC's CIDR blocks are admitted
   */
  readonly allowedCidrBlocks?: readonly string[];

  /**
   * Whether Terraform may destroy the KMS key and its alias. Deleting the
   * key makes every cache and snapshot encrypted with it unreadable.
   *
   * @default false
   */
  readonly allowDestroy?: boolean;

  /**
   * Tags for the key, the subnet group and the security group, merged over
   * the `Name` and `terraform = "true"` tags this construct sets.
   *
   * @default - no tags beyond `Name` and `terraform`
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export { ENV_INIT_DEFAULTS } from "./defaults";

/** The tag opta put on private subnets, used to find them. */
export const PRIVATE_SUBNET_TAG: Readonly<Record<string, string>> =
  Object.freeze({ type: "private" });

/**
 * The env-wide resources that service stacks build on: a KMS key with its
 * alias, the VPC and its private subnets (looked up, never created), an
 * ElastiCache subnet group and a security group admitting Redis traffic from
 * the VPC.
 *
 * Terraform addresses are `<id>_<role>` with the roles `kms_key`,
 * `kms_alias`, `vpc`, `private_subnets`, `private_subnet` (one per subnet,
 * for its zone), `elasticache_subnet_group`, `elasticache_security_group`,
 * and `iam_role_<name>` / `iam_user_<name>` for looked-up key principals.
 */
export class EnvInit extends Construct {
  /** The env name, as given. */
  readonly envName: string;

  /** The env's KMS key. */
  readonly kmsKey: KmsKey;

  /** The `alias/opta-<env>` alias of the key. */
  readonly kmsAlias: KmsAlias;

  /** The VPC lookup. */
  readonly vpc: DataAwsVpc;

  /** The private subnet lookup. */
  readonly privateSubnets: DataAwsSubnets;

  /** The lookup of each private subnet, for its availability zone. */
  readonly privateSubnetDetails: DataAwsSubnet;

  /** The ElastiCache subnet group. */
  readonly subnetGroup: ElasticacheSubnetGroup;

  /** The security group for ElastiCache. */
  readonly securityGroup: SecurityGroup;

  /** The key's ARN, what `kms_key_id` of a cache needs. */
  readonly kmsKeyArn: string;

  /** The key's id. */
  readonly kmsKeyId: string;

  /** The VPC's id. */
  readonly vpcId: string;

  /** The private subnet ids, as one list token: never index it. */
  readonly privateSubnetIds: string[];

  /** The security group's id. */
  readonly securityGroupId: string;

  /** The subnet group's name. */
  readonly subnetGroupName: string;

  constructor(scope: Construct, id: string, props: EnvInitProps) {
    super(scope, id);

    const envName = props.envName;
    const allowDestroy = props.allowDestroy ?? ENV_INIT_DEFAULTS.allowDestroy;
    const extraTags = { ...(props.tags ?? ENV_INIT_DEFAULTS.tags) };
    const explicitSubnetIds =
      props.privateSubnetIds === undefined
        ? undefined
        : [...props.privateSubnetIds];

    checkText(this, "envName", envName, ENV_NAME);
    checkText(this, "accountId", props.accountId, ACCOUNT_ID);
    checkText(this, "region", props.region, REGION);
    if (props.vpcId !== undefined) {
      checkText(this, "vpcId", props.vpcId, VPC_ID);
    }
    if (explicitSubnetIds !== undefined) {
      checkSubnetIds(this, explicitSubnetIds);
    }
    checkTags(this, extraTags);
    const deletionWindow = props.deletionWindowInDays ?? ENV_INIT_DEFAULTS.deletionWindowInDays;
    checkInteger(this, "deletionWindowInDays", deletionWindow, DELETION_WINDOW_DAYS);
    if (props.rotationPeriodInDays !== undefined) {
      checkInteger(this, "rotationPeriodInDays", props.rotationPeriodInDays, ROTATION_PERIOD_DAYS);
    }
    if (props.vpcId !== undefined && props.vpcTags !== undefined) {
      fail(this, "vpcTags", "give vpcId or vpcTags, not both (got both; allowed one of them)");
    }
    if (explicitSubnetIds !== undefined && props.privateSubnetTags !== undefined) {
      fail(this, "privateSubnetTags", "give privateSubnetIds or privateSubnetTags, not both (got both; allowed one of them)");
    }
    const excludeAzIds = [...(props.excludeAzIds ?? [])];
    excludeAzIds.forEach((az, i) => checkText(this, `excludeAzIds[${i}]`, az, AZ_ID));
    const keyAdmins = [...(props.keyAdmins ?? [])];
    const keyUsers = [...(props.keyUsers ?? [])];
    keyAdmins.forEach((arn, i) => checkText(this, `keyAdmins[${i}]`, arn, IAM_PRINCIPAL_ARN));
    keyUsers.forEach((arn, i) => checkText(this, `keyUsers[${i}]`, arn, IAM_PRINCIPAL_ARN));
    const extraStatements = (props.extraStatements ?? []).map((st) => ({ ...st }));
    checkStatements(this, extraStatements, props.accountId);
    const allowedGroups = [...(props.allowedSecurityGroupIds ?? [])];
    const allowedCidrs = [...(props.allowedCidrBlocks ?? [])];
    allowedGroups.forEach((g, i) => checkText(this, `allowedSecurityGroupIds[${i}]`, g, SECURITY_GROUP_ID));
    allowedCidrs.forEach((c, i) => checkText(this, `allowedCidrBlocks[${i}]`, c, CIDR_BLOCK));

    const protect = allowDestroy ? undefined : { preventDestroy: true };
    const tagsNamed = (name: string) => ({
      Name: name,
      terraform: "true",
      ...extraTags,
    });

    this.kmsKey = new KmsKey(this, "KmsKey", {
      // opta's wording, kept so that an adopted opta env shows no diff.
      description: "Base key for account",
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindow,
      rotationPeriodInDays: props.rotationPeriodInDays,
      policy: envKeyPolicy(props.accountId, props.region, {
        admins: lookUpPrincipals(this, props.accountId, keyAdmins),
        users: lookUpPrincipals(this, props.accountId, keyUsers),
        extraStatements,
      }),
      tags: tagsNamed(`opta-${envName}`),
      lifecycle: protect,
    });
    assignLogicalId(this, this.kmsKey, "kms_key");

    this.kmsAlias = new KmsAlias(this, "KmsAlias", {
      name: kmsAliasName(envName),
      targetKeyId: this.kmsKey.keyId,
      lifecycle: protect,
    });
    assignLogicalId(this, this.kmsAlias, "kms_alias");

    this.vpc = lookUpEnvVpc(this, envName, props.vpcId, props.vpcTags);
    const words = describeLookups(
      envName,
      props.vpcId,
      props.vpcTags,
      explicitSubnetIds,
      props.privateSubnetTags
    );

    this.privateSubnets = new DataAwsSubnets(this, "PrivateSubnets", {
      filter: [
        { name: "vpc-id", values: [this.vpc.id] },
        ...(explicitSubnetIds !== undefined
          ? [{ name: "subnet-id", values: explicitSubnetIds }]
          : []),
      ],
      tags:
        explicitSubnetIds === undefined
          ? { ...(props.privateSubnetTags ?? PRIVATE_SUBNET_TAG) }
          : undefined,
      lifecycle: {
        postcondition: [
          {
            condition: `\${length(self.ids) >= ${MIN_PRIVATE_SUBNETS}}`,
            errorMessage: tooFewSubnetsMessage(envName, words),
          },
        ],
      },
    });
    assignLogicalId(this, this.privateSubnets, "private_subnets");

    // Each subnet's zone, known at plan (data sources are read then), so
    // the zone checks below fail the plan, not the apply.
    const eachSubnet = TerraformIterator.fromList(this.privateSubnets.ids);
    this.privateSubnetDetails = new DataAwsSubnet(this, "PrivateSubnet", {
      forEach: eachSubnet,
      id: eachSubnet.value,
    });
    assignLogicalId(this, this.privateSubnetDetails, "private_subnet");
    const details = this.privateSubnetDetails.fqn;
    const excluded = JSON.stringify(excludeAzIds);
    const kept =
      excludeAzIds.length === 0
        ? `values(${details})`
        : `[for s in values(${details}) : s if !contains(${excluded}, s.availability_zone_id)]`;
    this.subnetGroup = new ElasticacheSubnetGroup(this, "SubnetGroup", {
      name: subnetGroupName(envName),
      description: `Private subnets of env ${envName}, for ElastiCache`,
      subnetIds:
        excludeAzIds.length === 0
          ? this.privateSubnets.ids
          : Token.asList(`\${[for s in ${kept} : s.id]}`),
      tags: tagsNamed(subnetGroupName(envName)),
      lifecycle: {
        precondition: [
          // The subnet lookup already fails with fewer than 2 subnets; this
          // says the same for what is left once zones are excluded.
          ...(excludeAzIds.length === 0
            ? []
            : [
                {
                  condition: `\${length(${kept}) >= ${MIN_PRIVATE_SUBNETS}}`,
                  errorMessage:
                    `env ${envName}: fewer than ${MIN_PRIVATE_SUBNETS} private subnets of ${words.vpc} are left ` +
                    `once the zones ${excludeAzIds.join(", ")} are excluded`,
                },
              ]),
          {
            condition: `\${length(distinct([for s in ${kept} : s.availability_zone_id])) >= ${MIN_AVAILABILITY_ZONES}}`,
            errorMessage:
              `env ${envName}: the private subnets of ${words.vpc} are all in one availability zone; ` +
              `a cache with a failover replica needs subnets in at least ${MIN_AVAILABILITY_ZONES} zones`,
          },
        ],
      },
    });
    assignLogicalId(this, this.subnetGroup, "elasticache_subnet_group");

    // Known limitation: only the VPC's IPv4 CIDR blocks are admitted; a
    // dual-stack VPC's IPv6 clients cannot reach the cache.
    const vpcCidrBlocks = Token.asList(
      `\${[for a in ${this.vpc.fqn}.cidr_block_associations : a.cidr_block]}`
    );
    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      name: securityGroupName(envName),
      // opta's wording: the description forces replacement when it changes.
      description:
        "For usage by elasticache to give access to resources in the vpc",
      vpcId: this.vpc.id,
      ingress:
        allowedGroups.length === 0 && allowedCidrs.length === 0
          ? [
              {
                // No rule description, as opta: an adopted env shows no diff.
                protocol: "tcp",
                fromPort: ELASTICACHE_PORT,
                toPort: ELASTICACHE_PORT,
                cidrBlocks: vpcCidrBlocks,
              },
            ]
          : [
              ...(allowedGroups.length > 0
                ? [
                    {
                      description: "Redis from the allowed security groups",
                      protocol: "tcp",
                      fromPort: ELASTICACHE_PORT,
                      toPort: ELASTICACHE_PORT,
                      securityGroups: allowedGroups,
                    },
                  ]
                : []),
              ...(allowedCidrs.length > 0
                ? [
                    {
                      description: "Redis from the allowed CIDR blocks",
                      protocol: "tcp",
                      fromPort: ELASTICACHE_PORT,
                      toPort: ELASTICACHE_PORT,
                      cidrBlocks: allowedCidrs,
                    },
                  ]
                : []),
            ],
      // No egress block: Terraform removes AWS's default allow-all egress
      // rule, and a cache never opens connections of its own.
      tags: tagsNamed(securityGroupName(envName)),
    });
    assignLogicalId(this, this.securityGroup, "elasticache_security_group");

    this.envName = envName;
    this.kmsKeyArn = this.kmsKey.arn;
    this.kmsKeyId = this.kmsKey.keyId;
    this.vpcId = this.vpc.id;
    this.privateSubnetIds = this.privateSubnets.ids;
    this.securityGroupId = this.securityGroup.id;
    this.subnetGroupName = this.subnetGroup.name;
  }
}

function checkSubnetIds(scope: Construct, ids: string[]): void {
  if (Token.isUnresolved(ids)) return;

  if (ids.length < MIN_PRIVATE_SUBNETS) {
    fail(
      scope,
      "privateSubnetIds",
      `too few subnets (got ${describeValue(
        ids
      )}; allowed at least ${MIN_PRIVATE_SUBNETS} distinct subnet ids)`
    );
  }
  ids.forEach((subnetId, index) => {
    checkText(scope, `privateSubnetIds[${index}]`, subnetId, SUBNET_ID);
    const first = ids.indexOf(subnetId);
    if (first !== index && !Token.isUnresolved(subnetId)) {
      fail(
        scope,
        `privateSubnetIds[${index}]`,
        `repeats privateSubnetIds[${first}] (got ${describeValue(
          subnetId
        )}; allowed each subnet once)`
      );
    }
  });
}

function checkTags(scope: Construct, tags: Record<string, string>): void {
  for (const [key, value] of Object.entries(tags)) {
    checkText(scope, "tags", key, TAG_KEY);
    checkText(scope, `tags.${key}`, value, TAG_VALUE);
  }
}

function checkStatements(scope: Construct, statements: KeyPolicyStatement[], accountId: string): void {
  const seen = new Set<string>();
  statements.forEach((st, i) => {
    const at = `extraStatements[${i}]`;
    checkText(scope, `${at}.sid`, st.sid, STATEMENT_SID);
    if (RESERVED_SIDS.includes(st.sid) || seen.has(st.sid)) {
      fail(scope, `${at}.sid`, `is already used (got ${describeValue(st.sid)}; allowed a sid other than ${[...RESERVED_SIDS, ...seen].join(", ")})`);
    }
    seen.add(st.sid);
    const aws = st.principals.AWS ?? [];
    const services = st.principals.Service ?? [];
    if (aws.length + services.length === 0) {
      fail(scope, `${at}.principals`, "names no principal (got none; allowed AWS and/or Service lists)");
    }
    aws.forEach((p, j) => {
      if (p !== "*") checkText(scope, `${at}.principals.AWS[${j}]`, p, IAM_PRINCIPAL_ARN);
    });
    if (st.actions.length === 0) fail(scope, `${at}.actions`, "names no action (got none; allowed KMS actions)");
    st.actions.forEach((a, j) => checkText(scope, `${at}.actions[${j}]`, a, KMS_ACTION));
    if (locksOutAccount(st.effect, aws, st.actions, accountId)) {
      fail(scope, `${at}`, "would deny the account root the right to change the key policy, locking the account out (got a Deny of policy changes for the root or *; allowed statements that keep the root in control)");
    }
  });
}

/** How the lookups find the VPC and its subnets, in words, for plan-time messages. */
interface LookupWords {
  readonly vpc: string;
  readonly subnets: string;
}

function describeLookups(
  envName: string,
  vpcId: string | undefined,
  vpcTags: Readonly<Record<string, string>> | undefined,
  subnetIds: string[] | undefined,
  subnetTags: Readonly<Record<string, string>> | undefined
): LookupWords {
  const tagText = (tags: Readonly<Record<string, string>>) =>
    Object.entries(tags)
      .map(([k, v]) => `${k} = ${v}`)
      .join(", ");
  const vpc =
    vpcId === undefined
      ? `the VPC tagged ${tagText(vpcTags ?? { Name: vpcNameTag(envName) })}`
      : Token.isUnresolved(vpcId)
      ? "the VPC given"
      : `VPC ${vpcId}`;
  const subnets =
    subnetIds === undefined
      ? `subnets tagged ${tagText(subnetTags ?? PRIVATE_SUBNET_TAG)}`
      : Token.isUnresolved(subnetIds)
      ? "of the subnets given"
      : `of the subnets given (${subnetIds.join(", ")})`;
  return { vpc, subnets };
}

function tooFewSubnetsMessage(envName: string, words: LookupWords): string {
  return (
    `env ${envName}: fewer than ${MIN_PRIVATE_SUBNETS} ${words.subnets} were found in ${words.vpc}; ` +
    `ElastiCache needs at least ${MIN_PRIVATE_SUBNETS} private subnets of that VPC`
  );
}
