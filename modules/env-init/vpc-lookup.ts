import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { Construct } from "constructs";
import { assignLogicalId } from "../logical-id";
import { vpcNameTag } from "./names";

/**
 * Looks up an env's VPC under `owner`, with the role `vpc`: by id when one
 * is given, else by the `Name = opta-<env>` tag opta put on the VPCs it
 * created. The lookup fails at plan unless exactly one VPC matches.
 */
export function lookUpEnvVpc(
  owner: Construct,
  envName: string,
  vpcId: string | undefined
): DataAwsVpc {
  const vpc = new DataAwsVpc(
    owner,
    "Vpc",
    vpcId !== undefined
      ? { id: vpcId }
      : { tags: { Name: vpcNameTag(envName) } }
  );
  assignLogicalId(owner, vpc, "vpc");
  return vpc;
}
