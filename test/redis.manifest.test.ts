/**
 * The redis module's manifest fields of issue 5: what each gives the model on
 * its own, both sides of every limit, and each forbidden combination, with
 * the exact message and its position.
 */
import { STAGING_ENV, load, payments } from "./support/manifests";

/** The payments service with one redis module `cache` carrying extra lines. */
function cache(lines: string) {
  return payments(`  - name: cache\n    type: redis\n${lines}`);
}

/** The model of the one cache, or the problems when there are any. */
function model(lines: string) {
  const { result, problems } = load(cache(lines));
  if (!result) throw new Error(problems.join("\n"));
  return result.project.services[0].redis[0];
}

function problemsOf(lines: string): string[] {
  return load(cache(lines)).problems;
}

const TOPIC = "arn:aws:sns:us-east-1:111111111111:cache-alarms";

describe("each field on its own reaches the model", () => {
  test.each([
    ["num_cache_clusters: 3", { numCacheClusters: 3 }],
    ["preferred_availability_zones: [us-east-1a, us-east-1b]", { preferredAvailabilityZones: ["us-east-1a", "us-east-1b"] }],
    ["engine: valkey", { engine: "valkey" }],
    ['engine_version: "7.0"', { engineVersion: "7.0" }],
    ["parameters: {maxmemory-policy: allkeys-lru}", { parameters: { "maxmemory-policy": "allkeys-lru" } }],
    ["apply_immediately: true", { applyImmediately: true }],
    ["auto_minor_version_upgrade: false", { autoMinorVersionUpgrade: false }],
    ["slow_log: {retention_days: 7}", { slowLog: { retentionDays: 7 } }],
    ["slow_log: {enabled: false}", { slowLog: { enabled: false } }],
    ["engine_log: {enabled: true, retention_days: 14}", { engineLog: { enabled: true, retentionDays: 14 } }],
    [`alarms: {topic_arn: "${TOPIC}", cpu_percent: 75}`, { alarms: { topicArn: TOPIC, cpuPercent: 75 } }],
    [`notification_topic_arn: "${TOPIC}"`, { notificationTopicArn: TOPIC }],
    ["final_snapshot: false", { finalSnapshot: false }],
    ["restore_from_snapshot: payments-before-move", { restoreFromSnapshot: "payments-before-move" }],
    ["tags: {team: payments}", { tags: { team: "payments" } }],
  ])("%s", (line, expected) => {
    expect(model(`    ${line}\n`)).toMatchObject({ name: "cache", ...expected });
  });

  test("nothing new given leaves every new field out, so the construct's defaults apply", () => {
    expect(model("")).toEqual({ name: "cache" });
  });

  test("unquoted versions and parameter numbers are read as written", () => {
    const m = model("    engine: valkey\n    engine_version: 8.0\n    parameters:\n      activedefrag-cycle-min: 1.10\n");

    expect(m.engineVersion).toBe("8.0");
    expect(m.parameters).toEqual({ "activedefrag-cycle-min": "1.10" });
  });

  test("redis_version and engine_version may both be given when equal", () => {
    expect(model('    redis_version: "7.0"\n    engine_version: "7.0"\n').engineVersion).toBe("7.0");
  });

  test("placeholders work in nested values", () => {
    const m = model('    alarms:\n      topic_arn: "arn:aws:sns:{aws.region}:{aws.account_id}:{env}-alarms"\n');

    expect(m.alarms!.topicArn).toBe("arn:aws:sns:us-east-1:111111111111:staging-alarms");
  });
});

describe("limits of each field", () => {
  test.each([1, 6])("num_cache_clusters %i is accepted (min, max)", (n) => {
    expect(problemsOf(`    num_cache_clusters: ${n}\n`)).toEqual([]);
  });

  test.each([0, 7])("fails on num_cache_clusters %i (min-1, max+1)", (n) => {
    expect(problemsOf(`    num_cache_clusters: ${n}\n`)).toEqual([
      `svc/payments.yaml:8:25: modules[0].num_cache_clusters: out of range (got ${n}; allowed 1 to 6)`,
    ]);
  });

  test("fails on an engine other than redis and valkey", () => {
    expect(problemsOf("    engine: memcached\n")).toEqual([
      'svc/payments.yaml:8:13: modules[0].engine: not a known value (got "memcached"; allowed redis, valkey)',
    ]);
  });

  test.each(["7.0.7", "8.2", "9"])("fails on engine_version %s", (version) => {
    expect(problemsOf(`    engine_version: "${version}"\n`)).toEqual([
      `svc/payments.yaml:8:21: modules[0].engine_version: is not valid (got "${version}"; allowed <major>.<minor>: for redis 6.0, 6.2, 7.0, 7.1 or opta's 6.x; for valkey 7.2, 8.0, 8.1)`,
    ]);
  });

  test.each(["us-east-1", "use1-az1", "US-EAST-1A"])("fails on zone %s", (zone) => {
    expect(problemsOf(`    preferred_availability_zones: [us-east-1a, ${zone}]\n`)).toEqual([
      `svc/payments.yaml:8:48: modules[0].preferred_availability_zones[1]: is not valid (got "${zone}"; allowed an availability zone name such as us-east-1a, in the environment's region)`,
    ]);
  });

  test.each([1, 3653])("retention_days %i is accepted (min, max)", (days) => {
    expect(problemsOf(`    engine_log: {retention_days: ${days}}\n`)).toEqual([]);
  });

  test.each([0, 2, 3654])("fails on retention_days %i", (days) => {
    expect(problemsOf(`    slow_log: {retention_days: ${days}}\n`)).toEqual([
      `svc/payments.yaml:8:32: modules[0].slow_log.retention_days: not a known value (got ${days}; allowed 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)`,
    ]);
  });

  test("fails on an unknown key in a log block, suggesting the closest", () => {
    expect(problemsOf("    slow_log: {retention_day: 7}\n")).toEqual([
      'svc/payments.yaml:8:16: modules[0].slow_log.retention_day: unknown key; did you mean retention_days? (got "retention_day"; allowed enabled, retention_days)',
    ]);
  });

  const thresholds = [
    ["cpu_percent", 1, 100],
    ["memory_percent", 1, 100],
    ["evictions", 0, 100000000],
    ["connections", 1, 65000],
    ["replication_lag_seconds", 1, 86400],
  ] as const;

  test.each(thresholds.flatMap(([f, min, max]) => [[f, min], [f, max]]))("alarms %s %i is accepted (min, max)", (field, value) => {
    expect(problemsOf(`    alarms: {topic_arn: "${TOPIC}", ${field}: ${value}}\n`)).toEqual([]);
  });

  test.each(thresholds.flatMap(([f, min, max]) => [[f, min - 1, min, max], [f, max + 1, min, max]]))(
    "fails on alarms %s %i (min-1, max+1)",
    (field, value, min, max) => {
      const [problem] = problemsOf(`    alarms:\n      topic_arn: "${TOPIC}"\n      ${field}: ${value}\n`);

      expect(problem).toBe(
        `svc/payments.yaml:10:${9 + field.length}: modules[0].alarms.${field}: out of range (got ${value}; allowed ${min} to ${max})`,
      );
    },
  );

  test.each([
    `${TOPIC}.fifo`,
    "arn:aws:sqs:us-east-1:111111111111:cache-alarms",
    "cache-alarms",
  ])("fails on topic ARN %s", (arn) => {
    expect(problemsOf(`    notification_topic_arn: "${arn}"\n`)).toEqual([
      `svc/payments.yaml:8:29: modules[0].notification_topic_arn: is not valid (got "${arn}"; allowed a standard SNS topic ARN, arn:aws:sns:<region>:<account>:<topic>, in the environment's region)`,
    ]);
  });

  test.each(["my snapshot", "arn:aws:elasticache:us-east-1:111111111111:snapshot:x"])("fails on restore_from_snapshot %j", (name) => {
    expect(problemsOf(`    restore_from_snapshot: "${name}"\n`)).toEqual([
      `svc/payments.yaml:8:28: modules[0].restore_from_snapshot: is not valid (got "${name}"; allowed a snapshot name: letters, digits, dots, dashes and underscores, starting with a letter or digit)`,
    ]);
  });

  test("fails on a parameter value that is a list", () => {
    expect(problemsOf("    parameters: {timeout: [1]}\n")).toEqual([
      "svc/payments.yaml:8:27: modules[0].parameters.timeout: must be a string or a number (got a list)",
    ]);
  });

  test("fails on more than 50 tags", () => {
    const tags = Array.from({ length: 51 }, (_, i) => `k${i}: v`).join(", ");

    expect(problemsOf(`    tags: {${tags}}\n`)).toEqual([
      "svc/payments.yaml:8:11: modules[0].tags: takes at most 50 entries (got 51 entries)",
    ]);
  });

  test("fails on a tag key AWS reserves, at the key", () => {
    expect(problemsOf('    tags: {"aws:team": payments}\n')).toEqual([
      'svc/payments.yaml:8:12: modules[0].tags.aws:team: is not a valid key (got "aws:team"; allowed 1-128 characters, not starting with aws:)',
    ]);
  });
});

describe("combinations", () => {
  test.each([
    ["engine: valkey\n    redis_version: \"7.1\"", "redis_version", "9:20", "7.1", "redis", "valkey", "7.2, 8.0, 8.1", ""],
    ["engine: valkey\n    engine_version: \"6.x\"", "engine_version", "9:21", "6.x", "redis", "valkey", "7.2, 8.0, 8.1", ""],
    ['redis_version: "8.0"', "redis_version", "8:20", "8.0", "valkey", "redis", "6.0, 6.2, 7.0, 7.1, 6.x", "; set engine: valkey to use it"],
  ])("fails on a version of the other engine (%j)", (lines, field, at, version, other, engine, allowed, hint) => {
    expect(problemsOf(`    ${lines}\n`)).toEqual([
      `svc/payments.yaml:${at}: modules[0].${field}: ${version} is a ${other} version, not a ${engine} one${hint} (got "${version}"; allowed ${allowed} for engine ${engine})`,
    ]);
  });

  test("fails when redis_version and engine_version differ", () => {
    expect(problemsOf('    redis_version: "7.1"\n    engine_version: "7.0"\n')).toEqual([
      'svc/payments.yaml:9:21: modules[0].engine_version: engine_version and redis_version name the same setting and differ (redis_version is 7.1) (got "7.0"; allowed one of the two, or the same version in both)',
    ]);
  });

  test("fails on one node with zones for two", () => {
    expect(problemsOf("    num_cache_clusters: 1\n    preferred_availability_zones: [us-east-1a, us-east-1b]\n")).toEqual([
      "svc/payments.yaml:9:35: modules[0].preferred_availability_zones: lists 2 zones for 1 node; give one zone per node, the primary's first (got 2 zones; allowed 1 zone)",
    ]);
  });

  test("fails on three zones for the default two nodes, saying so", () => {
    expect(problemsOf("    preferred_availability_zones: [us-east-1a, us-east-1b, us-east-1c]\n")).toEqual([
      "svc/payments.yaml:8:35: modules[0].preferred_availability_zones: lists 3 zones for 2 nodes (num_cache_clusters defaults to 2); give one zone per node, the primary's first (got 3 zones; allowed 2 zones)",
    ]);
  });

  test("fails on a zone of another region than the environment's", () => {
    expect(problemsOf("    preferred_availability_zones: [us-east-1a, us-west-2b]\n")).toEqual([
      'svc/payments.yaml:8:48: modules[0].preferred_availability_zones[1]: is not a zone of the environment\'s region us-east-1 (got "us-west-2b"; allowed a zone of us-east-1, such as us-east-1a)',
    ]);
  });

  test("fails on apply_immediately false with the default slow log", () => {
    expect(problemsOf("    apply_immediately: false\n")).toEqual([
      "svc/payments.yaml:8:24: modules[0].apply_immediately: false cannot go with log delivery, which AWS changes only immediately; slow_log is on (the slow log is on by default) (got false; allowed true, or slow_log and engine_log with enabled: false)",
    ]);
  });

  test("fails on apply_immediately false with the engine log given", () => {
    expect(problemsOf("    apply_immediately: false\n    slow_log: {enabled: false}\n    engine_log: {}\n")).toEqual([
      "svc/payments.yaml:8:24: modules[0].apply_immediately: false cannot go with log delivery, which AWS changes only immediately; engine_log is on (got false; allowed true, or slow_log and engine_log with enabled: false)",
    ]);
  });

  test("apply_immediately false with both logs off is accepted", () => {
    expect(
      model("    apply_immediately: false\n    slow_log: {enabled: false}\n    engine_log: {enabled: false}\n").applyImmediately,
    ).toBe(false);
  });

  test("fails on alarms without a topic", () => {
    expect(problemsOf("    alarms: {cpu_percent: 80}\n")).toEqual([
      'svc/payments.yaml:8:13: modules[0].alarms: alarms need topic_arn, the SNS topic they notify: without one nobody would hear of them (got {"cpu_percent":80}; allowed alarms: {topic_arn: arn:aws:sns:<region>:<account>:<topic>, ...})',
    ]);
  });

  test.each([
    ["alarms:\n      topic_arn", "alarms.topic_arn", "9:18", "CloudWatch alarms publish"],
    ["notification_topic_arn", "notification_topic_arn", "8:29", "ElastiCache sends a cache's events"],
  ])("fails on a topic of another region (%s)", (key, field, at, who) => {
    const arn = "arn:aws:sns:eu-west-1:111111111111:cache-alarms";

    expect(problemsOf(`    ${key}: "${arn}"\n`)).toEqual([
      `svc/payments.yaml:${at}: modules[0].${field}: is a topic of eu-west-1; ${who} only to a topic of their own region, us-east-1 (got "${arn}"; allowed a topic of us-east-1)`,
    ]);
  });

  test("fails on cluster-enabled yes", () => {
    expect(problemsOf('    parameters: {cluster-enabled: "yes"}\n')).toEqual([
      'svc/payments.yaml:8:35: modules[0].parameters.cluster-enabled: cluster-enabled yes turns on cluster mode, which strata does not generate (got "yes"; allowed no, or leave it out)',
    ]);
  });

  test("fails on a parameter name AWS does not spell that way", () => {
    expect(problemsOf("    parameters: {MaxMemory_Policy: noeviction}\n")).toEqual([
      'svc/payments.yaml:8:18: modules[0].parameters.MaxMemory_Policy: is not an ElastiCache parameter name (got "MaxMemory_Policy"; allowed an ElastiCache parameter name: lowercase letters, digits and dashes, starting with a letter, e.g. maxmemory-policy)',
    ]);
  });

  test("reports every combination at once", () => {
    const problems = problemsOf(
      `    engine: valkey\n    redis_version: "7.1"\n    apply_immediately: false\n    alarms: {evictions: 10}\n`,
    );

    expect(problems.map((p) => p.split(": ")[1])).toEqual([
      "modules[0].redis_version",
      "modules[0].apply_immediately",
      "modules[0].alarms",
    ]);
  });
});

describe("warnings", () => {
  test("one node is accepted with a warning that the cache has no failover", () => {
    const { result, warnings } = load(cache("    num_cache_clusters: 1\n"));

    expect(result!.project.services[0].redis[0].numCacheClusters).toBe(1);
    expect(warnings).toEqual([
      "svc/payments.yaml:8:25: warning: modules[0].num_cache_clusters: one node has no replica: automatic failover and multi-AZ are off, and a failed node takes the cache down and loses what the last snapshot does not hold",
    ]);
  });

  test("the warning is given once however many environments the service has", () => {
    const files = cache("    num_cache_clusters: 1\n");
    files["env/prod.yaml"] = STAGING_ENV.replace("name: staging", "name: prod");
    files["svc/payments.yaml"] = files["svc/payments.yaml"].replace(
      '    path: "../env/staging.yaml"\n',
      '    path: "../env/staging.yaml"\n  - name: prod\n    path: ../env/prod.yaml\n',
    );

    const { result, warnings } = load(files);

    expect(result!.project.services).toHaveLength(2);
    expect(warnings).toHaveLength(1);
  });

  test("a replication lag threshold on one node has no effect, and says so", () => {
    const { warnings } = load(
      cache(`    num_cache_clusters: 1\n    alarms:\n      topic_arn: "${TOPIC}"\n      replication_lag_seconds: 10\n`),
    );

    expect(warnings).toContain(
      "svc/payments.yaml:11:32: warning: modules[0].alarms.replication_lag_seconds: has no effect: a cache of one node has no replica to lag",
    );
  });

  test("two nodes give no warning", () => {
    expect(load(cache("    num_cache_clusters: 2\n")).warnings).toEqual([]);
  });
});
