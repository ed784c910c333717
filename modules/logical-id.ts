import { TerraformElement } from "cdktf";
import { Construct } from "constructs";
import { logicalPrefix } from "./errors";

/**
 * Gives `element` the Terraform address `<owner id>_<role>`, so the address
 * depends on the owning construct's id (a manifest module name) and a fixed
 * role, never on where the construct sits in the tree. Renaming a role is a
 * breaking change: it needs a `moved` block.
 */
export function assignLogicalId(
  owner: Construct,
  element: TerraformElement,
  role: string
): void {
  element.overrideLogicalId(`${logicalPrefix(owner.node.id)}_${role}`);
}
