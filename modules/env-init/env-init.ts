import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { describeValue } from "../errors";
import { checkText, fail } from "../limits";
import { assignLogicalId } from "../logical-id";
import { envKeyPolicy } from "./key-policy";
import {
  ACCOUNT_ID,
  ELASTICACHE_PORT,
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

/** The defaults {@link EnvInit} applies to props left out. */
export const ENV_INIT_DEFAULTS = Object.freeze({
  allowDestroy: false,
  tags: Object.freeze({}) as Readonly<Record<string, string>>,
});

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
 * `kms_alias`, `vpc`, `private_subnets`, `elasticache_subnet_group` and
 * `elasticache_security_group`.
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
      policy: envKeyPolicy(props.accountId, props.region),
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

    this.vpc = lookUpEnvVpc(this, envName, props.vpcId);

    this.privateSubnets = new DataAwsSubnets(this, "PrivateSubnets", {
      filter: [
        { name: "vpc-id", values: [this.vpc.id] },
        ...(explicitSubnetIds !== undefined
          ? [{ name: "subnet-id", values: explicitSubnetIds }]
          : []),
      ],
      tags:
        explicitSubnetIds === undefined ? { ...PRIVATE_SUBNET_TAG } : undefined,
      lifecycle: {
        postcondition: [
          {
            condition: `\${length(self.ids) >= ${MIN_PRIVATE_SUBNETS}}`,
            errorMessage: tooFewSubnetsMessage(
              envName,
              props.vpcId,
              explicitSubnetIds
            ),
          },
        ],
      },
    });
    assignLogicalId(this, this.privateSubnets, "private_subnets");

    this.subnetGroup = new ElasticacheSubnetGroup(this, "SubnetGroup", {
      name: subnetGroupName(envName),
      description: `Private subnets of env ${envName}, for ElastiCache`,
      subnetIds: this.privateSubnets.ids,
      tags: tagsNamed(subnetGroupName(envName)),
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
      ingress: [
        {
          protocol: "tcp",
          fromPort: ELASTICACHE_PORT,
          toPort: ELASTICACHE_PORT,
          cidrBlocks: vpcCidrBlocks,
        },
      ],
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

function tooFewSubnetsMessage(
  envName: string,
  vpcId: string | undefined,
  subnetIds: string[] | undefined
): string {
  const vpc =
    vpcId === undefined
      ? `the VPC tagged Name = ${vpcNameTag(envName)}`
      : Token.isUnresolved(vpcId)
      ? "the VPC given"
      : `VPC ${vpcId}`;
  const which =
    subnetIds === undefined
      ? "subnets tagged type = private"
      : Token.isUnresolved(subnetIds)
      ? "of the subnets given"
      : `of the subnets given (${subnetIds.join(", ")})`;
  return (
    `env ${envName}: fewer than ${MIN_PRIVATE_SUBNETS} ${which} were found in ${vpc}; ` +
    `ElastiCache needs at least ${MIN_PRIVATE_SUBNETS} private subnets of that VPC`
  );
}
