/**
 * strata's synth takes shortcuts through cdktf (no preparing resolve, no
 * per-token stack traces, stack JSON kept in memory and serialized by
 * strata). Each is only allowed if the files come out exactly as cdktf's
 * own, unmodified synth writes them: these tests compare the two byte for
 * byte.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { App, TerraformStack } from "cdktf";
import { sharedDir } from "./support/shared";
import { assemble } from "../src/assemble";
import { loadProject } from "../src/manifest/load";
import { exampleFiles, packageRoot } from "../src/paths";
import { synth, synthesizeFiles } from "../src/synth";
import { workspace } from "./support/manifests";

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "strata-equivalence-"));
  made.push(dir);
  return dir;
}

/** Every file below `root`, relative path to bytes. */
function filesBelow(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(relative(root, full).split("\\").join("/"), readFileSync(full));
    }
  };
  walk(root);
  return out;
}

/**
 * What plain cdktf writes for the manifests: its full preparation of every
 * stack (the cross-stack resolve strata skips), its own stack synthesizer
 * and `app.synth()` writing straight into the folder.
 */
function cdktfReference(files: readonly string[], cwd: string): Map<string, Buffer> {
  const outdir = join(freshDir(), "out");
  const { project } = loadProject(files, { cwd });
  const app = new App({ outdir, stackTraces: false });
  assemble(app, project);
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
    TerraformStack.prototype.prepareStack.call(stack);
  }
  app.synth();
  return filesBelow(outdir);
}

/** What `synth()` publishes; the files are absolute, so any cwd will do. */
function strata(files: readonly string[]): Map<string, Buffer> {
  const cwd = freshDir();
  synth({ files, cwd, outdir: "out" });
  return filesBelow(join(cwd, "out"));
}

function expectSameFiles(actual: Map<string, Buffer>, expected: Map<string, Buffer>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  const differing = [...expected].filter(([rel, bytes]) => !actual.get(rel)!.equals(bytes)).map(([rel]) => rel);
  expect(differing).toEqual([]);
}

/** A service file with every cache option the examples leave out. */
const OPTIONS_SERVICE = `name: options
environments:
  - {name: staging, path: ../env/staging.yaml}
modules:
  - name: single
    type: redis
    engine: valkey
    engine_version: "8.1"
    num_cache_clusters: 1
    parameters: {maxmemory-policy: volatile-lru}
    apply_immediately: false
    auto_minor_version_upgrade: false
    slow_log: {enabled: false}
    final_snapshot: false
    restore_from_snapshot: automatic.opta-options-single-ab12-2025-01-31-04-00
    notification_topic_arn: arn:aws:sns:us-east-1:111111111111:cache-events
    alarms: {topic_arn: "arn:aws:sns:us-east-1:111111111111:cache-alarms"}
  - name: legacy
    type: redis
    redis_version: "6.x"
    parameters: {timeout: 0}
    engine_log: {enabled: true, retention_days: 3653}
    tags: {team: options, "2": two, "11": eleven}
  - name: app
    type: k8s-service
    create_namespace: false
`;

const STAGING = `name: staging
org_name: acme
providers:
  aws:
    region: us-east-1
    account_id: "111111111111"
    default_tags: {team: platform}
  kubernetes: {config_path: ~/.kube/config, config_context: staging}
state:
  backend: s3
  bucket: acme-state
  lock: dynamodb
  dynamodb_table: acme-locks
  create_bucket: true
modules:
  - type: base
    vpc_tags: {Name: main}
`;

describe("strata synth writes what plain cdktf writes", () => {
  test("for the bundled examples", () => {
    const files = exampleFiles();
    const cwd = packageRoot();

    expectSameFiles(strata(files), cdktfReference(files, cwd));
  });

  test("for caches with every option, one node, a kubeconfig and S3 state with a lock table", () => {
    const cwd = workspace({ "env/staging.yaml": STAGING, "svc/options.yaml": OPTIONS_SERVICE });
    const files = [join(cwd, "svc/options.yaml")];

    const expected = cdktfReference(files, cwd);

    // One node makes the redis construct warn, so manifest.json carries an annotation.
    expect(expected.get("manifest.json")!.toString()).toContain('"level": "@cdktf/warn"');
    expectSameFiles(strata(files), expected);
  });

  test("for the bundled examples as HCL, when SYNTH_HCL_OUTPUT asks cdktf for it", () => {
    const files = exampleFiles();
    const previous = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = "true";
    try {
      const expected = cdktfReference(files, packageRoot());

      expect(expected.has("stacks/staging/cdk.tf")).toBe(true);
      expectSameFiles(strata(files), expected);
    } finally {
      if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = previous;
    }
  });

  const optaServices = ["ci-aws/service-redis.yml", "generated-aws/module-redis.yaml"];
  test("for opta's own manifests", () => {
    const optaDir = join(sharedDir(), "fixtures", "opta");
    const files = optaServices.map((f) => join(optaDir, f));

    expectSameFiles(strata(files), cdktfReference(files, optaDir));
  });
});

describe("synth without token traces", () => {
  /** The examples' model with the first cache given a node type the construct refuses. */
  function brokenProject() {
    const { project } = loadProject(exampleFiles(), { cwd: packageRoot() });
    const services = project.services.map((s, i) =>
      i === project.services.findIndex((x) => x.redis.length > 0)
        ? { ...s, redis: [{ ...s.redis[0], nodeType: "cache.bogus" }, ...s.redis.slice(1)] }
        : s,
    );
    return { ...project, services };
  }

  test("gives Error.captureStackTrace back after a synth", () => {
    const capture = Error.captureStackTrace;

    strata(exampleFiles());

    expect(Error.captureStackTrace).toBe(capture);
  });

  test("gives Error.captureStackTrace back when a construct throws, and the error keeps its message and stack", () => {
    const capture = Error.captureStackTrace;

    let thrown: Error | undefined;
    try {
      synthesizeFiles(brokenProject());
    } catch (err) {
      thrown = err as Error;
    }

    expect(Error.captureStackTrace).toBe(capture);
    expect(thrown?.message).toMatch(/^\[[a-z-]+\/cache\] nodeType: unknown node type \(got "cache\.bogus"; allowed /);
    expect(thrown?.stack).toMatch(/\n {4}at new Redis /);
  });
});
