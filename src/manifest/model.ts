import type { KeyPolicyStatement } from "../../modules/env-init";

/**
 * The typed model the loader produces once every manifest is valid. Stack
 * assembly reads only this, never YAML.
 */

export interface EnvironmentModel {
  /** The env file as shown in messages. */
  readonly file: string;
  /** The env name: the env stack's name and the `opta-<env>` in every derived name. */
  readonly name: string;
  readonly orgName: string;
  readonly region: string;
  /** Always 12 digits. */
  readonly accountId: string;
  readonly base: BaseModel;
  /** Extra settings of the AWS provider of every stack of the environment. */
  readonly aws: AwsProviderModel;
  readonly kubernetes: KubernetesAccess;
  readonly state: StateModel;
  /** Emit import blocks that take over what opta built (`adopt: true` or `--adopt`). */
  readonly adopt: boolean;
}

export interface AwsProviderModel {
  readonly defaultTags?: Readonly<Record<string, string>>;
  readonly profile?: string;
  readonly assumeRole?: string;
}

/** How service stacks reach Kubernetes. */
export type KubernetesAccess =
  | { readonly kind: "eks"; readonly clusterName: string }
  | { readonly kind: "kubeconfig"; readonly configPath: string; readonly configContext?: string };

export type StateModel =
  | { readonly backend: "local" }
  | {
      readonly backend: "s3";
      readonly bucket: string;
      /** With `{stack}` in it. */
      readonly key: string;
      readonly region: string;
      readonly lock: { readonly kind: "s3" } | { readonly kind: "dynamodb"; readonly table: string };
      readonly createBucket: boolean;
      /** The user said a key equal to opta's layer key is meant. */
      readonly allowOptaKey: boolean;
    };

export interface BaseModel {
  /** The module's name in the manifest (its logical-id prefix). */
  readonly name: string;
  readonly vpcId?: string;
  readonly vpcTags?: Readonly<Record<string, string>>;
  readonly privateSubnetIds?: readonly string[];
  readonly privateSubnetTags?: Readonly<Record<string, string>>;
  readonly excludeAzIds?: readonly string[];
  readonly allowDestroy?: boolean;
  readonly deletionWindowInDays?: number;
  readonly rotationPeriodInDays?: number;
  readonly keyAdmins?: readonly string[];
  readonly keyUsers?: readonly string[];
  readonly extraStatements?: readonly KeyPolicyStatement[];
  readonly allowedSecurityGroupIds?: readonly string[];
  readonly allowedCidrBlocks?: readonly string[];
}

export interface ServiceModel {
  readonly file: string;
  readonly name: string;
  /** The `environments[].name` key that selected this environment. */
  readonly entryName: string;
  readonly env: EnvironmentModel;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly redis: readonly RedisModel[];
  readonly k8sService?: K8sServiceModel;
}

export interface RedisModel {
  readonly name: string;
  /** An explicit id (an existing cache's, when adopting) instead of `opta-<service>-<module>-<random>`. */
  readonly replicationGroupId?: string;
  readonly nodeType?: string;
  readonly engine?: "redis" | "valkey";
  /** `engine_version`, or its synonym `redis_version`. */
  readonly engineVersion?: string;
  readonly numCacheClusters?: number;
  readonly preferredAvailabilityZones?: readonly string[];
  /** Values as written: numbers keep their source text. */
  readonly parameters?: Readonly<Record<string, string>>;
  readonly snapshotWindow?: string;
  readonly snapshotRetentionLimit?: number;
  readonly maintenanceWindow?: string;
  readonly applyImmediately?: boolean;
  readonly autoMinorVersionUpgrade?: boolean;
  readonly slowLog?: RedisLogModel;
  readonly engineLog?: RedisLogModel;
  readonly alarms?: RedisAlarmsModel;
  readonly notificationTopicArn?: string;
  readonly finalSnapshot?: boolean;
  readonly restoreFromSnapshot?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface RedisLogModel {
  readonly enabled?: boolean;
  readonly retentionDays?: number;
}

export interface RedisAlarmsModel {
  readonly topicArn: string;
  readonly cpuPercent?: number;
  readonly memoryPercent?: number;
  readonly evictions?: number;
  readonly connections?: number;
  readonly replicationLagSeconds?: number;
}

export interface K8sServiceModel {
  readonly name: string;
  /** The Secret's name; `secret` by default, as opta. */
  readonly secretName?: string;
  readonly createNamespace: boolean;
  readonly links: readonly LinkModel[];
}

export interface LinkModel {
  /** The linked module's name (a redis module of the same service file). */
  readonly target: string;
  /** Extra fields the link opts in to (`cache_port`, `cache_url`), in the target's order. */
  readonly extras?: readonly string[];
  /** Field -> key renames; when present it renames every field the link exports. */
  readonly rename?: Readonly<Record<string, string>>;
}

export interface Project {
  /** Sorted by name. */
  readonly environments: readonly EnvironmentModel[];
  /** Sorted by env name, then service name. */
  readonly services: readonly ServiceModel[];
}
