import { partitionOf } from "./names";

/**
 * The key policy of an env's KMS key, as a JSON string with its keys in a
 * fixed order, so the same account and region always give the same bytes.
 *
 * Two statements and nothing else. The account root keeps `kms:*`: without
 * it AWS refuses the policy because it would lock every principal out of
 * future changes. CloudWatch Logs of the region may use the key for log
 * groups of the account. opta also granted the autoscaling service-linked
 * role; that statement makes key creation fail in accounts that never
 * created the role, so it is left out.
 */
export function envKeyPolicy(accountId: string, region: string): string {
  const partition = partitionOf(region);

  const accountRoot = {
    Sid: "Enable IAM User Permissions",
    Effect: "Allow",
    Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
  const cloudWatchLogs = {
    Sid: "Allow CloudWatch Logs",
    Effect: "Allow",
    Principal: { Service: `logs.${region}.amazonaws.com` },
    Action: [
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    ],
    Resource: "*",
    Condition: {
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:*`,
      },
    },
  };

  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [accountRoot, cloudWatchLogs],
  });
}
