/**
 * Runs the real `terraform validate` on synthesized stacks, offline.
 *
 * Only the AWS provider can be installed here (from a local filesystem
 * mirror); the random and kubernetes providers cannot. So each stack is
 * validated through a projection that keeps the AWS blocks, stands in an
 * input variable for every reference to a block it had to drop, and lists
 * what it dropped, so a test can say exactly what was not checked.
 */
import { execFile } from "node:child_process";
import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { delimiter, isAbsolute, join, resolve } from "node:path";

/** The provider the projection keeps; its resource types start with `aws_`. */
export const KEPT_PROVIDER = "aws";

/** The AWS provider version the stacks pin (`@cdktf/provider-aws` 20.1.0). */
export const AWS_PROVIDER_VERSION = "5.100.0";

/** Points the tests at a mirror root (the folder holding `registry.terraform.io`). */
export const MIRROR_ENV = "STRATA_TF_PROVIDER_MIRROR";

/** How deep the filesystem walk looks for a mirror, counted from `/`. */
export const MIRROR_WALK_DEPTH = 8;

/** Folders the filesystem walk never enters. */
const WALK_SKIPPED_AT_ROOT = new Set(["proc", "sys", "dev", "run"]);
const WALK_SKIPPED_ANYWHERE = new Set(["node_modules", ".git", ".terraform"]);

const REGISTRY_HOST = "registry.terraform.io";

type Json = Record<string, unknown>;

// ------------------------------------------------------------------ finding

/**
 * The terraform binary: `$TERRAFORM_BINARY_NAME` (a path, or a name looked up
 * on PATH) or `terraform` on PATH. Undefined when there is none.
 */
export function findTerraform(
  env: NodeJS.ProcessEnv = process.env
): string | undefined {
  const name = env.TERRAFORM_BINARY_NAME || "terraform";
  if (name.includes("/")) {
    const path = resolve(name);
    return isExecutableFile(path) ? path : undefined;
  }
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const path = join(dir, name);
    if (isExecutableFile(path)) return path;
  }
  return undefined;
}

/** Terraform's name for this machine's platform, such as `linux_amd64`. */
export function terraformPlatform(): string {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const arch: Record<string, string> = {
    x64: "amd64",
    ia32: "386",
    arm64: "arm64",
    arm: "arm",
  };
  return `${os}_${arch[process.arch] ?? process.arch}`;
}

/**
 * The folders Terraform itself treats as implied local mirrors on this
 * machine, in its order of preference.
 */
export function impliedMirrorDirs(
  env: NodeJS.ProcessEnv = process.env
): string[] {
  const home = homedir();
  const dataHome = env.XDG_DATA_HOME || join(home, ".local", "share");
  const dataDirs = (env.XDG_DATA_DIRS || "/usr/local/share:/usr/share")
    .split(":")
    .filter((d) => d !== "");
  return [
    join(home, ".terraform.d", "plugins"),
    join(dataHome, "terraform", "plugins"),
    ...dataDirs.map((d) => join(d, "terraform", "plugins")),
  ];
}

/**
 * Whether `root` holds the AWS provider for this platform in the unpacked
 * mirror layout: `registry.terraform.io/hashicorp/aws/<version>/<platform>/`
 * with a `terraform-provider-aws*` executable in it.
 */
export function holdsAwsProvider(
  root: string,
  version: string = AWS_PROVIDER_VERSION
): boolean {
  const dir = join(
    root,
    REGISTRY_HOST,
    "hashicorp",
    KEPT_PROVIDER,
    version,
    terraformPlatform()
  );
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  return names.some(
    (n) =>
      n.startsWith("terraform-provider-aws") && isExecutableFile(join(dir, n))
  );
}

/**
 * The root of a filesystem mirror that serves the AWS provider (the folder
 * holding `registry.terraform.io`), or undefined when none is found.
 *
 * Looks at `$STRATA_TF_PROVIDER_MIRROR` only, when it is set (and throws when
 * it does not hold the provider, rather than quietly looking elsewhere); else
 * at Terraform's implied mirror folders; else walks the filesystem from `/`,
 * breadth first, at most {@link MIRROR_WALK_DEPTH} levels deep, without
 * following symbolic links.
 */
export function findAwsProviderMirror(
  env: NodeJS.ProcessEnv = process.env,
  version: string = AWS_PROVIDER_VERSION
): string | undefined {
  const given = env[MIRROR_ENV];
  if (given) {
    const root = resolve(given);
    if (holdsAwsProvider(root, version)) return root;
    throw new Error(
      `${MIRROR_ENV}=${given} does not hold ${mirrorLayout(version)}; ` +
        `point it at the folder that contains ${REGISTRY_HOST}`
    );
  }
  const implied = impliedMirrorDirs(env).find((d) =>
    holdsAwsProvider(d, version)
  );
  return implied ?? walkForMirror("/", MIRROR_WALK_DEPTH, version);
}

/** The layout a mirror must have, for messages. */
export function mirrorLayout(version: string = AWS_PROVIDER_VERSION): string {
  return (
    `${REGISTRY_HOST}/hashicorp/${KEPT_PROVIDER}/${version}/` +
    `${terraformPlatform()}/terraform-provider-aws*`
  );
}

function walkForMirror(
  start: string,
  maxDepth: number,
  version: string
): string | undefined {
  let level = [start];
  for (let depth = 1; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue; // unreadable or vanished: not a mirror
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        if (!entry.isDirectory()) continue; // symbolic links are not followed
        if (entry.name === REGISTRY_HOST) {
          if (holdsAwsProvider(dir, version)) return dir;
          continue;
        }
        if (WALK_SKIPPED_ANYWHERE.has(entry.name)) continue;
        if (dir === start && WALK_SKIPPED_AT_ROOT.has(entry.name)) continue;
        next.push(join(dir, entry.name));
      }
    }
    level = next;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------ CLI config

/**
 * Writes a Terraform CLI configuration into `dir` that installs the AWS
 * provider from `mirror` and nothing from anywhere else (no registry, no
 * network), with the upgrade checkpoint off. Returns the file's path.
 */
export function writeCliConfig(dir: string, mirror: string): string {
  const path = join(dir, "terraform.tfrc");
  const provider = `${REGISTRY_HOST}/hashicorp/${KEPT_PROVIDER}`;
  const text = [
    "disable_checkpoint = true",
    "",
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${hclString(mirror)}`,
    `    include = [${hclString(provider)}]`,
    "  }",
    "  direct {",
    `    exclude = [${hclString(`${REGISTRY_HOST}/*/*`)}]`,
    "  }",
    "}",
    "",
  ].join("\n");
  writeFileSync(path, text);
  return path;
}

function hclString(value: string): string {
  // A JSON string is a valid HCL string once template openers are escaped.
  return JSON.stringify(value).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
}

// ------------------------------------------------------------------ projection

/** How {@link projectAwsOnly} projects, beyond its defaults. */
export interface ProjectionOptions {
  /**
   * Drop the AWS data sources too, standing in a variable for each of their
   * attributes used (a plan reads data sources, which needs the AWS API).
   *
   * @default false
   */
  readonly dropDataSources?: boolean;

  /**
   * A value for the stand-in of a traversal (`random_password.pw.result`),
   * written as the variable's default; a plan needs every variable set.
   *
   * @default - the variables have no default
   */
  readonly standInValue?: (traversal: string) => unknown;
}

export interface Projection {
  /** The stack's Terraform JSON with only the AWS provider's blocks. */
  readonly json: Json;
  /** Every dropped block's address, sorted: `provider.random`, `random_password.x`, `output.y`. */
  readonly notValidated: string[];
}

/** The type of the variable that stands in for one attribute of a dropped block. */
interface StandIn {
  readonly type: string;
  readonly sensitive?: boolean;
}

/**
 * Attribute types of the dropped blocks the stacks use, so a stand-in
 * variable has the type Terraform would have checked. Anything else stands
 * in as `any`, which validates against every argument type.
 */
const STAND_IN_TYPES: Record<string, Record<string, StandIn>> = {
  random_password: {
    id: { type: "string" },
    result: { type: "string", sensitive: true },
    bcrypt_hash: { type: "string", sensitive: true },
    length: { type: "number" },
  },
  random_string: {
    id: { type: "string" },
    result: { type: "string" },
    length: { type: "number" },
  },
  random_id: {
    id: { type: "string" },
    hex: { type: "string" },
    dec: { type: "string" },
    b64_url: { type: "string" },
    b64_std: { type: "string" },
  },
  random_integer: { id: { type: "string" }, result: { type: "number" } },
  random_uuid: { id: { type: "string" }, result: { type: "string" } },
  random_pet: { id: { type: "string" } },
  random_shuffle: { result: { type: "list(string)" } },
};

/** Top-level arrays whose entries name resource addresses (`moved`, `import`, ...). */
const ADDRESS_BLOCKS: Record<string, readonly string[]> = {
  moved: ["from", "to"],
  import: ["to"],
  removed: ["from"],
};

/**
 * A copy of a synthesized `cdk.tf.json` that keeps only the AWS provider's
 * blocks: other providers and their `required_providers` entries, resources
 * and data sources whose type does not start with `aws_`, the backend, and
 * outputs that reference a dropped block are removed. A reference from a
 * kept block to a dropped one becomes a reference to an input variable
 * declared in the projection (`random_password.pw.result` becomes
 * `var.random_password__pw__result`, a sensitive string), so the kept block
 * still validates with the type Terraform would have seen.
 *
 * The backend is dropped without being listed: `terraform validate` never
 * checks a backend, and the test runs `init -backend=false` anyway.
 */
export function projectAwsOnly(
  tfJson: Json,
  options: ProjectionOptions = {}
): Projection {
  const json = structuredClone(tfJson);
  const dropped = new Set<string>();
  const notValidated = new Set<string>();

  const terraform = asObject(json.terraform);
  if (terraform) {
    delete terraform.backend;
    delete terraform.cloud;
    const required = asObject(terraform.required_providers);
    for (const name of Object.keys(required ?? {})) {
      if (name === KEPT_PROVIDER) continue;
      delete required![name];
      notValidated.add(`provider.${name}`);
    }
  }

  const providers = asObject(json.provider);
  for (const name of Object.keys(providers ?? {})) {
    if (name === KEPT_PROVIDER) continue;
    for (const config of asArray(providers![name])) {
      const alias = asObject(config)?.alias;
      notValidated.add(
        typeof alias === "string"
          ? `provider.${name}.${alias}`
          : `provider.${name}`
      );
    }
    delete providers![name];
  }

  for (const [kind, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    const blocks = asObject(json[kind]);
    for (const type of Object.keys(blocks ?? {})) {
      if (isKeptType(type) && !(kind === "data" && options.dropDataSources)) {
        continue;
      }
      for (const name of Object.keys(asObject(blocks![type]) ?? {})) {
        dropped.add(`${prefix}${type}.${name}`);
        notValidated.add(`${prefix}${type}.${name}`);
      }
      delete blocks![type];
    }
    if (blocks && Object.keys(blocks).length === 0) delete json[kind];
  }

  for (const [kind, fields] of Object.entries(ADDRESS_BLOCKS)) {
    if (!Array.isArray(json[kind])) continue;
    json[kind] = (json[kind] as unknown[]).filter((entry) => {
      const addresses = fields
        .map((f) => asObject(entry)?.[f])
        .filter((a): a is string => typeof a === "string");
      const keep = addresses.every((a) => isKeptAddress(a));
      if (!keep) notValidated.add(`${kind}[${addresses.join(" -> ")}]`);
      return keep;
    });
  }

  const standIns = new Map<string, StandIn & { source: string }>();
  const rewriter = new ReferenceRewriter(dropped, (traversal) => {
    const name = standInName(traversal);
    if (!standIns.has(name)) {
      standIns.set(name, { ...standInType(traversal), source: traversal });
    }
    return `var.${name}`;
  });

  const outputs = asObject(json.output);
  for (const name of Object.keys(outputs ?? {})) {
    if (rewriter.references(outputs![name])) {
      delete outputs![name];
      notValidated.add(`output.${name}`);
    }
  }
  if (outputs && Object.keys(outputs).length === 0) delete json.output;

  for (const key of Object.keys(json)) {
    if (key === "//" || key === "variable") continue;
    json[key] = rewriter.rewrite(json[key]);
  }

  if (standIns.size > 0) {
    const variables = (asObject(json.variable) ?? {}) as Json;
    for (const [name, standIn] of standIns) {
      if (name in variables) {
        throw new Error(
          `projection: variable ${name} already exists; it cannot stand in for ${standIn.source}`
        );
      }
      variables[name] = {
        description: `stands in for ${standIn.source}, whose provider is not validated offline`,
        type: standIn.type,
        ...(standIn.sensitive ? { sensitive: true } : {}),
        ...(options.standInValue
          ? { default: options.standInValue(standIn.source) }
          : {}),
      };
    }
    json.variable = variables;
  }

  return { json, notValidated: [...notValidated].sort() };
}

/**
 * Groups not-validated addresses by the reason they were dropped, for
 * printing: `{ "provider random is not installable offline": [...] }`.
 */
export function explainNotValidated(
  notValidated: readonly string[]
): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const address of notValidated) {
    const parts = address.split(".");
    let reason: string;
    if (parts[0] === "output") {
      reason = "references a block that was not validated";
    } else if (/^(moved|import|removed)\[/.test(address)) {
      reason = "names a block that was not validated";
    } else {
      const type =
        parts[0] === "provider" || parts[0] === "data" ? parts[1] : parts[0];
      reason = `provider ${type.split("_")[0]} is not installable offline`;
    }
    (groups[reason] ??= []).push(address);
  }
  return groups;
}

function isKeptType(type: string): boolean {
  return type.startsWith(`${KEPT_PROVIDER}_`);
}

function isKeptAddress(address: string): boolean {
  const parts = address.split(".");
  const type = parts[0] === "data" ? parts[1] : parts[0];
  return parts[0] === "module" || type === undefined || isKeptType(type);
}

function standInName(traversal: string): string {
  return traversal
    .split(/[.[\]]+/)
    .filter((p) => p !== "")
    .map((p) => p.replace(/[^A-Za-z0-9_-]/g, "_"))
    .join("__");
}

function standInType(traversal: string): StandIn {
  const parts = traversal.split(".");
  const [type, , attribute, ...rest] =
    parts[0] === "data" ? parts.slice(1) : parts;
  if (parts[0] === "data" || rest.length > 0 || attribute === undefined) {
    return { type: "any" };
  }
  if (!/^[A-Za-z_][\w-]*$/.test(attribute)) return { type: "any" };
  return STAND_IN_TYPES[type]?.[attribute] ?? { type: "any" };
}

function asObject(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/**
 * Finds and replaces references to dropped blocks in Terraform JSON values.
 * String values are templates: only the expressions inside `${...}` and
 * `%{...}` are searched (`$${` and `%%{` are literal), and string literals
 * inside those expressions are templates again. `depends_on` and
 * `replace_triggered_by` entries are bare references: an entry naming a
 * dropped block is removed.
 */
class ReferenceRewriter {
  /** `data.`? type `.` name, then attribute and index steps. */
  private static readonly TRAVERSAL =
    /(?<![\w.\]-])((?:data\.)?[A-Za-z][\w-]*\.[A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*|\.\d+|\[[^\][]*\])*)/g;

  constructor(
    private readonly dropped: ReadonlySet<string>,
    private readonly replace: (traversal: string) => string,
    private readonly onDroppedDependency: () => void = () => undefined
  ) {}

  /** Whether any expression or dependency in `value` names a dropped block. */
  references(value: unknown): boolean {
    let found = false;
    const seen = () => {
      found = true;
    };
    const probe = new ReferenceRewriter(
      this.dropped,
      (t) => {
        seen();
        return t;
      },
      seen
    );
    probe.rewrite(value);
    return found;
  }

  rewrite(value: unknown, key?: string): unknown {
    if (typeof value === "string") return this.template(value);
    if (Array.isArray(value)) {
      if (key === "depends_on" || key === "replace_triggered_by") {
        return value.filter((entry) => {
          if (typeof entry !== "string" || !this.namesDropped(entry)) {
            return true;
          }
          this.onDroppedDependency();
          return false;
        });
      }
      return value.map((v) => this.rewrite(v));
    }
    const object = asObject(value);
    if (!object) return value;
    const out: Json = {};
    for (const [k, v] of Object.entries(object)) {
      out[k] = k === "//" ? v : this.rewrite(v, k);
    }
    return out;
  }

  private namesDropped(entry: string): boolean {
    const bare = entry.replace(/^\$\{(.*)\}$/s, "$1").trim();
    for (const address of this.dropped) {
      if (
        bare === address ||
        bare.startsWith(`${address}.`) ||
        bare.startsWith(`${address}[`)
      ) {
        return true;
      }
    }
    return false;
  }

  /** Rewrites a whole string value, which is a template. */
  private template(text: string): string {
    const { out } = this.scanTemplate(text, 0, false);
    return out;
  }

  /**
   * Scans template text from `start` until the end (or, when `quoted`, an
   * unescaped `"`), rewriting the expressions in it.
   */
  private scanTemplate(
    text: string,
    start: number,
    quoted: boolean
  ): { out: string; end: number } {
    let out = "";
    let i = start;
    while (i < text.length) {
      const c = text[i];
      if (quoted && c === "\\") {
        out += text.slice(i, i + 2);
        i += 2;
      } else if (quoted && c === '"') {
        return { out, end: i };
      } else if (
        (c === "$" || c === "%") &&
        text[i + 1] === c &&
        text[i + 2] === "{"
      ) {
        out += text.slice(i, i + 3);
        i += 3;
      } else if ((c === "$" || c === "%") && text[i + 1] === "{") {
        const expr = this.scanExpression(text, i + 2);
        out += `${c}{${expr.out}`;
        i = expr.end;
        if (i < text.length) {
          out += "}";
          i += 1;
        }
      } else {
        out += c;
        i += 1;
      }
    }
    return { out, end: i };
  }

  /** Scans an expression from `start` up to its closing `}` (not consumed). */
  private scanExpression(
    text: string,
    start: number
  ): { out: string; end: number } {
    let out = "";
    let code = "";
    let depth = 0;
    let i = start;
    const flush = () => {
      out += this.rewriteCode(code);
      code = "";
    };
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        flush();
        const literal = this.scanTemplate(text, i + 1, true);
        out += `"${literal.out}"`;
        i = literal.end + 1;
        continue;
      }
      if (c === "{") depth += 1;
      if (c === "}") {
        if (depth === 0) break;
        depth -= 1;
      }
      code += c;
      i += 1;
    }
    flush();
    return { out, end: i };
  }

  private rewriteCode(code: string): string {
    return code.replace(
      ReferenceRewriter.TRAVERSAL,
      (whole: string, address: string) =>
        this.dropped.has(address) ? this.replace(whole) : whole
    );
  }
}

// ------------------------------------------------------------------ running

/** How to run terraform: the binary and the CLI configuration it reads. */
export interface TerraformRunner {
  readonly binary: string;
  readonly cliConfigFile: string;
}

/** One diagnostic of `terraform validate -json`. */
export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: {
    readonly filename: string;
    readonly start: { readonly line: number; readonly column: number };
  };
}

/** The output of `terraform validate -json`. */
export interface ValidateResult {
  readonly valid: boolean;
  readonly error_count: number;
  readonly warning_count: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The environment for terraform child processes: the given CLI config, no
 * plugin cache (concurrent installs into one cache corrupt it), no data dir
 * or extra arguments from the caller's shell, no prompts, no checkpoint.
 */
export function terraformEnv(cliConfigFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === "TF_PLUGIN_CACHE_DIR" || name === "TF_DATA_DIR") continue;
    if (name === "TF_WORKSPACE" || name.startsWith("TF_CLI_ARGS")) continue;
    env[name] = value;
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
  };
}

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(
  runner: TerraformRunner,
  dir: string,
  args: readonly string[]
): Promise<RunResult> {
  return new Promise((done, fail) => {
    execFile(
      runner.binary,
      args,
      {
        cwd: dir,
        env: terraformEnv(runner.cliConfigFile),
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          fail(
            new Error(
              `${runner.binary} ${args.join(" ")} in ${dir}: ${error.message}`
            )
          );
          return;
        }
        done({ code: error ? (error.code as number) : 0, stdout, stderr });
      }
    );
  });
}

/** `terraform init -backend=false` in `dir`; throws with terraform's output on failure. */
export async function init(
  dir: string,
  runner: TerraformRunner
): Promise<void> {
  const result = await run(runner, dir, [
    "init",
    "-backend=false",
    "-input=false",
    "-no-color",
  ]);
  if (result.code !== 0) {
    throw new Error(
      `terraform init failed in ${dir} (exit ${result.code}):\n${result.stderr}${result.stdout}`
    );
  }
}

/**
 * `terraform init` (unless `options.init` is false: the folder was prepared
 * with {@link copyInitialized}) then `terraform validate -json` in `dir`.
 * Returns the parsed diagnostics; throws when init fails or validate prints
 * no JSON.
 */
export async function validate(
  dir: string,
  runner: TerraformRunner,
  options: { readonly init?: boolean } = {}
): Promise<ValidateResult> {
  if (options.init !== false) await init(dir, runner);
  const result = await run(runner, dir, ["validate", "-json", "-no-color"]);
  try {
    return JSON.parse(result.stdout) as ValidateResult;
  } catch {
    throw new Error(
      `terraform validate printed no JSON in ${dir} (exit ${result.code}):\n${result.stderr}${result.stdout}`
    );
  }
}

/**
 * Gives `to` the providers `from` was initialized with: its `.terraform`
 * (whose provider entries are links into the mirror) and its lock file.
 * Safe only when both folders require the same providers and neither calls
 * a module; `terraform validate` itself rejects a lock file that does not
 * match the configuration.
 */
export function copyInitialized(from: string, to: string): void {
  cpSync(join(from, ".terraform"), join(to, ".terraform"), {
    recursive: true,
    verbatimSymlinks: true,
  });
  cpSync(join(from, ".terraform.lock.hcl"), join(to, ".terraform.lock.hcl"));
}

/**
 * What must match for two folders to share one `init`: the providers they
 * require. Undefined when a folder cannot share (it calls modules).
 */
export function providerSetKey(dir: string): string | undefined {
  const required: Record<string, unknown> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".tf.json"))) {
    const json = JSON.parse(readFileSync(join(dir, file), "utf8")) as Json;
    if (json.module !== undefined) return undefined;
    Object.assign(
      required,
      asObject(asObject(json.terraform)?.required_providers) ?? {}
    );
  }
  const names = Object.keys(required).sort();
  return JSON.stringify(names.map((n) => [n, required[n]]));
}

/**
 * Validates every folder, at most `concurrency` terraform processes at a
 * time. Folders that require the same providers share one `init`: the first
 * is initialized, the others get a copy of its `.terraform` and lock file
 * (an init per folder would hash the ~700 MB provider binary each time).
 * Returns one promise per folder, in the order given.
 */
export function validateAll(
  dirs: readonly string[],
  runner: TerraformRunner,
  concurrency: number
): Promise<ValidateResult>[] {
  const limit = semaphore(Math.max(1, concurrency));
  const seeds = new Map<string, Promise<string>>();
  return dirs.map(async (dir) => {
    if (!isAbsolute(dir) || !existsSync(dir)) {
      throw new Error(`not a folder: ${dir}`);
    }
    const key = providerSetKey(dir);
    const seed = key === undefined ? undefined : seeds.get(key);
    if (key === undefined || seed === undefined) {
      const initialized = limit(() => init(dir, runner)).then(() => dir);
      if (key !== undefined) seeds.set(key, initialized);
      await initialized;
    } else {
      copyInitialized(await seed, dir);
    }
    return limit(() => validate(dir, runner, { init: false }));
  });
}

/** Runs jobs with at most `size` at a time; a finished job hands its slot to the next. */
function semaphore(size: number): <T>(job: () => Promise<T>) => Promise<T> {
  let free = size;
  const waiting: (() => void)[] = [];
  return async (job) => {
    if (free > 0) free -= 1;
    else await new Promise<void>((go) => waiting.push(go));
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    }
  };
}

/** One line per diagnostic: `error: summary: detail (cdk.tf.json:12:5, address)`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [
    d.range
      ? `${d.range.filename}:${d.range.start.line}:${d.range.start.column}`
      : "",
    d.address ?? "",
  ]
    .filter(Boolean)
    .join(", ");
  const detail = d.detail ? `: ${d.detail.replace(/\s+/g, " ").trim()}` : "";
  return `${d.severity}: ${d.summary}${detail}${where ? ` (${where})` : ""}`;
}
