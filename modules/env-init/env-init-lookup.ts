import { DataAwsKmsKey } from "@cdktf/provider-aws/lib/data-aws-kms-key";
import { DataAwsSecurityGroup } from "@cdktf/provider-aws/lib/data-aws-security-group";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { Construct } from "constructs";
import { checkText } from "../limits";
import { assignLogicalId } from "../logical-id";
import {
  ENV_NAME,
  VPC_ID,
  kmsAliasName,
  securityGroupName,
  subnetGroupName,
} from "./names";
import { lookUpEnvVpc } from "./vpc-lookup";

/** Props of {@link EnvInitLookup}. */
export interface EnvInitLookupProps {
  /** The env whose resources to find, as given to its {@link EnvInit}. */
  readonly envName: string;

  /**
   * The id of the env's VPC, when its env manifest names one.
   *
   * @default - the VPC tagged `Name = opta-<envName>`, as for {@link EnvInit}
   */
  readonly vpcId?: string;

  /**
   * The tags of the env's VPC, when its env manifest finds it by other tags.
   *
   * @default - `Name = opta-<envName>`, as for {@link EnvInit}
   */
  readonly vpcTags?: Readonly<Record<string, string>>;
}

/**
 * Finds an env's resources from a service stack, by the names
 * {@link EnvInit} gave them: no cross-stack reference ties the two stacks'
 * states together.
 *
 * Terraform addresses are `<id>_<role>` with the roles `kms_key`, `vpc` and
 * `security_group`. A service stack holds one lookup; give it the id `env`
 * for the addresses `data.aws_kms_key.env_kms_key` and so on.
 */
export class EnvInitLookup extends Construct {
  /** The env name, as given. */
  readonly envName: string;

  /** The lookup of the key by its alias `alias/opta-<env>`. */
  readonly kmsKey: DataAwsKmsKey;

  /** The VPC lookup. */
  readonly vpc: DataAwsVpc;

  /** The lookup of the ElastiCache security group, by name within the VPC. */
  readonly securityGroup: DataAwsSecurityGroup;

  /**
   * The key's ARN. Always the ARN: AWS stores a cache's key as an ARN, so a
   * key id or an alias there replaces the cache on every plan.
   */
  readonly kmsKeyArn: string;

  /** The VPC's id. */
  readonly vpcId: string;

  /** The ElastiCache security group's id. */
  readonly securityGroupId: string;

  /** The env's subnet group name, `opta-<env>` (a plain string). */
  readonly subnetGroupName: string;

  constructor(scope: Construct, id: string, props: EnvInitLookupProps) {
    super(scope, id);

    const envName = props.envName;

    checkText(this, "envName", envName, ENV_NAME);
    if (props.vpcId !== undefined) {
      checkText(this, "vpcId", props.vpcId, VPC_ID);
    }

    this.kmsKey = new DataAwsKmsKey(this, "KmsKey", {
      keyId: kmsAliasName(envName),
    });
    assignLogicalId(this, this.kmsKey, "kms_key");

    this.vpc = lookUpEnvVpc(this, envName, props.vpcId, props.vpcTags);

    // By name and VPC: a security group name is unique only within a VPC.
    this.securityGroup = new DataAwsSecurityGroup(this, "SecurityGroup", {
      name: securityGroupName(envName),
      vpcId: this.vpc.id,
    });
    assignLogicalId(this, this.securityGroup, "security_group");

    this.envName = envName;
    this.kmsKeyArn = this.kmsKey.arn;
    this.vpcId = this.vpc.id;
    this.securityGroupId = this.securityGroup.id;
    this.subnetGroupName = subnetGroupName(envName);
  }
}
