/**
 * Turns the loaded model into cdktf stacks: one env stack per environment and
 * one service stack per service and environment. The service stack finds the
 * env's resources by name (no cross-stack references, which would embed
 * absolute paths and tie the stacks' states together).
 */
import { App, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { EnvInit, EnvInitLookup } from "../modules/env-init";
import { Redis } from "../modules/redis";
import { ServiceSecret, namespaceConfig } from "../modules/link";
import { logicalPrefix } from "../modules/errors";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { EnvironmentModel, Project, ServiceModel } from "./manifest/model";
import { awsProvider, backend } from "./providers";
import { stateBootstrapStackName } from "./manifest/rules";
import { StateBootstrapStack } from "./bootstrap";
import { adoptEnvironment, adoptService } from "./adopt";
import { StrataStack } from "./stack";

export function serviceStackName(service: ServiceModel): string {
  return `${service.env.name}-${service.name}`;
}

/** Adds every stack of the project to `app`. */
export function assemble(app: App, project: Project): void {
  const envStacks = new Map<string, TerraformStack>();
  for (const env of project.environments) {
    const envStack = new EnvStack(app, env);
    envStacks.set(env.name, envStack);
    if (env.state.backend === "s3" && env.state.createBucket) {
      envStack.addDependency(new StateBootstrapStack(app, stateBootstrapStackName(env.name), env));
    }
  }
  for (const service of project.services) {
    const stack = new ServiceStack(app, service);
    const envStack = envStacks.get(service.env.name);
    // Ordering metadata only (manifest.json): `cdktf deploy` applies the env
    // first and `cdktf destroy` removes it last.
    if (envStack) stack.addDependency(envStack);
  }
}

export class EnvStack extends StrataStack {
  constructor(scope: Construct, env: EnvironmentModel) {
    super(scope, env.name);
    awsProvider(this, env);
    backend(this, env, env.name);

    const base = env.base;
    const init = new EnvInit(this, base.name, {
      envName: env.name,
      accountId: env.accountId,
      region: env.region,
      vpcId: base.vpcId,
      vpcTags: base.vpcTags,
      privateSubnetIds: base.privateSubnetIds,
      privateSubnetTags: base.privateSubnetTags,
      excludeAzIds: base.excludeAzIds,
      allowDestroy: base.allowDestroy,
      deletionWindowInDays: base.deletionWindowInDays,
      rotationPeriodInDays: base.rotationPeriodInDays,
      keyAdmins: base.keyAdmins,
      keyUsers: base.keyUsers,
      extraStatements: base.extraStatements,
      allowedSecurityGroupIds: base.allowedSecurityGroupIds,
      allowedCidrBlocks: base.allowedCidrBlocks,
    });
    if (env.adopt) adoptEnvironment(this, env, init);

    output(this, "kms_account_key_arn", init.kmsKeyArn, "ARN of the environment's KMS key");
    output(this, "kms_account_key_id", init.kmsKeyId, "Id of the environment's KMS key");
    output(this, "vpc_id", init.vpcId, "Id of the VPC the caches live in");
    output(this, "private_subnet_ids", init.privateSubnetIds, "Private subnets of the cache subnet group");
    output(this, "elasticache_security_group_id", init.securityGroupId, "Security group of the caches");
    output(this, "elasticache_subnet_group_name", init.subnetGroupName, "ElastiCache subnet group");
  }
}

export class ServiceStack extends StrataStack {
  constructor(scope: Construct, service: ServiceModel) {
    const name = serviceStackName(service);
    super(scope, name);
    const env = service.env;
    awsProvider(this, env);
    backend(this, env, name);

    // The env's key and security group matter only to caches.
    const lookup =
      service.redis.length > 0
        ? new EnvInitLookup(this, "env", { envName: env.name, vpcId: env.base.vpcId, vpcTags: env.base.vpcTags })
        : undefined;
    if (lookup) new RandomProvider(this, "random");
    const caches = service.redis.map(
      (r) =>
        new Redis(this, r.name, {
          envName: env.name,
          serviceName: service.name,
          replicationGroupId: r.replicationGroupId,
          // Kept after adoption ends: the password was imported once, and
          // dropping the ignore rules would then replace it.
          importedAuthToken: env.adopt || r.replicationGroupId !== undefined,
          kmsKeyArn: lookup!.kmsKeyArn,
          securityGroupIds: [lookup!.securityGroupId],
          subnetGroupName: lookup!.subnetGroupName,
          nodeType: r.nodeType,
          engine: r.engine,
          engineVersion: r.engineVersion,
          numCacheClusters: r.numCacheClusters,
          preferredAvailabilityZones: r.preferredAvailabilityZones,
          parameters: r.parameters,
          snapshotWindow: r.snapshotWindow,
          snapshotRetentionLimit: r.snapshotRetentionLimit,
          maintenanceWindow: r.maintenanceWindow,
          applyImmediately: r.applyImmediately,
          autoMinorVersionUpgrade: r.autoMinorVersionUpgrade,
          slowLog: r.slowLog,
          engineLog: r.engineLog,
          alarms: r.alarms,
          notificationTopicArn: r.notificationTopicArn,
          finalSnapshot: r.finalSnapshot,
          restoreFromSnapshot: r.restoreFromSnapshot,
          tags: r.tags,
        }),
    );

    const k8s = service.k8sService;
    let secret: ServiceSecret | undefined;
    if (k8s) {
      kubernetesProvider(this, env);
      const byName = new Map(caches.map((c) => [c.node.id, c]));
      const namespaceAddress = k8s.createNamespace
        ? `kubernetes_namespace_v1.${logicalPrefix(k8s.name)}_namespace`
        : undefined;
      if (k8s.links.length > 0) {
        secret = new ServiceSecret(this, k8s.name, {
          namespace: service.name,
          createNamespace: k8s.createNamespace,
          secretName: k8s.secretName,
          links: k8s.links.map((l) => ({ target: byName.get(l.target)!, extras: l.extras, rename: l.rename })),
        });
      } else if (k8s.createNamespace) {
        // Nothing to link: the namespace alone, at the address ServiceSecret
        // gives it, so adding a link later does not recreate it.
        new NamespaceV1(this, "namespace", namespaceConfig(service.name)).overrideLogicalId(
          `${logicalPrefix(k8s.name)}_namespace`,
        );
      }
      if (env.adopt) adoptService(this, service, caches, secret, namespaceAddress);
    } else if (env.adopt) {
      adoptService(this, service, caches, undefined, undefined);
    }

    // opta's naming: plain names for a single cache, module-prefixed for several.
    const prefix = caches.length > 1;
    for (const cache of caches) {
      const p = prefix ? `${cache.node.id}_` : "";
      output(this, `${p}cache_host`, cache.cacheHost, `Primary endpoint of ${cache.node.id}`);
      output(this, `${p}cache_port`, cache.replicationGroup.port, `Port of ${cache.node.id}`);
      output(this, `${p}cache_reader_endpoint`, cache.readerEndpoint, `Reader endpoint of ${cache.node.id} (reads spread over its replicas)`);
      output(this, `${p}cache_arn`, cache.arn, `ARN of the replication group of ${cache.node.id}`);
      new TerraformOutput(this, `${p}cache_auth_token`, {
        value: cache.authToken,
        description: `AUTH token of ${cache.node.id}`,
        sensitive: true,
      });
    }
  }
}

/**
 * The kubernetes provider for the env's EKS cluster. Credentials come from an
 * `exec` block so each Kubernetes call gets a fresh token: a token read once
 * from `data.aws_eks_cluster_auth` expires after 15 minutes, and creating a
 * replication group takes longer, so the secret would fail with Unauthorized.
 */
function kubernetesProvider(scope: Construct, env: EnvironmentModel): void {
  const access = env.kubernetes;
  if (access.kind === "kubeconfig") {
    new KubernetesProvider(scope, "kubernetes", {
      configPath: access.configPath,
      configContext: access.configContext,
    });
    return;
  }
  const clusterName = access.clusterName;
  const cluster = new DataAwsEksCluster(scope, "env_eks_cluster", { name: clusterName });
  cluster.overrideLogicalId("env_eks_cluster");
  // The exec command runs outside the AWS provider and does not inherit its
  // role or profile: without them here the token is for the caller's own
  // identity, and the secret fails Unauthorized after the cache was created.
  // The profile goes in as --profile rather than AWS_PROFILE in the exec
  // block's env map, whose keys cdktf would rewrite to aws_profile.
  const role = [
    ...(env.aws.assumeRole ? ["--role-arn", env.aws.assumeRole] : []),
    ...(env.aws.profile ? ["--profile", env.aws.profile] : []),
  ];
  new KubernetesProvider(scope, "kubernetes", {
    host: cluster.endpoint,
    clusterCaCertificate: `\${base64decode(${cluster.fqn}.certificate_authority[0].data)}`,
    exec: [
      {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: ["eks", "get-token", "--cluster-name", clusterName, "--region", env.region, ...role],
      },
    ],
  });
}

function output(scope: Construct, name: string, value: unknown, description: string): void {
  new TerraformOutput(scope, name, { value, description });
}
