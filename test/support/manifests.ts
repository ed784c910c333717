import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { LoadResult, loadProject } from "../../src/manifest/load";
import { ManifestError, formatProblem, formatWarning } from "../../src/problems";

/** The standard env of the field-failure cases, as `env/staging.yaml`. */
export const STAGING_ENV = `name: staging
org_name: acme
providers:
  aws:
    region: us-east-1
    account_id: "111111111111"
modules:
  - type: base
`;

/** The standard service of the field-failure cases, as `svc/payments.yaml`. */
export const PAYMENTS = `name: payments
environments:
  - name: staging
    path: "../env/staging.yaml"
modules:
  - name: cache
    type: redis
    node_type: cache.t3.medium
    redis_version: "7.1"
    snapshot_window: "04:00-05:00"
    snapshot_retention_limit: 7
  - name: app
    type: k8s-service
    image: AUTO
    links:
      - cache
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Writes files (path -> content) into a fresh folder and returns it. */
export function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "strata-test-"));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

export interface Outcome {
  readonly result?: LoadResult;
  /** Every problem, formatted as the CLI prints it. */
  readonly problems: string[];
  readonly warnings: string[];
}

/** Loads `entry` files of a workspace; never throws for manifest problems. */
export function load(
  files: Record<string, string>,
  entry: string[] = ["svc/payments.yaml"],
  options: { env?: string; strict?: boolean; adopt?: boolean } = {},
): Outcome {
  const cwd = workspace(files);
  try {
    const result = loadProject(entry, { cwd, ...options });
    return { result, problems: [], warnings: result.warnings.map(formatWarning) };
  } catch (err) {
    if (err instanceof ManifestError) return { problems: err.problems.map(formatProblem), warnings: [] };
    throw err;
  }
}

/** The payments service with its module list replaced. */
export function payments(modules: string, extra = ""): Record<string, string> {
  return {
    "env/staging.yaml": STAGING_ENV,
    "svc/payments.yaml": `name: payments
environments:
  - name: staging
    path: "../env/staging.yaml"
${extra}modules:
${modules}`,
  };
}
