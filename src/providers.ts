/**
 * What every stack of an environment shares: the AWS provider's settings and
 * where the state is kept.
 */
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { stateKey } from "./manifest/environment";
import { EnvironmentModel } from "./manifest/model";

/**
 * State lives beside the output folder, never inside it: the folder is
 * regenerated, and cdktf's own synth deletes stack folders it did not write,
 * so state kept there would be lost and the next apply would build a second
 * cache. The path is relative to `<out>/stacks/<stack>/`, where terraform runs.
 */
export function localStatePath(stack: string): string {
  return `../../../terraform.${stack}.tfstate`;
}

export function awsProvider(scope: Construct, env: EnvironmentModel): AwsProvider {
  return new AwsProvider(scope, "aws", {
    region: env.region,
    allowedAccountIds: [env.accountId],
    profile: env.aws.profile,
    assumeRole: env.aws.assumeRole ? [{ roleArn: env.aws.assumeRole }] : undefined,
    // Merged by the provider into the tags of every AWS resource.
    defaultTags: env.aws.defaultTags ? [{ tags: { ...env.aws.defaultTags } }] : undefined,
  });
}

/**
 * Every stack of an environment keeps its state where the environment says:
 * a local file beside the output folder, or its own key in the S3 bucket.
 */
export function backend(stack: TerraformStack, env: EnvironmentModel, name: string): void {
  const state = env.state;
  if (state.backend === "local") {
    new LocalBackend(stack, { path: localStatePath(name) });
    return;
  }
  const s3 = new S3Backend(stack, {
    bucket: state.bucket,
    key: stateKey(state.key, name),
    region: state.region,
    encrypt: true,
    profile: env.aws.profile,
    assumeRole: env.aws.assumeRole ? { roleArn: env.aws.assumeRole } : undefined,
    dynamodbTable: state.lock.kind === "dynamodb" ? state.lock.table : undefined,
  });
  // A lock file next to the state (Terraform 1.10 and later); cdktf 0.21's
  // S3Backend does not know the argument yet.
  if (state.lock.kind === "s3") s3.addOverride("use_lockfile", true);
}

