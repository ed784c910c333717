import { partitionOf } from "./names";

/** A statement of the key policy beyond the ones this module writes. */
export interface KeyPolicyStatement {
  /** Statement id; must differ from the ids this module uses. */
  readonly sid: string;

  /** @default "Allow" */
  readonly effect?: "Allow" | "Deny";

  /** Who the statement is about: IAM ARNs and/or service principals. */
  readonly principals: {
    readonly AWS?: readonly string[];
    readonly Service?: readonly string[];
  };

  /** KMS actions, e.g. `kms:Decrypt`. */
  readonly actions: readonly string[];

  /** @default ["*"] (in a key policy, the key itself) */
  readonly resources?: readonly string[];

  /** IAM condition block: operator -> key -> value(s). */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface KeyPolicyOptions {
  /** Principals (ARN strings or tokens) that administer the key. */
  readonly admins?: readonly string[];
  /** Principals that use the key to encrypt and decrypt. */
  readonly users?: readonly string[];
  readonly extraStatements?: readonly KeyPolicyStatement[];
}

/** Statement ids this module writes; extra statements may not reuse them. */
export const RESERVED_SIDS: readonly string[] = Object.freeze([
  "Enable IAM User Permissions",
  "Allow CloudWatch Logs",
  "Allow key administrators",
  "Allow key users",
]);

/**
 * Whether a statement would deny the account root (or everyone) the right to
 * change the key policy, which locks the account out of its own key: AWS then
 * refuses every later change. Without an account id, any account's root counts.
 */
export function locksOutAccount(
  effect: string | undefined,
  awsPrincipals: readonly string[],
  actions: readonly string[],
  accountId?: string,
): boolean {
  const root = new RegExp(`^arn:aws(?:-us-gov)?:iam::${accountId ?? "\\d{12}"}:root$`);
  return (
    effect === "Deny" &&
    awsPrincipals.some((p) => p === "*" || root.test(p)) &&
    actions.some((a) => a === "kms:*" || a === "kms:Put*" || a === "kms:PutKeyPolicy")
  );
}

/** What a key administrator may do: manage the key, not use it. */
export const KEY_ADMIN_ACTIONS: readonly string[] = Object.freeze([
  "kms:CancelKeyDeletion",
  "kms:Create*",
  "kms:Delete*",
  "kms:Describe*",
  "kms:Disable*",
  "kms:Enable*",
  "kms:Get*",
  "kms:List*",
  "kms:Put*",
  "kms:Revoke*",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:Update*",
]);

/** What a key user may do: encrypt and decrypt, and let AWS services do so for it. */
export const KEY_USER_ACTIONS: readonly string[] = Object.freeze([
  "kms:Decrypt",
  "kms:DescribeKey",
  "kms:Encrypt",
  "kms:GenerateDataKey*",
  "kms:ReEncrypt*",
]);

/**
 * The key policy of an env's KMS key, as a JSON string with its keys in a
 * fixed order, so the same inputs always give the same bytes. Principals may
 * be tokens (a looked-up role's ARN); they end up as Terraform references
 * inside the string.
 *
 * The account root always keeps `kms:*`: without it AWS refuses the policy
 * because it would lock every principal out of future changes, and it lets
 * the account's IAM policies grant access as usual. CloudWatch Logs of the
 * region may use the key for log groups of the account. opta also granted
 * the autoscaling service-linked role; that statement makes key creation fail
 * in accounts that never created the role, so it is left out.
 */
export function envKeyPolicy(accountId: string, region: string, options: KeyPolicyOptions = {}): string {
  const partition = partitionOf(region);
  const statements: Record<string, unknown>[] = [
    {
      Sid: RESERVED_SIDS[0],
      Effect: "Allow",
      Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: RESERVED_SIDS[1],
      Effect: "Allow",
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: {
        ArnLike: {
          "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:*`,
        },
      },
    },
  ];
  if (options.admins && options.admins.length > 0) {
    statements.push({
      Sid: RESERVED_SIDS[2],
      Effect: "Allow",
      Principal: { AWS: [...options.admins] },
      Action: [...KEY_ADMIN_ACTIONS],
      Resource: "*",
    });
  }
  if (options.users && options.users.length > 0) {
    statements.push({
      Sid: RESERVED_SIDS[3],
      Effect: "Allow",
      Principal: { AWS: [...options.users] },
      Action: [...KEY_USER_ACTIONS],
      Resource: "*",
    });
  }
  for (const s of options.extraStatements ?? []) {
    const principal: Record<string, string[]> = {};
    if (s.principals.AWS) principal.AWS = [...s.principals.AWS];
    if (s.principals.Service) principal.Service = [...s.principals.Service];
    statements.push({
      Sid: s.sid,
      Effect: s.effect ?? "Allow",
      Principal: principal,
      Action: [...s.actions],
      Resource: s.resources ? [...s.resources] : "*",
      ...(s.conditions ? { Condition: sortedCopy(s.conditions) } : {}),
    });
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** A deep copy with mapping keys sorted, so the policy's bytes do not depend on input order. */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortedCopy((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
