/**
 * The stack that creates an environment's state bucket (and lock table):
 * `<env>-state-bootstrap`, synthesized with `state.create_bucket: true`. It
 * keeps its own state in a local file beside the output folder, since the
 * bucket it creates cannot hold the state of its own creation. Apply it once,
 * before the env stack.
 */
import { LocalBackend, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { partitionOf } from "../modules/env-init";
import { awsProvider, localStatePath } from "./providers";
import { EnvironmentModel } from "./manifest/model";
import { StrataStack } from "./stack";

export class StateBootstrapStack extends StrataStack {
  constructor(scope: Construct, name: string, env: EnvironmentModel) {
    super(scope, name);
    const state = env.state;
    if (state.backend !== "s3") throw new Error(`environment ${env.name} has no S3 state to bootstrap`);
    awsProvider(this, env);
    new LocalBackend(this, { path: localStatePath(name) });

    // Losing the bucket loses every stack's state: Terraform refuses to destroy it.
    const bucket = new S3Bucket(this, "state_bucket", {
      bucket: state.bucket,
      lifecycle: { preventDestroy: true },
    });
    bucket.overrideLogicalId("state_bucket");
    // Old versions of a state file are how a bad apply is undone.
    new S3BucketVersioningA(this, "state_bucket_versioning", {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    }).overrideLogicalId("state_bucket_versioning");
    new S3BucketServerSideEncryptionConfigurationA(this, "state_bucket_encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }],
    }).overrideLogicalId("state_bucket_encryption");
    new S3BucketPublicAccessBlock(this, "state_bucket_public_access", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }).overrideLogicalId("state_bucket_public_access");
    const partition = partitionOf(env.region);
    new S3BucketPolicy(this, "state_bucket_policy", {
      bucket: bucket.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [`arn:${partition}:s3:::${state.bucket}`, `arn:${partition}:s3:::${state.bucket}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    }).overrideLogicalId("state_bucket_policy");

    if (state.lock.kind === "dynamodb") {
      const table = new DynamodbTable(this, "state_lock_table", {
        name: state.lock.table,
        billingMode: "PAY_PER_REQUEST",
        hashKey: "LockID",
        attribute: [{ name: "LockID", type: "S" }],
        serverSideEncryption: { enabled: true },
        pointInTimeRecovery: { enabled: true },
        lifecycle: { preventDestroy: true },
      });
      table.overrideLogicalId("state_lock_table");
    }
    new TerraformOutput(this, "state_bucket_name", { value: bucket.bucket, description: "The state bucket" });
  }
}
