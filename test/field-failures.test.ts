/**
 * The manifest mistakes of ../shared/reference/field-failures.md, each as a
 * test of its whole kind: both sides of every boundary and each forbidden
 * combination, asserting the exact message.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { synth } from "../src/synth";
import { PAYMENTS, STAGING_ENV, load, payments, workspace } from "./support/manifests";

/** A service with one redis module `cache` carrying extra lines. */
function cache(lines: string, service = "payments", module = "cache") {
  const files = payments(`  - name: ${module}\n    type: redis\n${lines}`);
  files["svc/payments.yaml"] = files["svc/payments.yaml"].replace("name: payments", `name: ${service}`);
  return files;
}

describe("BR-01: the replication group id as it will be built", () => {
  test.each([
    // opta-<service>-<module>-xxxx: 11 fixed characters around the two names.
    ["a".repeat(20), "b".repeat(9), 40],
    ["a".repeat(5), "b".repeat(24), 40],
    ["a", "b", 13],
  ])("service %s with module %s gives %i characters and passes", (service, module) => {
    const { problems } = load(cache("", service, module));

    expect(problems).toEqual([]);
  });

  test.each([
    ["a".repeat(20), "b".repeat(10), 41],
    ["payments-backend-service", "sessioncache", 47],
  ])("fails when service %s with module %s would give %i characters", (service, module, length) => {
    const { problems } = load(cache("", service, module));

    expect(problems).toEqual([
      `svc/payments.yaml:6:11: modules[0].name: redis replication_group_id would be ${length} characters; maximum is 40, so shorten the service or module name (got "opta-${service}-${module}-xxxx"; allowed service and module names of at most 29 characters together)`,
    ]);
  });

  test("the check also covers a module whose name is its default", () => {
    const files = payments("  - type: aws-redis\n");
    files["svc/payments.yaml"] = files["svc/payments.yaml"].replace("name: payments", `name: ${"s".repeat(22)}`);

    const { problems } = load(files);

    expect(problems).toEqual([
      `svc/payments.yaml:6:11: modules[0].type: redis replication_group_id would be 41 characters; maximum is 40, so shorten the service or module name (got "opta-${"s".repeat(22)}-awsredis-xxxx"; allowed service and module names of at most 29 characters together)`,
    ]);
  });

  test.each(["Payments", "9lives", "a--b", "pay-", "pay_ments", "-pay"])(
    "fails on a service name the id, namespace or secret cannot hold (%s)",
    (service) => {
      const { problems } = load(cache("", service));

      expect(problems).toEqual([
        `svc/payments.yaml:1:7: name: is not valid (got "${service}"; allowed lowercase letters, digits and single dashes, starting with a letter and not ending with a dash)`,
      ]);
    },
  );

  test("fails on a service name longer than a Kubernetes namespace", () => {
    const { problems } = load(cache("", "a".repeat(64)));

    expect(problems).toContain(
      `svc/payments.yaml:1:7: name: is too long (64 characters) (got "${"a".repeat(64)}"; allowed at most 63 characters)`,
    );
  });

  test.each(["Cache", "my-cache", "my_cache", "1cache"])("fails on a module name the id cannot hold (%s)", (module) => {
    const { problems } = load(cache("", "payments", module));

    expect(problems).toEqual([
      `svc/payments.yaml:6:11: modules[0].name: is not valid (got "${module}"; allowed lowercase letters and digits, starting with a letter)`,
    ]);
  });
});

describe("BR-05: engine versions", () => {
  test.each([
    ['"6.0"', "6.0"],
    ['"6.2"', "6.2"],
    ['"7.0"', "7.0"],
    ['"7.1"', "7.1"],
    ['"6.x"', "6.x"],
    ["7.1", "7.1"],
    ["7.0", "7.0"],
  ])("accepts %s as engine_version %s", (written, version) => {
    const { result } = load(cache(`    redis_version: ${written}\n`));

    expect(result!.project.services[0].redis[0].engineVersion).toBe(version);
  });

  test.each(["7.0.7", "7.x", "7", "8.0.1", "5.0.6", "8.2"])("fails on redis_version %s", (version) => {
    const { problems } = load(cache(`    redis_version: "${version}"\n`));

    expect(problems).toEqual([
      `svc/payments.yaml:8:20: modules[0].redis_version: is not valid (got "${version}"; allowed <major>.<minor>: for redis 6.0, 6.2, 7.0, 7.1 or opta's 6.x; for valkey 7.2, 8.0, 8.1)`,
    ]);
  });

  test.each(["7.2", "8.0", "8.1"])("fails on the Valkey-only version %s with the default engine redis", (version) => {
    const { problems } = load(cache(`    redis_version: "${version}"\n`));

    expect(problems).toEqual([
      `svc/payments.yaml:8:20: modules[0].redis_version: ${version} is a valkey version, not a redis one; set engine: valkey to use it (got "${version}"; allowed 6.0, 6.2, 7.0, 7.1, 6.x for engine redis)`,
    ]);
  });

  test.each(["7.2", "8.0", "8.1"])("accepts valkey %s as engine valkey, engine_version %s", (version) => {
    const { result } = load(cache(`    engine: valkey\n    engine_version: ${version}\n`));

    expect(result!.project.services[0].redis[0]).toMatchObject({ engine: "valkey", engineVersion: version });
  });
});

describe("BR-04 and BR-06: failover needs two nodes; a parameter group follows the version", () => {
  const synthCache = (lines: string) => {
    const cwd = workspace(cache(lines));
    synth({ files: ["svc/payments.yaml"], cwd, outdir: "out" });
    const tf = JSON.parse(readFileSync(join(cwd, "out/stacks/staging-payments/cdk.tf.json"), "utf8"));
    return tf.resource;
  };

  test.each([
    [1, false],
    [2, true],
    [6, true],
  ])("num_cache_clusters %i writes failover and multi-AZ %p, never multi-AZ alone", (n, on) => {
    const group = synthCache(`    num_cache_clusters: ${n}\n`).aws_elasticache_replication_group.cache_replication_group;

    expect(group).toMatchObject({ num_cache_clusters: n, automatic_failover_enabled: on, multi_az_enabled: on });
  });

  test.each([
    ['"6.x"', "redis6.x"],
    ['"6.2"', "redis6.x"],
    ['"7.1"', "redis7"],
  ])("redis_version %s with parameters gives the family %s, and engine_version is always written", (version, family) => {
    const resource = synthCache(`    redis_version: ${version}\n    parameters: {timeout: 300}\n`);

    expect(resource.aws_elasticache_parameter_group.cache_parameter_group.family).toBe(family);
    expect(resource.aws_elasticache_replication_group.cache_replication_group.engine_version).toBe(JSON.parse(version));
  });

  test("without parameters no parameter group is named, so AWS uses its default for the version", () => {
    const resource = synthCache('    redis_version: "6.x"\n');

    expect(resource.aws_elasticache_parameter_group).toBeUndefined();
    expect(resource.aws_elasticache_replication_group.cache_replication_group.parameter_group_name).toBeUndefined();
  });
});

describe("BR-07: snapshot and maintenance windows", () => {
  test.each(["04:00-05:00", "23:30-00:30", "00:00-01:00", "04:00-06:30"])("accepts snapshot_window %s", (w) => {
    expect(load(cache(`    snapshot_window: "${w}"\n`)).problems).toEqual([]);
  });

  test.each([
    ["05:00-05:30", 30],
    ["04:00-04:59", 59],
    ["23:30-00:29", 59],
    ["04:00-04:00", 0],
  ])("fails on snapshot_window %s (%i minutes)", (w, minutes) => {
    const { problems } = load(cache(`    snapshot_window: "${w}"\n`));

    expect(problems).toEqual([
      `svc/payments.yaml:8:22: modules[0].snapshot_window: snapshot_window must be at least 60 minutes (it is ${minutes}) (got "${w}"; allowed a window of 60 minutes or more, such as 04:00-05:00)`,
    ]);
  });

  test.each(["5:00-6:00", "23:30-24:30", "04:00 - 05:00", "04:00"])("fails on a snapshot_window of the wrong form (%s)", (w) => {
    const { problems } = load(cache(`    snapshot_window: "${w}"\n`));

    expect(problems).toEqual([
      `svc/payments.yaml:8:22: modules[0].snapshot_window: is not valid (got "${w}"; allowed hh24:mi-hh24:mi in UTC, e.g. 04:00-05:00)`,
    ]);
  });

  test.each([0, 35])("accepts snapshot_retention_limit %i", (n) => {
    expect(load(cache(`    snapshot_retention_limit: ${n}\n`)).problems).toEqual([]);
  });

  test.each([-1, 36, 40])("fails on snapshot_retention_limit %i", (n) => {
    const { problems } = load(cache(`    snapshot_retention_limit: ${n}\n`));

    expect(problems).toEqual([
      `svc/payments.yaml:8:31: modules[0].snapshot_retention_limit: out of range (got ${n}; allowed 0 to 35)`,
    ]);
  });

  test("fails on a retention that is not a whole number", () => {
    const { problems } = load(cache(`    snapshot_retention_limit: "7"\n`));

    expect(problems).toEqual([
      'svc/payments.yaml:8:31: modules[0].snapshot_retention_limit: must be a whole number (got "7")',
    ]);
  });

  test.each([
    ["04:00-05:00", "sun:05:00-sun:06:00"],
    ["04:00-05:00", "sun:03:00-sun:04:00"],
    ["00:00-01:00", "sat:22:30-sat:23:59"],
  ])("accepts a maintenance window that only touches or misses the snapshot window (%s / %s)", (snap, maint) => {
    const lines = `    snapshot_window: "${snap}"\n    maintenance_window: "${maint}"\n`;

    expect(load(cache(lines)).problems).toEqual([]);
  });

  test.each([
    ["04:00-05:00", "sun:04:30-sun:05:30"],
    ["04:00-05:00", "wed:04:00-wed:05:00"],
    ["04:00-05:00", "mon:03:00-mon:07:00"],
    ["23:30-00:30", "tue:00:00-tue:01:00"],
    ["00:00-01:00", "sat:23:30-sun:00:30"],
  ])("fails when the maintenance window overlaps the snapshot window (%s / %s)", (snap, maint) => {
    const lines = `    snapshot_window: "${snap}"\n    maintenance_window: "${maint}"\n`;

    const { problems } = load(cache(lines));

    expect(problems).toEqual([
      `svc/payments.yaml:9:25: modules[0].maintenance_window: maintenance_window overlaps the daily snapshot_window ${snap}; AWS refuses that at apply (got "${maint}"; allowed a weekly window outside the snapshot window on every day)`,
    ]);
  });

  test("the default snapshot window counts for the overlap too", () => {
    const { problems } = load(cache(`    maintenance_window: "thu:04:30-thu:05:30"\n`));

    expect(problems).toEqual([
      'svc/payments.yaml:8:25: modules[0].maintenance_window: maintenance_window overlaps the daily snapshot_window 04:00-05:00; AWS refuses that at apply (got "thu:04:30-thu:05:30"; allowed a weekly window outside the snapshot window on every day)',
    ]);
  });

  test.each([
    ["sun:06:00-sun:06:59", 59],
    ["sun:06:00-sun:06:00", 0],
  ])("fails on a maintenance window under 60 minutes (%s)", (maint, minutes) => {
    const { problems } = load(cache(`    maintenance_window: "${maint}"\n`));

    expect(problems).toEqual([
      `svc/payments.yaml:8:25: modules[0].maintenance_window: maintenance_window must be at least 60 minutes (it is ${minutes}) (got "${maint}"; allowed a window of 60 minutes or more, such as sun:06:00-sun:07:00)`,
    ]);
  });

  test.each(["Sun:06:00-Sun:07:00", "sun:6:00-sun:7:00", "sunday:06:00-sunday:07:00"])(
    "fails on a maintenance window of the wrong form (%s)",
    (maint) => {
      const { problems } = load(cache(`    maintenance_window: "${maint}"\n`));

      expect(problems).toEqual([
        `svc/payments.yaml:8:25: modules[0].maintenance_window: is not valid (got "${maint}"; allowed ddd:hh24:mi-ddd:hh24:mi in UTC with a lowercase day, e.g. sun:06:00-sun:07:00)`,
      ]);
    },
  );

  test("fails when the snapshot window leaves no room for the default maintenance window", () => {
    const { problems } = load(cache(`    snapshot_window: "00:00-22:01"\n`));

    expect(problems).toEqual([
      'svc/payments.yaml:8:22: modules[0].snapshot_window: snapshot_window leaves no room for the default maintenance window; set maintenance_window (got "00:00-22:01"; allowed a snapshot window that leaves two free hours a day, or an explicit maintenance_window)',
    ]);
  });

  test("a long snapshot window is fine with an explicit maintenance window outside it", () => {
    const lines = `    snapshot_window: "00:00-22:01"\n    maintenance_window: "sun:22:01-sun:23:01"\n`;

    expect(load(cache(lines)).problems).toEqual([]);
  });
});

describe("BR-10: the password stays the same across synths", () => {
  test("random_password and its address are byte-identical after an unrelated change", () => {
    const cwd = workspace({ "env/staging.yaml": STAGING_ENV, "svc/payments.yaml": PAYMENTS });
    const password = () => {
      synth({ files: ["svc/payments.yaml"], cwd, outdir: "out" });
      const tf = JSON.parse(readFileSync(join(cwd, "out/stacks/staging-payments/cdk.tf.json"), "utf8"));
      // Without cdktf's "//" metadata, which names the construct path.
      return JSON.stringify(tf.resource.random_password, (k, v) => (k === "//" ? undefined : v));
    };

    const first = password();
    const second = password();
    writeFileSync(join(cwd, "svc/payments.yaml"), PAYMENTS.replace('"04:00-05:00"', '"03:00-04:00"'));
    const third = password();

    expect(first).toBe('{"cache_auth_token":{"length":32,"special":false}}');
    expect(second).toBe(first);
    expect(third).toBe(first);
    const tf = JSON.parse(readFileSync(join(cwd, "out/stacks/staging-payments/cdk.tf.json"), "utf8"));
    expect(tf.resource.aws_elasticache_replication_group.cache_replication_group).toMatchObject({
      snapshot_window: "03:00-04:00",
      maintenance_window: "sun:05:00-sun:06:00",
      auth_token_update_strategy: "ROTATE",
    });
  });
});

describe("BR-14: renamed keys that the pod would never see", () => {
  const link = (rename: string) =>
    payments(`  - name: cache\n    type: redis\n  - name: app\n    type: k8s-service\n    links:\n      - cache: [${rename}]\n`);

  test.each(["CACHE-HOST", "cache.host", "1HOST", "HOST;", "HO ST", ""])("fails on env var name %j", (name) => {
    const { problems } = load(link(`{cache_host: "${name}", cache_auth_token: AUTH}`));

    expect(problems).toEqual([
      `svc/payments.yaml:11:30: modules[1].links[0].cache[0].cache_host: env var name ${JSON.stringify(name)} is invalid; the pod would start without it (got ${JSON.stringify(name)}; allowed an environment variable name: letters, digits and underscores, not starting with a digit)`,
    ]);
  });

  test.each(["_HOST", "host", "CACHE_HOST_2", "h"])("accepts env var name %s", (name) => {
    const { result } = load(link(`{cache_host: ${name}, cache_auth_token: AUTH}`));

    expect(result!.project.services[0].k8sService!.links[0].rename).toEqual({ cache_host: name, cache_auth_token: "AUTH" });
  });

  test.each([
    ["{cache_host: H}", "missing cache_auth_token", "cache_host"],
    ["{cache_auth_token: A}", "missing cache_host", "cache_auth_token"],
    ["{}", "missing cache_host, cache_auth_token", "an empty map"],
    ["{cache_host: H, cache_auth_token: A, port: P}", "unknown port", "cache_host, cache_auth_token, port"],
    ["{host: H, cache_auth_token: A}", "missing cache_host; unknown host", "host, cache_auth_token"],
  ])("fails on rename map %s", (rename, detail, got) => {
    const { problems } = load(link(rename));

    expect(problems).toEqual([
      `svc/payments.yaml:11:17: modules[1].links[0].cache[0]: rename map for link 'cache' must rename all of cache_host, cache_auth_token (${detail}) (got ${got}; allowed cache_host, cache_auth_token)`,
    ]);
  });
});

describe("BR-17 and BR-19: account, VPC and subnet formats", () => {
  const base = (lines: string) => ({
    "env/staging.yaml": STAGING_ENV.replace("  - type: base\n", `  - type: base\n${lines}`),
  });

  test("fails on an 11-digit unquoted account id", () => {
    const { problems } = load(
      { "env/staging.yaml": STAGING_ENV.replace('"111111111111"', "11111111111") },
      ["env/staging.yaml"],
    );

    expect(problems).toEqual([
      'env/staging.yaml:6:17: providers.aws.account_id: must be a 12-digit string; quote it in YAML so no digit is lost (got 11111111111; allowed a quoted 12-digit id, such as "011111111111")',
    ]);
  });

  test.each(["vpc-0123456789abcdef0", "vpc-01234567"])("accepts vpc_id %s", (id) => {
    expect(load(base(`    vpc_id: ${id}\n`), ["env/staging.yaml"]).problems).toEqual([]);
  });

  test.each(["vpc-123", "vpc-0123456789ABCDEF0", "0123456789abcdef0", "subnet-01234567"])("fails on vpc_id %s", (id) => {
    const { problems } = load(base(`    vpc_id: ${id}\n`), ["env/staging.yaml"]);

    expect(problems).toEqual([
      `env/staging.yaml:9:13: modules[0].vpc_id: is not valid (got "${id}"; allowed vpc- followed by 8 or 17 lowercase hex digits)`,
    ]);
  });

  test("fails on a single private subnet", () => {
    const { problems } = load(base("    private_subnet_ids: [subnet-01234567]\n"), ["env/staging.yaml"]);

    expect(problems).toEqual([
      "env/staging.yaml:9:25: modules[0].private_subnet_ids: needs at least 2 items (got 1 item; allowed at least 2 unique subnet ids)",
    ]);
  });

  test("fails on a repeated private subnet", () => {
    const { problems } = load(base("    private_subnet_ids: [subnet-01234567, subnet-01234567]\n"), ["env/staging.yaml"]);

    expect(problems).toEqual([
      'env/staging.yaml:9:43: modules[0].private_subnet_ids[1]: duplicate of item 0; items must be unique (got "subnet-01234567"; allowed at least 2 unique subnet ids)',
    ]);
  });

  test("fails on a private subnet id of the wrong form", () => {
    const { problems } = load(base("    private_subnet_ids: [subnet-01234567, sub-1]\n"), ["env/staging.yaml"]);

    expect(problems).toEqual([
      'env/staging.yaml:9:43: modules[0].private_subnet_ids[1]: is not valid (got "sub-1"; allowed subnet- followed by 8 or 17 lowercase hex digits)',
    ]);
  });
});
