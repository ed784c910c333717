import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { Construct } from "constructs";
import { assignLogicalId } from "../logical-id";
import { vpcNameTag } from "./names";

/** The tags that find an env's VPC when no id is given: opta's `Name = opta-<env>`. */
export function defaultVpcTags(envName: string): Record<string, string> {
  return { Name: vpcNameTag(envName) };
}

/**
 * Looks up an env's VPC under `owner`, with the role `vpc`: by id when one
 * is given, else by tags (by default the `Name = opta-<env>` tag opta put on
 * the VPCs it created). The lookup fails at plan unless exactly one VPC
 * matches, and a postcondition fails it when the VPC is not available.
 */
export function lookUpEnvVpc(
  owner: Construct,
  envName: string,
  vpcId: string | undefined,
  vpcTags?: Readonly<Record<string, string>>,
): DataAwsVpc {
  const which =
    vpcId !== undefined
      ? `VPC ${vpcId}`
      : `the VPC tagged ${Object.entries(vpcTags ?? defaultVpcTags(envName))
          .map(([k, v]) => `${k} = ${v}`)
          .join(", ")}`;
  const vpc = new DataAwsVpc(owner, "Vpc", {
    ...(vpcId !== undefined ? { id: vpcId } : { tags: { ...(vpcTags ?? defaultVpcTags(envName)) } }),
    lifecycle: {
      postcondition: [
        {
          condition: '${self.state == "available"}',
          errorMessage: `env ${envName}: ${which} is not available (state is not "available")`,
        },
      ],
    },
  });
  assignLogicalId(owner, vpc, "vpc");
  return vpc;
}
