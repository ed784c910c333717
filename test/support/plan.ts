/**
 * Runs `terraform plan -refresh=false` on a stack's AWS projection with no
 * network at all: inside a fresh network namespace (`unshare -n`), with
 * placeholder credentials, every provider call that would reach AWS turned
 * off, and the data sources (which a plan reads from the API) replaced by
 * variables holding placeholder values.
 *
 * A plan checks what `terraform validate` cannot: `count` and `for_each`
 * over values known only after apply (a replication group's
 * `member_clusters`), and the provider's plan-time checks.
 */
import { execFile, spawnSync } from "node:child_process";
import { Projection, projectAwsOnly, terraformEnv } from "./terraform";

type Json = Record<string, unknown>;

/** Provider arguments that would reach AWS, or another account, at plan. */
const DROPPED_PROVIDER_ARGUMENTS: readonly string[] = [
  "allowed_account_ids",
  "forbidden_account_ids",
  "assume_role",
  "assume_role_with_web_identity",
  "profile",
  "shared_config_files",
  "shared_credentials_files",
];

/** Provider arguments that keep the AWS provider from calling anything at plan. */
const OFFLINE_PROVIDER_ARGUMENTS: Json = {
  access_key: "AKIAPLACEHOLDER00000",
  secret_key: "placeholder-secret-key",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: "true",
  skip_region_validation: true,
};

/**
 * Placeholder values for what the stacks take from blocks a plan cannot
 * have: the random provider's results and the env's lookups. Each is of the
 * form the AWS provider checks at plan (an ARN where it wants an ARN).
 */
const PLACEHOLDERS: readonly [RegExp, unknown][] = [
  [/^random_password\.[^.]+\.result$/, "PlaceholderToken0123456789abcdef"],
  [/^random_string\.[^.]+\.result$/, "abcd"],
  [
    /^data\.aws_kms_key\.[^.]+\.arn$/,
    "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000",
  ],
  [/^data\.aws_security_group\.[^.]+\.id$/, "sg-0123456789abcdef0"],
  [/^data\.aws_vpc\.[^.]+\.id$/, "vpc-0123456789abcdef0"],
];

/** The placeholder of a stand-in; throws for a traversal the table lacks. */
export function placeholderFor(traversal: string): unknown {
  const found = PLACEHOLDERS.find(([pattern]) => pattern.test(traversal));
  if (found === undefined) {
    throw new Error(
      `no placeholder value for ${traversal}: add one to PLACEHOLDERS in test/support/plan.ts`
    );
  }
  return found[1];
}

/**
 * The AWS projection of a stack, ready for an offline plan: no data
 * sources, every stand-in variable with a placeholder value, and the AWS
 * provider with placeholder keys and its API checks off.
 */
export function projectForPlan(tfJson: Json): Projection {
  const projection = projectAwsOnly(tfJson, {
    dropDataSources: true,
    standInValue: placeholderFor,
  });
  const providers = projection.json.provider as Record<string, Json[]> | undefined;
  providers?.aws?.forEach((config) => {
    for (const name of DROPPED_PROVIDER_ARGUMENTS) delete config[name];
    Object.assign(config, OFFLINE_PROVIDER_ARGUMENTS);
  });
  return projection;
}

/**
 * How to run a command without network: `unshare -n` as root, or
 * `unshare -rn` (a user namespace) otherwise. Returns the prefix to put
 * before the command, or why neither works here.
 */
export function networkIsolation(): { prefix: string[] } | { missing: string } {
  const tried: string[] = [];
  for (const flags of [["-n"], ["-r", "-n"]]) {
    const probe = spawnSync("unshare", [...flags, "true"], { encoding: "utf8" });
    if (probe.status === 0) return { prefix: ["unshare", ...flags] };
    const why = probe.error?.message ?? (probe.stderr.trim() || `exit ${probe.status}`);
    tried.push(`unshare ${flags.join(" ")}: ${why}`);
  }
  return {
    missing: `no empty network namespace can be made here (${tried.join("; ")})`,
  };
}

/** The outcome of one command. */
export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `binary args` in `dir` behind the isolation prefix, with the test CLI config. */
export function runIsolated(
  prefix: readonly string[],
  binary: string,
  args: readonly string[],
  dir: string,
  cliConfigFile: string
): Promise<Ran> {
  const [command, ...rest] = [...prefix, binary, ...args];
  return new Promise((done, fail) => {
    execFile(
      command,
      rest,
      { cwd: dir, env: terraformEnv(cliConfigFile), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          fail(new Error(`${command} ${rest.join(" ")} in ${dir}: ${error.message}`));
          return;
        }
        done({ code: error ? (error.code as number) : 0, stdout, stderr });
      }
    );
  });
}
