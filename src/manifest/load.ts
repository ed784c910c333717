/**
 * Reads environment and service manifests into the typed model, collecting
 * every problem of every file before giving up, so the user fixes them all in
 * one round.
 */
import { existsSync, realpathSync, statSync } from "node:fs";
import { dirname, extname, isAbsolute, relative, resolve } from "node:path";
import { ACCOUNT_ID } from "../../modules/env-init";
import { REDIS_LINK_EXTRAS, REDIS_LINK_FIELDS } from "../../modules/redis";
import { ENV_VAR_NAME, SECRET_KEY } from "../../modules/link";
import { Problem, ManifestError, Warning, show, renderPath } from "../problems";
import {
  BaseModel,
  EnvironmentModel,
  K8sServiceModel,
  LinkModel,
  Project,
  RedisModel,
  ServiceModel,
} from "./model";
import { placeholderValues, substitute } from "./placeholders";
import {
  BASE_VPC_FIELDS,
  GENERATED_TYPES,
  GeneratedKind,
  K8S_WORKLOAD_FIELDS,
  LINKABLE_KINDS,
  SKIPPED_TYPES,
  defaultModuleName,
  generatedKind,
  stateBootstrapStackName,
} from "./rules";
import { checkRedisModule } from "./semantic";
import {
  awsProviderModel,
  baseModel,
  kubernetesAccess,
  stateKey,
  stateModel,
  statePlaceholders,
  substituteState,
} from "./environment";
import { DocPath, SourceFile } from "./source";
import { closest, validateShape } from "./validate";

export interface LoadOptions {
  /** Where relative FILE arguments and displayed paths start. */
  readonly cwd: string;
  /** Keep only the `environments[].name` entries (and env files) of this name. */
  readonly env?: string;
  /** Make skipped module types an error instead of a warning. */
  readonly strict?: boolean;
  /** Take over running opta environments: import blocks (like `adopt: true`). */
  readonly adopt?: boolean;
}

export interface LoadResult {
  readonly project: Project;
  readonly warnings: readonly Warning[];
}

type Json = Record<string, unknown>;

/** Fields that hold a version, read as written even when unquoted. */
const VERSION_FIELDS: readonly string[] = ["redis_version", "engine_version"];

/** The fields each generated kind exports to a link, in key order. */
const LINK_FIELDS: Record<string, readonly string[]> = { redis: REDIS_LINK_FIELDS };

/** The fields a link to each generated kind may add by naming them, in key order. */
const LINK_EXTRAS: Record<string, readonly string[]> = { redis: REDIS_LINK_EXTRAS };

/**
 * Loads the given manifests (environment or service files; a service pulls in
 * its environment files). Throws {@link ManifestError} with every problem.
 */
export function loadProject(files: readonly string[], options: LoadOptions): LoadResult {
  const loader = new Loader(options);
  for (const file of files) loader.addFile(file);
  return loader.finish();
}

class Loader {
  private readonly problems: Problem[] = [];
  private readonly warnings: Warning[] = [];
  /** Environments by real path, loaded once however many services use them. */
  private readonly envFiles = new Map<string, EnvironmentModel | null>();
  private readonly directEnvs: EnvironmentModel[] = [];
  private readonly services: ServiceModel[] = [];
  private readonly seenFiles = new Set<string>();
  /** Where each environment was read, for problems found once services are known. */
  private readonly envSources = new Map<EnvironmentModel, SourceFile>();
  /** Paths whose placeholders failed: their shape errors would only repeat that. */
  private readonly placeholderFailures = new Set<string>();
  private envSelectedSomewhere = false;

  constructor(private readonly options: LoadOptions) {}

  addFile(file: string): void {
    const absolute = resolve(this.options.cwd, file);
    const real = realOrSelf(absolute);
    if (this.seenFiles.has(real)) return;
    this.seenFiles.add(real);

    const source = this.read(absolute);
    if (!source) return;
    const data = source.data as Json;
    if ("org_name" in data) {
      const env = this.loadEnvironment(source, real);
      if (env) this.directEnvs.push(env);
    } else {
      this.loadService(source, data);
    }
  }

  finish(): LoadResult {
    const envFilter = this.options.env;
    if (envFilter !== undefined && !this.envSelectedSomewhere) {
      const direct = this.directEnvs.filter((e) => e.name === envFilter);
      if (direct.length === 0 && this.problems.length === 0 && this.services.length === 0) {
        const names = this.directEnvs.map((e) => e.name).sort();
        this.problems.push({
          file: this.directEnvs[0]?.file ?? "(command line)",
          line: 1,
          column: 1,
          path: "name",
          message: `--env ${envFilter} matches no environment`,
          got: show(envFilter),
          allowed: names.join(", ") || "none",
        });
      }
    }

    const environments = new Map<string, EnvironmentModel>();
    const addEnv = (env: EnvironmentModel) => {
      const other = environments.get(env.name);
      if (other && other.file !== env.file) {
        this.problems.push({
          file: env.file,
          line: 1,
          column: 1,
          path: "name",
          message: `environment ${env.name} is also defined by ${other.file}; each environment needs its own name`,
          got: show(env.name),
        });
      }
      environments.set(env.name, env);
    };
    for (const env of this.directEnvs) {
      if (envFilter === undefined || env.name === envFilter) addEnv(env);
    }
    for (const svc of this.services) addEnv(svc.env);

    this.checkAcrossEnvironments();

    // Every stack name, from whatever makes it: an env `a-b` and a service
    // `b` of env `a` would both write stack `a-b`.
    const stacks = new Map<string, ServiceModel>();
    const origins = new Map<string, string>();
    const claim = (stack: string, origin: string, file: string) => {
      const other = origins.get(stack);
      if (other !== undefined && other !== origin) {
        this.problems.push({
          file,
          line: 1,
          column: 1,
          path: "name",
          message: `${origin} and ${other} would both write stack ${stack}; rename one of them`,
          got: show(stack),
        });
      } else origins.set(stack, origin);
    };
    for (const env of environments.values()) {
      claim(env.name, `environment ${env.name} (${env.file})`, env.file);
      if (env.state.backend === "s3" && env.state.createBucket) {
        claim(stateBootstrapStackName(env.name), `the state bootstrap stack of environment ${env.name} (${env.file})`, env.file);
      }
    }
    const ids = new Map<string, string>();
    for (const svc of this.services) {
      const key = `${svc.env.name}-${svc.name}`;
      claim(key, `service ${svc.name} in environment ${svc.env.name} (${svc.file})`, svc.file);
      stacks.set(key, svc);
      for (const r of svc.redis) {
        if (r.replicationGroupId === undefined) continue;
        // One account and region, one cache of that id.
        const scope = `${svc.env.accountId}/${svc.env.region}/${r.replicationGroupId}`;
        const here = `module ${r.name} of service ${svc.name} (${svc.file})`;
        const first = ids.get(scope);
        if (first !== undefined && first !== here) {
          this.problems.push({
            file: svc.file,
            line: 1,
            column: 1,
            path: "modules",
            message: `replication_group_id ${r.replicationGroupId} is also used by ${first} in the same account and region; each cache needs its own id`,
            got: show(r.replicationGroupId),
          });
        } else ids.set(scope, here);
      }
    }

    if (this.problems.length > 0) throw new ManifestError(this.problems);
    const project: Project = {
      environments: [...environments.values()].sort((a, b) => cmp(a.name, b.name)),
      services: [...stacks.values()].sort(
        (a, b) => cmp(a.env.name, b.env.name) || cmp(a.name, b.name),
      ),
    };
    const warnings = [...this.warnings].sort(
      (a, b) => cmp(a.file, b.file) || a.line - b.line || a.column - b.column,
    );
    return { project, warnings };
  }

  /**
   * Checks that need the environments and their services together: a state
   * key that would read opta's state of a service, a bootstrap stack name
   * taken by a service, and two environments that reach the same cluster
   * with a service of the same name (they would write the same namespace
   * and Secret).
   */
  private checkAcrossEnvironments(): void {
    const clusters = new Map<string, ServiceModel>();
    for (const svc of this.services) {
      const env = svc.env;
      const source = this.envSources.get(env);
      if (env.state.backend === "s3" && source) {
        const key = stateKey(env.state.key, `${env.name}-${svc.name}`);
        if (key === svc.name && !env.state.allowOptaKey) {
          this.problems.push(
            source.problem(
              ["state", "key"],
              `gives stack ${env.name}-${svc.name} the key ${key}, where opta keeps service ${svc.name}'s state`,
              show(env.state.key),
              "a key such as strata/{stack}.tfstate, or allow_opta_key: true if you mean it",
            ),
          );
        }
      }
      const cluster =
        env.kubernetes.kind === "eks"
          ? `EKS cluster ${env.kubernetes.clusterName} (account ${env.accountId}, ${env.region})`
          : `kubeconfig ${env.kubernetes.configPath} context ${env.kubernetes.configContext ?? "(current)"}`;
      if (!svc.k8sService) continue;
      const key = `${cluster}/${svc.name}`;
      const other = clusters.get(key);
      if (other && other.env.name !== env.name) {
        this.problems.push({
          file: svc.file,
          line: 1,
          column: 1,
          path: "name",
          message: `environments ${[other.env.name, env.name].sort().join(" and ")} both reach ${cluster}; service ${svc.name} would write the same namespace and Secret twice`,
          got: show(svc.name),
          allowed: "services of different names, or environments on different clusters",
        });
      } else clusters.set(key, svc);
    }
  }

  private display(absolute: string): string {
    const rel = relative(this.options.cwd, absolute);
    return rel === "" ? absolute : rel;
  }

  private read(absolute: string): SourceFile | undefined {
    const { source, problems } = SourceFile.read(absolute, this.display(absolute));
    this.problems.push(...problems);
    return problems.length === 0 ? source : undefined;
  }

  private warn(source: SourceFile, path: DocPath, message: string): void {
    const { line, column } = source.position(path);
    const warning = { file: source.display, line, column, path: renderPath(path), message };
    // A service file is checked once per environment it selects; say it once.
    const same = (w: Warning) =>
      w.file === warning.file && w.line === line && w.column === column && w.message === message;
    if (!this.warnings.some(same)) this.warnings.push(warning);
  }

  // ---------------------------------------------------------------- environments

  private loadEnvironment(source: SourceFile, real: string): EnvironmentModel | undefined {
    if (this.envFiles.has(real)) return this.envFiles.get(real) ?? undefined;
    const before = this.problems.length;
    const raw = source.data as Json;

    const aws = (isObject(raw.providers) && isObject(raw.providers.aws) ? raw.providers.aws : {}) as Json;
    const accountId = this.accountId(source, aws.account_id);
    const name = typeof raw.name === "string" ? raw.name : "";
    const region = typeof aws.region === "string" ? aws.region : "";
    const values = placeholderValues({ env: name, layerName: name, region, accountId: accountId ?? "" });
    const org = typeof raw.org_name === "string" ? raw.org_name : "";
    const stateValues = statePlaceholders({ name, org, region, accountId: accountId ?? "" });
    const placeholderProblems = this.problems.length;
    const data = substituteState(source, this.substituteModules(source, raw, values), stateValues, this.problems);
    if (this.problems.length > placeholderProblems) {
      for (const p of this.problems.slice(placeholderProblems)) this.placeholderFailures.add(`${source.display}:${p.path}`);
    }

    this.problems.push(...this.shape("environment", data, source));

    const modules = Array.isArray(data.modules) ? data.modules : [];
    const names = this.moduleNames(source, modules);
    let base: BaseModel | undefined;
    modules.forEach((m, i) => {
      if (!isObject(m) || typeof m.type !== "string") return;
      const kind = this.classify(source, ["modules", i], m.type, "environment");
      if (kind !== "base") return;
      if (base) {
        this.problems.push(
          source.problem(["modules", i, "type"], "an environment takes one base module", show(m.type)),
        );
        return;
      }
      const present = BASE_VPC_FIELDS.filter((f) => f in m);
      if (present.length > 0) {
        this.warn(
          source,
          ["modules", i],
          `${present.join(", ")} not generated: strata looks up an existing VPC and never creates one`,
        );
      }
      base = baseModel(source, ["modules", i], m, names[i], accountId, this.problems);
    });
    if (!base && modules.length > 0) {
      this.problems.push(
        source.problem(
          ["modules"],
          "an environment needs a base module: its KMS key, subnet group and security group are what services find",
          undefined,
          `a module with type ${GENERATED_TYPES.base.aliases.join(" or ")}`,
        ),
      );
    }
    if ("input_variables" in raw) {
      this.warn(source, ["input_variables"], "input_variables are not supported by strata and are ignored");
    }

    const providers = isObject(raw.providers) ? raw.providers : {};
    const kubernetes = kubernetesAccess(source, providers.kubernetes, name, this.problems);
    const state = stateModel(source, data.state, { name, org, region, accountId: accountId ?? "" }, this.problems);

    const ok = this.problems.length === before && base !== undefined && accountId !== undefined;
    const env: EnvironmentModel | undefined = ok
      ? {
          file: source.display,
          name,
          orgName: org,
          region,
          accountId: accountId!,
          base: base!,
          aws: awsProviderModel(aws),
          kubernetes,
          state,
          adopt: this.options.adopt === true || raw.adopt === true,
        }
      : undefined;
    if (env) this.envSources.set(env, source);
    this.envFiles.set(real, env ?? null);
    return env;
  }

  /**
   * An account id read by YAML as a number lost its leading zeros; its source
   * text still has them, so that text is the id when it is 12 digits.
   */
  private accountId(source: SourceFile, value: unknown): string | undefined {
    const path = ["providers", "aws", "account_id"];
    if (typeof value === "string") {
      if (ACCOUNT_ID.pattern.test(value)) return value;
      this.problems.push(
        source.problem(path, "must be a 12-digit string", show(value), 'a quoted 12-digit id, such as "011111111111"'),
      );
      return undefined;
    }
    if (typeof value === "number" && Number.isInteger(value)) {
      const text = source.sourceText(path) ?? String(value);
      if (ACCOUNT_ID.pattern.test(text)) return text;
      this.problems.push(
        source.problem(
          path,
          "must be a 12-digit string; quote it in YAML so no digit is lost",
          text,
          'a quoted 12-digit id, such as "011111111111"',
        ),
      );
    }
    return undefined;
  }

  // ---------------------------------------------------------------- services

  private loadService(source: SourceFile, raw: Json): void {
    const entries = Array.isArray(raw.environments) ? raw.environments : [];
    const serviceName = typeof raw.name === "string" ? raw.name : "";
    const selected: { index: number; key: string; env: EnvironmentModel; variables: Json }[] = [];
    const keys = new Map<string, number>();
    const envNames = new Map<string, number>();

    entries.forEach((entry, index) => {
      if (!isObject(entry) || typeof entry.path !== "string" || typeof entry.name !== "string") return;
      const key = entry.name;
      if (keys.has(key)) {
        this.problems.push(
          source.problem(
            ["environments", index, "name"],
            `environments[${keys.get(key)}] already uses this name; --env could not tell them apart`,
            show(key),
          ),
        );
        return;
      }
      keys.set(key, index);
      const env = this.environmentOf(source, ["environments", index, "path"], entry.path);
      if (!env) return;
      if (envNames.has(env.name)) {
        this.problems.push(
          source.problem(
            ["environments", index, "path"],
            `names environment ${env.name} again (environments[${envNames.get(env.name)}] already does)`,
            show(entry.path),
          ),
        );
        return;
      }
      envNames.set(env.name, index);
      if (env.name === serviceName) {
        this.problems.push(
          source.problem(["name"], `a service cannot have the same name as its environment`, show(serviceName)),
        );
      }
      const variables = { ...(isObject(entry.vars) ? entry.vars : {}), ...(isObject(entry.variables) ? entry.variables : {}) };
      if (this.options.env === undefined || this.options.env === key) {
        selected.push({ index, key, env, variables });
      }
    });

    if (this.options.env !== undefined && keys.size > 0 && selected.length === 0 && !keys.has(this.options.env)) {
      this.problems.push(
        source.problem(
          ["environments"],
          `--env ${this.options.env} is not an environment of this service`,
          show(this.options.env),
          [...keys.keys()].join(", "),
        ),
      );
    }
    if (selected.length > 0) this.envSelectedSomewhere = true;

    if (selected.length === 0) {
      // Still check the rest of the file, so every problem shows in one run.
      const data = this.substituteModules(source, raw, undefined);
      this.problems.push(...this.shape("service", data, source));
      this.checkServiceModules(source, data, serviceName, undefined);
      return;
    }
    for (const sel of selected) {
      const values = placeholderValues({
        env: sel.env.name,
        layerName: serviceName,
        region: sel.env.region,
        accountId: sel.env.accountId,
        variables: sel.variables,
      });
      const before = this.problems.length;
      const data = this.substituteModules(source, raw, values);
      this.problems.push(...this.shape("service", data, source));
      const modules = this.checkServiceModules(source, data, serviceName, sel.env.region);
      if (sel.env.adopt && modules) this.checkAdoptable(source, data, modules.redis, sel.env.name);
      if (this.problems.length === before && modules) {
        this.services.push({
          file: source.display,
          name: serviceName,
          entryName: sel.key,
          env: sel.env,
          variables: sel.variables,
          ...modules,
        });
      }
    }
  }

  /**
   * Adopting a cache needs its id: strata cannot find opta's random suffix,
   * and without the id it would build a second cache beside the first.
   */
  private checkAdoptable(source: SourceFile, data: Json, redis: readonly RedisModel[], env: string): void {
    const modules = Array.isArray(data.modules) ? data.modules : [];
    for (const r of redis) {
      if (r.replicationGroupId !== undefined) continue;
      const index = modules.findIndex(
        (m) => isObject(m) && (m.name === r.name || (m.name === undefined && typeof m.type === "string" && defaultModuleName(m.type) === r.name)),
      );
      this.problems.push(
        source.problem(
          ["modules", index],
          `adopting environment ${env} needs the existing cache's replication_group_id; without it strata would create a second cache`,
          undefined,
          "replication_group_id: the id opta gave it, e.g. opta-<service>-<module>-ab12",
        ),
      );
    }
  }

  /** Resolves and loads an `environments[].path`, trying .yml for .yaml and back. */
  private environmentOf(source: SourceFile, path: DocPath, given: string): EnvironmentModel | undefined {
    const base = dirname(source.absolute);
    const candidate = isAbsolute(given) ? given : resolve(base, given);
    const found = [candidate, alternateExtension(candidate)].find(
      (p) => p !== undefined && existsSync(p) && statSync(p).isFile(),
    );
    if (!found) {
      this.problems.push(
        source.problem(path, "environment file not found", show(given), `a path relative to ${this.display(base) || "."}`),
      );
      return undefined;
    }
    const real = realOrSelf(found);
    if (this.envFiles.has(real)) return this.envFiles.get(real) ?? undefined;
    const envSource = this.read(found);
    if (!envSource) {
      this.envFiles.set(real, null);
      return undefined;
    }
    const data = envSource.data as Json;
    if (!("org_name" in data)) {
      this.problems.push(
        source.problem(path, "is not an environment file (it has no org_name)", show(given)),
      );
      this.envFiles.set(real, null);
      return undefined;
    }
    return this.loadEnvironment(envSource, real);
  }

  private checkServiceModules(
    source: SourceFile,
    data: Json,
    serviceName: string,
    region: string | undefined,
  ): { redis: RedisModel[]; k8sService?: K8sServiceModel } | undefined {
    const modules = Array.isArray(data.modules) ? data.modules : [];
    const names = this.moduleNames(source, modules);
    const kinds = new Map<string, { kind?: GeneratedKind; type: string; index: number }>();
    modules.forEach((m, i) => {
      if (!isObject(m) || typeof m.type !== "string") return;
      const kind = this.classify(source, ["modules", i], m.type, "service");
      if (!kinds.has(names[i])) kinds.set(names[i], { kind, type: m.type, index: i });
    });

    const redis: RedisModel[] = [];
    let k8sService: K8sServiceModel | undefined;
    modules.forEach((m, i) => {
      if (!isObject(m)) return;
      const kind = typeof m.type === "string" ? generatedKind(m.type) : undefined;
      if (kind === "redis") {
        const model = checkRedisModule(source, ["modules", i], m, names[i], serviceName, this.problems, {
          warn: (path, message) => this.warn(source, path, message),
          region,
        });
        if (model) redis.push(model);
      } else if (kind === "k8s-service") {
        if (k8sService) {
          this.problems.push(
            source.problem(["modules", i, "type"], "a service file takes one k8s-service module", show(m.type)),
          );
          return;
        }
        const present = K8S_WORKLOAD_FIELDS.filter((f) => f in m);
        if (present.length > 0) {
          this.warn(
            source,
            ["modules", i],
            `${present.join(", ")} not generated: strata makes the namespace and the link secret, not the workload`,
          );
        }
        k8sService = {
          name: names[i],
          secretName: typeof m.secret_name === "string" ? m.secret_name : undefined,
          createNamespace: m.create_namespace !== false,
          links: this.checkLinks(source, ["modules", i, "links"], m.links, kinds),
        };
      }
    });
    return { redis, k8sService };
  }

  private checkLinks(
    source: SourceFile,
    path: DocPath,
    value: unknown,
    modules: Map<string, { kind?: GeneratedKind; type: string; index: number }>,
  ): LinkModel[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return []; // reported by the schema
    const links: LinkModel[] = [];
    const keys = new Map<string, number>();
    value.forEach((entry, i) => {
      const here = [...path, i];
      let target: string;
      let options: unknown;
      let targetPath: DocPath = here;
      if (typeof entry === "string") {
        target = entry;
      } else if (isObject(entry) && Object.keys(entry).length === 1) {
        target = Object.keys(entry)[0];
        options = entry[target];
        targetPath = [...here, target];
      } else {
        this.problems.push(
          source.problem(
            here,
            "a link is a module name, or a module name mapped to a rename list",
            show(entry),
            "name or {name: [{field: KEY, ...}]}",
          ),
        );
        return;
      }

      const found = modules.get(target);
      if (!found) {
        const guess = closest(target, [...modules.keys()]);
        this.problems.push(
          source.problem(
            targetPath,
            `links to ${target}, which is not a module of this file${guess ? `; did you mean ${guess}?` : ""}`,
            show(target),
            [...modules.keys()].sort().join(", ") || "no modules",
            typeof entry !== "string",
          ),
        );
        return;
      }
      if (!found.kind || !LINKABLE_KINDS.includes(found.kind)) {
        const why = found.kind
          ? `a ${found.type} module exports nothing to link`
          : `strata does not generate ${found.type}, so its keys cannot be produced`;
        this.problems.push(
          source.problem(
            targetPath,
            `cannot link ${target} (type ${found.type}): ${why}`,
            show(target),
            `links to modules of type ${LINKABLE_KINDS.flatMap((k) => GENERATED_TYPES[k].aliases).join(", ")}`,
            typeof entry !== "string",
          ),
        );
        return;
      }

      const chosen = this.checkLinkOptions(
        source,
        targetPath,
        target,
        options,
        LINK_FIELDS[found.kind],
        LINK_EXTRAS[found.kind] ?? [],
      );
      if (chosen === null) return;
      const { extras, rename, renamePath } = chosen;
      const fields = [...LINK_FIELDS[found.kind], ...extras];
      const linkKeys = fields.map((f) => rename?.[f] ?? `${target}_${f}`);
      for (const [j, key] of linkKeys.entries()) {
        const field = fields[j];
        const keyPath = renamePath ? [...renamePath, field] : (chosen.extraPaths.get(field) ?? targetPath);
        if (!ENV_VAR_NAME.pattern.test(key) || !SECRET_KEY.pattern.test(key)) {
          this.problems.push(
            source.problem(
              keyPath,
              `env var name ${show(key)} is invalid; the pod would start without it`,
              show(key),
              ENV_VAR_NAME.description,
            ),
          );
          continue;
        }
        const previous = keys.get(key);
        if (previous !== undefined) {
          this.problems.push(
            source.problem(
              keyPath,
              `secret key ${key} is already produced by links[${previous}]; each key must come from one link`,
              show(key),
            ),
          );
          continue;
        }
        keys.set(key, i);
      }
      links.push({ target, ...(extras.length > 0 ? { extras } : {}), ...(rename ? { rename } : {}) });
    });
    return links;
  }

  /**
   * What a link asks for beyond its target's default fields: nothing or `[]`
   * (default names); a list of extra fields and at most one rename map
   * (`[cache_url, {cache_host: KEY, ...}]`, or opta's `[{...}]`); or a
   * rename map alone (`{field: KEY}`). A rename map renames exactly the
   * fields the link exports: the defaults and the extras it names. Returns
   * null after an error.
   */
  private checkLinkOptions(
    source: SourceFile,
    path: DocPath,
    target: string,
    options: unknown,
    defaults: readonly string[],
    allowedExtras: readonly string[],
  ): {
    extras: string[];
    extraPaths: Map<string, DocPath>;
    rename?: Record<string, string>;
    renamePath?: DocPath;
  } | null {
    const extraPaths = new Map<string, DocPath>();
    let map: unknown;
    let mapPath: DocPath | undefined;
    const renameMap = `one rename map {${defaults.map((f) => `${f}: KEY`).join(", ")}, ...}`;
    const allowedList = allowedExtras.length > 0 ? `${allowedExtras.join(", ")} and ${renameMap}` : renameMap;
    if (Array.isArray(options)) {
      let ok = true;
      options.forEach((item, j) => {
        const itemPath = [...path, j];
        if (typeof item === "string" && !allowedExtras.includes(item)) {
          const why = defaults.includes(item)
            ? "it is always exported"
            : "permissions such as read or write are for buckets and queues";
          this.problems.push(
            source.problem(itemPath, `${item} is not a field a link to ${target} can add; ${why}`, show(item), allowedList),
          );
          ok = false;
        } else if (typeof item === "string" && extraPaths.has(item)) {
          this.problems.push(source.problem(itemPath, `${item} is already listed`, show(item), "each extra field once"));
          ok = false;
        } else if (typeof item === "string") {
          extraPaths.set(item, itemPath);
        } else if (isObject(item) && mapPath === undefined) {
          map = item;
          mapPath = itemPath;
        } else if (isObject(item)) {
          this.problems.push(
            source.problem(itemPath, `a link takes one rename map, and ${renderPath(mapPath!)} is one already`, show(item), allowedList),
          );
          ok = false;
        } else {
          this.problems.push(
            source.problem(itemPath, `a link's list holds extra field names and one rename map`, show(item), allowedList),
          );
          ok = false;
        }
      });
      if (!ok) return null;
    } else if (options !== null && options !== undefined) {
      map = options;
      mapPath = path;
    }
    const extras = allowedExtras.filter((e) => extraPaths.has(e));
    if (mapPath === undefined) return { extras, extraPaths };

    const fields = [...defaults, ...extras];
    if (!isObject(map)) {
      this.problems.push(
        source.problem(path, `rename map for link '${target}' must be a mapping`, show(options), `{${fields.map((f) => `${f}: KEY`).join(", ")}}`),
      );
      return null;
    }
    const given = Object.keys(map);
    const missing = fields.filter((f) => !given.includes(f));
    const extra = given.filter((g) => !fields.includes(g));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [
        missing.length > 0 ? `missing ${missing.join(", ")}` : "",
        extra.length > 0 ? `unknown ${extra.join(", ")}` : "",
      ].filter(Boolean);
      this.problems.push(
        source.problem(
          mapPath,
          `rename map for link '${target}' must rename all of ${fields.join(", ")} (${parts.join("; ")})`,
          given.join(", ") || "an empty map",
          fields.join(", "),
        ),
      );
      return null;
    }
    const rename: Record<string, string> = {};
    let ok = true;
    for (const field of fields) {
      const value = map[field];
      if (typeof value !== "string") {
        this.problems.push(
          source.problem([...mapPath, field], "a rename must be a string", show(value), ENV_VAR_NAME.description),
        );
        ok = false;
        continue;
      }
      rename[field] = value;
    }
    return ok ? { extras, extraPaths, rename, renamePath: mapPath } : null;
  }

  // ---------------------------------------------------------------- shared

  private shape(kind: "environment" | "service", data: Json, source: SourceFile): Problem[] {
    return validateShape(kind, data, source).filter(
      (p) => !this.placeholderFailures.has(`${source.display}:${p.path}`),
    );
  }

  /** Each module's name (given or default) with duplicate names reported. */
  private moduleNames(source: SourceFile, modules: unknown[]): string[] {
    const seen = new Map<string, number>();
    return modules.map((m, i) => {
      if (!isObject(m)) return `#${i}`;
      const name =
        typeof m.name === "string"
          ? m.name
          : typeof m.type === "string"
            ? defaultModuleName(m.type)
            : `#${i}`;
      const first = seen.get(name);
      if (first !== undefined) {
        const given = typeof m.name === "string";
        this.problems.push(
          source.problem(
            ["modules", i, given ? "name" : "type"],
            `module name ${name} is already used by modules[${first}]${given ? "" : " (a module's default name is its type without dashes; give one a name)"}`,
            show(name),
          ),
        );
      } else seen.set(name, i);
      return name;
    });
  }

  /** Tells what strata does with a module type, reporting the ones it cannot take. */
  private classify(
    source: SourceFile,
    path: DocPath,
    type: string,
    file: "environment" | "service",
  ): GeneratedKind | undefined {
    const kind = generatedKind(type);
    if (kind) {
      if (GENERATED_TYPES[kind].file !== file) {
        this.problems.push(
          source.problem(
            [...path, "type"],
            `a ${type} module belongs in ${GENERATED_TYPES[kind].file === "environment" ? "an environment" : "a service"} file`,
            show(type),
          ),
        );
      }
      return kind;
    }
    if (SKIPPED_TYPES.includes(type)) {
      if (this.options.strict) {
        this.problems.push(
          source.problem([...path, "type"], `module type ${type} is not generated by strata (--strict)`, show(type)),
        );
      } else {
        this.warn(source, [...path, "type"], `module type ${type} is not generated by strata; skipped`);
      }
      return undefined;
    }
    const all = [...Object.values(GENERATED_TYPES).flatMap((s) => [...s.aliases]), ...SKIPPED_TYPES];
    const guess = closest(type, all);
    this.problems.push(
      source.problem(
        [...path, "type"],
        `${type} is not a module type${guess ? `; did you mean ${guess}?` : ""}`,
        show(type),
        Object.values(GENERATED_TYPES)
          .flatMap((s) => [...s.aliases])
          .join(", ") + ", or an opta type strata skips",
      ),
    );
    return undefined;
  }

  /**
   * Replaces placeholders in the string values of every module (not in
   * `type` or `name`). With no table (no environment could be loaded) the
   * strings are left as they are and no placeholder problem is reported.
   */
  private substituteModules(
    source: SourceFile,
    raw: Json,
    values: Map<string, string> | undefined,
  ): Json {
    if (!Array.isArray(raw.modules)) return raw;
    const walk = (value: unknown, path: (string | number)[]): unknown => {
      // An unquoted version (`redis_version: 7.1`) is a number to YAML, and
      // `7.10` would become 7.1: the source text is what the user wrote.
      if (typeof value === "number" && path.length === 3 && VERSION_FIELDS.includes(String(path[2]))) {
        return source.sourceText(path) ?? String(value);
      }
      // Parameter values go to AWS as text: `1.10` is sent as written.
      if (typeof value === "number" && path.length === 4 && path[2] === "parameters") {
        return source.sourceText(path) ?? String(value);
      }
      if (typeof value === "string") {
        if (!values) return value;
        const result = substitute(value, values);
        for (const e of result.errors) {
          this.problems.push(source.problem(path, e.message, e.got, e.allowed));
          this.placeholderFailures.add(`${source.display}:${renderPath(path)}`);
        }
        return result.value;
      }
      if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i]));
      if (isObject(value)) {
        const out: Json = {};
        for (const [k, v] of Object.entries(value)) {
          out[k] = path.length === 2 && (k === "type" || k === "name") ? v : walk(v, [...path, k]);
        }
        return out;
      }
      return value;
    };
    return { ...raw, modules: raw.modules.map((m, i) => walk(m, ["modules", i])) };
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function alternateExtension(path: string): string | undefined {
  const ext = extname(path);
  if (ext === ".yaml") return path.slice(0, -5) + ".yml";
  if (ext === ".yml") return path.slice(0, -4) + ".yaml";
  return undefined;
}

