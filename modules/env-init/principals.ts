import { DataAwsIamRole } from "@cdktf/provider-aws/lib/data-aws-iam-role";
import { DataAwsIamUser } from "@cdktf/provider-aws/lib/data-aws-iam-user";
import { Construct } from "constructs";
import { assignLogicalId } from "../logical-id";

/**
 * Turns key-policy principal ARNs into what the policy should name. A role or
 * user of the env's own account is looked up by a data source and named by
 * its looked-up ARN: a typo then fails at plan with the role's name, instead
 * of making key creation fail halfway through an apply (KMS refuses a policy
 * naming a principal that does not exist). Other principals (the account
 * root, roles of other accounts, which a data source cannot see) are named
 * as given.
 *
 * Data sources get the roles `iam_role_<name>` / `iam_user_<name>`, so the
 * same principal in both lists is looked up once.
 */
export function lookUpPrincipals(owner: Construct, accountId: string, arns: readonly string[]): string[] {
  return arns.map((arn) => {
    const match = /^arn:aws(?:-us-gov)?:iam::(\d{12}):(role|user)\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(arn);
    if (!match || match[1] !== accountId) return arn;
    const [, , kind, name] = match;
    const role = `iam_${kind}_${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
    const id = `Principal-${kind}-${name}`;
    const existing = owner.node.tryFindChild(id);
    if (existing) return (existing as DataAwsIamRole | DataAwsIamUser).arn;
    const lookup =
      kind === "role" ? new DataAwsIamRole(owner, id, { name }) : new DataAwsIamUser(owner, id, { userName: name });
    assignLogicalId(owner, lookup, role);
    return lookup.arn;
  });
}
