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
}

export interface BaseModel {
  /** The module's name in the manifest (its logical-id prefix). */
  readonly name: string;
  readonly vpcId?: string;
  readonly privateSubnetIds?: readonly string[];
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
  readonly nodeType?: string;
  readonly engineVersion?: string;
  readonly snapshotWindow?: string;
  readonly snapshotRetentionLimit?: number;
  readonly maintenanceWindow?: string;
}

export interface K8sServiceModel {
  readonly name: string;
  readonly createNamespace: boolean;
  readonly links: readonly LinkModel[];
}

export interface LinkModel {
  /** The linked module's name (a redis module of the same service file). */
  readonly target: string;
  /** Field -> key renames; when present it renames every field. */
  readonly rename?: Readonly<Record<string, string>>;
}

export interface Project {
  /** Sorted by name. */
  readonly environments: readonly EnvironmentModel[];
  /** Sorted by env name, then service name. */
  readonly services: readonly ServiceModel[];
}
