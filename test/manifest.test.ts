import { PAYMENTS, STAGING_ENV, load, payments } from "./support/manifests";

const env = { "env/staging.yaml": STAGING_ENV };

describe("file kinds and environments", () => {
  test("a file with org_name is an environment, one without is a service", () => {
    const { result } = load({ ...env, "svc/payments.yaml": PAYMENTS });

    expect(result!.project.environments.map((e) => e.name)).toEqual(["staging"]);
    expect(result!.project.services.map((s) => [s.env.name, s.name])).toEqual([["staging", "payments"]]);
  });

  test("an environment file alone gives only the env stack's model", () => {
    const { result } = load(env, ["env/staging.yaml"]);

    expect(result!.project.environments).toHaveLength(1);
    expect(result!.project.services).toHaveLength(0);
    expect(result!.project.environments[0]).toMatchObject({
      name: "staging",
      orgName: "acme",
      region: "us-east-1",
      accountId: "111111111111",
      base: { name: "base" },
    });
  });

  test("environments[].path is relative to the service file, not the working folder", () => {
    const { result } = load(
      {
        "deep/envs/prod.yaml": STAGING_ENV.replace("name: staging", "name: prod"),
        "deep/svc/a/b/payments.yaml": PAYMENTS.replace('"../env/staging.yaml"', "../../../envs/prod.yaml"),
      },
      ["deep/svc/a/b/payments.yaml"],
    );

    expect(result!.project.services[0].env.name).toBe("prod");
  });

  test.each([
    ["staging.yml", "../env/staging.yaml"],
    ["staging.yaml", "../env/staging.yml"],
  ])("a missing extension falls back to the other one (%s named as %s)", (real, named) => {
    const { result } = load({
      [`env/${real}`]: STAGING_ENV,
      "svc/payments.yaml": PAYMENTS.replace('"../env/staging.yaml"', named),
    });

    expect(result!.project.services[0].env.name).toBe("staging");
  });

  test("fails when the environment file does not exist", () => {
    const { problems } = load({ "svc/payments.yaml": PAYMENTS });

    expect(problems).toEqual([
      'svc/payments.yaml:4:11: environments[0].path: environment file not found (got "../env/staging.yaml"; allowed a path relative to svc)',
    ]);
  });

  test("fails when the path names a service file instead of an environment", () => {
    const { problems } = load({
      "svc/other.yaml": "name: other\nenvironments: []\nmodules: []\n",
      "svc/payments.yaml": PAYMENTS.replace('"../env/staging.yaml"', "other.yaml"),
    });

    expect(problems).toEqual([
      'svc/payments.yaml:4:11: environments[0].path: is not an environment file (it has no org_name) (got "other.yaml")',
    ]);
  });

  test("fails when two entries resolve to the same environment", () => {
    const { problems } = load({
      ...env,
      "svc/payments.yaml": PAYMENTS.replace(
        '    path: "../env/staging.yaml"\n',
        '    path: "../env/staging.yaml"\n  - name: again\n    path: ../env/staging.yml\n',
      ),
    });

    expect(problems).toEqual([
      'svc/payments.yaml:6:11: environments[1].path: names environment staging again (environments[0] already does) (got "../env/staging.yml")',
    ]);
  });

  test("fails when a service has its environment's name", () => {
    const { problems } = load({
      ...env,
      "svc/payments.yaml": PAYMENTS.replace("name: payments", "name: staging"),
    });

    expect(problems).toEqual([
      'svc/payments.yaml:1:7: name: a service cannot have the same name as its environment (got "staging")',
    ]);
  });

  test("--env keeps the named entry", () => {
    const { result } = load(
      {
        ...env,
        "env/prod.yaml": STAGING_ENV.replace("name: staging", "name: prod"),
        "svc/payments.yaml": PAYMENTS.replace(
          '    path: "../env/staging.yaml"\n',
          '    path: "../env/staging.yaml"\n  - name: prod\n    path: ../env/prod.yaml\n',
        ),
      },
      ["svc/payments.yaml"],
      { env: "prod" },
    );

    expect(result!.project.services.map((s) => s.env.name)).toEqual(["prod"]);
    expect(result!.project.environments.map((e) => e.name)).toEqual(["prod"]);
  });

  test("without --env every entry gets its own service stack", () => {
    const { result } = load({
      ...env,
      "env/prod.yaml": STAGING_ENV.replace("name: staging", "name: prod"),
      "svc/payments.yaml": PAYMENTS.replace(
        '    path: "../env/staging.yaml"\n',
        '    path: "../env/staging.yaml"\n  - name: prod\n    path: ../env/prod.yaml\n',
      ),
    });

    expect(result!.project.services.map((s) => s.env.name)).toEqual(["prod", "staging"]);
  });

  test("fails when --env names no entry, listing the valid ones", () => {
    const { problems } = load({ ...env, "svc/payments.yaml": PAYMENTS }, ["svc/payments.yaml"], { env: "prod" });

    expect(problems).toEqual([
      'svc/payments.yaml:3:3: environments: --env prod is not an environment of this service (got "prod"; allowed staging)',
    ]);
  });

  test("the --env key is the entry's name, not the environment's own name", () => {
    const files = {
      ...env,
      "svc/payments.yaml": PAYMENTS.replace("  - name: staging", "  - name: stg"),
    };

    expect(load(files, ["svc/payments.yaml"], { env: "stg" }).result!.project.services[0].entryName).toBe("stg");
    expect(load(files, ["svc/payments.yaml"], { env: "staging" }).problems).toHaveLength(1);
  });
});

describe("account ids", () => {
  const withAccount = (text: string) => ({
    "env/staging.yaml": STAGING_ENV.replace('account_id: "111111111111"', `account_id: ${text}`),
  });

  test("an unquoted id that YAML read as a number keeps its leading zero", () => {
    const { result } = load(withAccount("011111111111"), ["env/staging.yaml"]);

    expect(result!.project.environments[0].accountId).toBe("011111111111");
  });

  test("an unquoted 12-digit id is read as the string", () => {
    const { result } = load(withAccount("111111111111"), ["env/staging.yaml"]);

    expect(result!.project.environments[0].accountId).toBe("111111111111");
  });

  test.each([
    ["11111111111", "11111111111"],
    ["1111111111111", "1111111111111"],
  ])("fails on an unquoted id of the wrong length (%s)", (text, got) => {
    const { problems } = load(withAccount(text), ["env/staging.yaml"]);

    expect(problems).toEqual([
      `env/staging.yaml:6:17: providers.aws.account_id: must be a 12-digit string; quote it in YAML so no digit is lost (got ${got}; allowed a quoted 12-digit id, such as "011111111111")`,
    ]);
  });

  test.each(['"11111111111"', '"11111111111a"'])("fails on a quoted id that is not 12 digits (%s)", (text) => {
    const { problems } = load(withAccount(text), ["env/staging.yaml"]);

    expect(problems).toEqual([
      `env/staging.yaml:6:17: providers.aws.account_id: must be a 12-digit string (got ${text}; allowed a quoted 12-digit id, such as "011111111111")`,
    ]);
  });
});

describe("modules", () => {
  test.each([
    ["redis", "redis"],
    ["aws-redis", "awsredis"],
  ])("a module's default name is its type without dashes (%s -> %s)", (type, name) => {
    const { result } = load(payments(`  - type: ${type}\n`));

    expect(result!.project.services[0].redis.map((r) => r.name)).toEqual([name]);
  });

  test.each(["base", "aws-base", "env-init"])("%s selects the env-init module", (type) => {
    const { result } = load({ "env/staging.yaml": STAGING_ENV.replace("type: base", `type: ${type}`) }, ["env/staging.yaml"]);

    expect(result!.project.environments[0].base.name).toBe(type.replace(/-/g, ""));
  });

  test("k8s-service and aws-k8s-service are the same kind", () => {
    const { result } = load(payments("  - type: redis\n  - type: aws-k8s-service\n    links: [redis]\n"));

    expect(result!.project.services[0].k8sService).toEqual({
      name: "awsk8sservice",
      createNamespace: true,
      links: [{ target: "redis" }],
    });
  });

  test("the base module's existing VPC and subnets are carried", () => {
    const { result } = load(
      {
        "env/staging.yaml": STAGING_ENV.replace(
          "  - type: base\n",
          "  - type: base\n    vpc_id: vpc-0123456789abcdef0\n    private_subnet_ids: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]\n",
        ),
      },
      ["env/staging.yaml"],
    );

    expect(result!.project.environments[0].base).toEqual({
      name: "base",
      vpcId: "vpc-0123456789abcdef0",
      privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    });
  });

  test("module types strata does not generate are skipped with one warning each", () => {
    const { result, warnings } = load({
      "env/staging.yaml": STAGING_ENV + "  - type: k8s-cluster\n  - type: dns\n    domain: example.com\n",
      "svc/payments.yaml": PAYMENTS + "  - type: aws-s3\n    bucket_name: x\n",
    });

    expect(result).toBeDefined();
    expect(warnings).toEqual([
      "env/staging.yaml:9:11: warning: modules[1].type: module type k8s-cluster is not generated by strata; skipped",
      "env/staging.yaml:10:11: warning: modules[2].type: module type dns is not generated by strata; skipped",
      "svc/payments.yaml:12:5: warning: modules[1]: image not generated: strata makes the namespace and the link secret, not the workload",
      "svc/payments.yaml:17:11: warning: modules[2].type: module type aws-s3 is not generated by strata; skipped",
    ]);
  });

  test("--strict makes a skipped type an error", () => {
    const { problems } = load({ ...env, "svc/payments.yaml": PAYMENTS + "  - type: aws-s3\n" }, ["svc/payments.yaml"], {
      strict: true,
    });

    expect(problems).toEqual([
      'svc/payments.yaml:17:11: modules[2].type: module type aws-s3 is not generated by strata (--strict) (got "aws-s3")',
    ]);
  });

  test("fails on a type nobody knows, suggesting the closest one", () => {
    const { problems } = load(payments("  - type: rediss\n"));

    expect(problems).toEqual([
      'svc/payments.yaml:6:11: modules[0].type: rediss is not a module type; did you mean redis? (got "rediss"; allowed base, aws-base, env-init, redis, aws-redis, k8s-service, aws-k8s-service, or an opta type strata skips)',
    ]);
  });

  test("fails when two modules share a name, default names included", () => {
    const { problems } = load(payments("  - type: redis\n  - type: redis\n"));

    expect(problems).toEqual([
      'svc/payments.yaml:7:11: modules[1].type: module name redis is already used by modules[0] (a module\'s default name is its type without dashes; give one a name) (got "redis")',
    ]);
  });

  test("fails when a module sits in the wrong kind of file", () => {
    const { problems } = load(payments("  - type: base\n"));

    expect(problems).toEqual([
      'svc/payments.yaml:6:11: modules[0].type: a base module belongs in an environment file (got "base")',
    ]);
  });

  test("fails when an environment has no base module", () => {
    const { problems } = load(
      { "env/staging.yaml": STAGING_ENV.replace("  - type: base\n", "  - type: k8s-cluster\n") },
      ["env/staging.yaml"],
    );

    expect(problems).toEqual([
      "env/staging.yaml:8:3: modules: an environment needs a base module: its KMS key, subnet group and security group are what services find (allowed a module with type base or aws-base or env-init)",
    ]);
  });
});

describe("placeholders", () => {
  const withNodeType = (value: string, variables = "") =>
    payments(`  - name: cache\n    type: redis\n    node_type: "${value}"\n`, variables);

  test("{vars.X} takes the selected entry's variables", () => {
    const { result } = load(withNodeType("cache.{vars.size}", "    variables: {size: t4g.small}\n"));

    expect(result!.project.services[0].redis[0].nodeType).toBe("cache.t4g.small");
  });

  test("{env}, {layer_name}, {aws.region} and {aws.account_id} are replaced", () => {
    const { result } = load(
      payments(
        "  - name: app\n    type: k8s-service\n    env_vars:\n      - {name: A, value: \"{env}/{layer_name}/{aws.region}/{aws.account_id}/{{literal}}\"}\n",
      ),
    );

    expect(result).toBeDefined();
  });

  test("fails on an unknown placeholder, naming the ones that exist", () => {
    const { problems } = load(withNodeType("{vars.missing}", "    variables: {size: small}\n"));

    expect(problems).toEqual([
      'svc/payments.yaml:9:16: modules[0].node_type: unknown placeholder {vars.missing} (got "{vars.missing}"; allowed {aws.account_id}, {aws.region}, {env}, {layer_name}, {vars.size})',
    ]);
  });

  test("fails on a lone brace", () => {
    const { problems } = load(
      payments('  - name: app\n    type: k8s-service\n    env_vars:\n      - {name: A, value: "{\\"a\\": 1}"}\n'),
    );

    expect(problems).toEqual([
      'svc/payments.yaml:9:26: modules[0].env_vars[0].value: unbalanced brace; write {{ and }} for literal braces (got "{\\"a\\": 1}"; allowed {name} with a name from {aws.account_id}, {aws.region}, {env}, {layer_name})',
    ]);
  });
});

describe("links", () => {
  const linking = (links: string, modules = "  - name: cache\n    type: redis\n") =>
    payments(`  - name: app\n    type: k8s-service\n    links:\n${links}${modules}`);

  test("a target listed after the k8s-service is found", () => {
    const { result } = load(linking("      - cache\n"));

    expect(result!.project.services[0].k8sService!.links).toEqual([{ target: "cache" }]);
  });

  test.each([
    ["list form", "      - cache:\n          - cache_host: CACHEHOST\n            cache_auth_token: CACHEAUTH\n"],
    ["map form", "      - cache: {cache_host: CACHEHOST, cache_auth_token: CACHEAUTH}\n"],
  ])("a rename map in %s renames both fields", (_, links) => {
    const { result } = load(linking(links));

    expect(result!.project.services[0].k8sService!.links).toEqual([
      { target: "cache", rename: { cache_host: "CACHEHOST", cache_auth_token: "CACHEAUTH" } },
    ]);
  });

  test.each([["      - cache: []\n"], ["      - cache:\n"]])("an empty rename keeps the default names (%j)", (links) => {
    const { result } = load(linking(links));

    expect(result!.project.services[0].k8sService!.links).toEqual([{ target: "cache" }]);
  });

  test("fails on an incomplete rename map (BR-14 b)", () => {
    const { problems } = load(linking("      - cache:\n          - cache_host: CACHEHOST\n"));

    expect(problems).toEqual([
      "svc/payments.yaml:10:13: modules[0].links[0].cache[0]: rename map for link 'cache' must rename all of cache_host, cache_auth_token (missing cache_auth_token) (got cache_host; allowed cache_host, cache_auth_token)",
    ]);
  });

  test("fails on a rename map with an extra field", () => {
    const { problems } = load(
      linking("      - cache: {cache_host: A, cache_auth_token: B, cache_port: C}\n"),
    );

    expect(problems).toEqual([
      "svc/payments.yaml:9:16: modules[0].links[0].cache: rename map for link 'cache' must rename all of cache_host, cache_auth_token (unknown cache_port) (got cache_host, cache_auth_token, cache_port; allowed cache_host, cache_auth_token)",
    ]);
  });

  test("fails on an invalid env var name (BR-14 a)", () => {
    const { problems } = load(
      linking("      - cache:\n          - cache_host: CACHE-HOST\n            cache_auth_token: CACHEAUTH\n"),
    );

    expect(problems).toEqual([
      "svc/payments.yaml:10:25: modules[0].links[0].cache[0].cache_host: env var name \"CACHE-HOST\" is invalid; the pod would start without it (got \"CACHE-HOST\"; allowed an environment variable name: letters, digits and underscores, not starting with a digit)",
    ]);
  });

  test("fails on a rename to something other than a string", () => {
    const { problems } = load(linking("      - cache: [{cache_host: 123, cache_auth_token: TOKEN}]\n"));

    expect(problems).toEqual([
      "svc/payments.yaml:9:30: modules[0].links[0].cache[0].cache_host: a rename must be a string (got 123; allowed an environment variable name: letters, digits and underscores, not starting with a digit)",
    ]);
  });

  test("fails when a permission list is given to a redis link", () => {
    const { problems } = load(linking("      - cache: [read]\n"));

    expect(problems).toEqual([
      'svc/payments.yaml:9:17: modules[0].links[0].cache[0]: read is not a field a link to cache can add; permissions such as read or write are for buckets and queues (got "read"; allowed cache_port, cache_url and one rename map {cache_host: KEY, cache_auth_token: KEY, ...})',
    ]);
  });

  test.each([
    ["      - cache: [cache_url]\n", ["cache_url"]],
    ["      - cache: [cache_url, cache_port]\n", ["cache_port", "cache_url"]],
    ["      - cache:\n          - cache_port\n", ["cache_port"]],
  ])("a list of extra fields adds them, in the target's order (%j)", (links, extras) => {
    const { result } = load(linking(links));

    expect(result!.project.services[0].k8sService!.links).toEqual([{ target: "cache", extras }]);
  });

  test("a rename map in the list renames the defaults and the extras", () => {
    const { result } = load(linking("      - cache: [cache_url, {cache_host: H, cache_auth_token: T, cache_url: U}]\n"));

    expect(result!.project.services[0].k8sService!.links).toEqual([
      { target: "cache", extras: ["cache_url"], rename: { cache_host: "H", cache_auth_token: "T", cache_url: "U" } },
    ]);
  });

  test("opta's two-field rename map stays valid without extras", () => {
    const { result } = load(linking("      - cache: [{cache_host: H, cache_auth_token: T}]\n"));

    expect(result!.project.services[0].k8sService!.links).toEqual([
      { target: "cache", rename: { cache_host: "H", cache_auth_token: "T" } },
    ]);
  });

  test("fails on a rename map that leaves out an extra the list names", () => {
    const { problems } = load(linking("      - cache: [cache_url, {cache_host: H, cache_auth_token: T}]\n"));

    expect(problems).toEqual([
      "svc/payments.yaml:9:28: modules[0].links[0].cache[1]: rename map for link 'cache' must rename all of cache_host, cache_auth_token, cache_url (missing cache_url) (got cache_host, cache_auth_token; allowed cache_host, cache_auth_token, cache_url)",
    ]);
  });

  test("fails on a default field in the list, saying it is always exported", () => {
    const { problems } = load(linking("      - cache: [cache_host]\n"));

    expect(problems).toEqual([
      'svc/payments.yaml:9:17: modules[0].links[0].cache[0]: cache_host is not a field a link to cache can add; it is always exported (got "cache_host"; allowed cache_port, cache_url and one rename map {cache_host: KEY, cache_auth_token: KEY, ...})',
    ]);
  });

  test("fails on an extra listed twice", () => {
    const { problems } = load(linking("      - cache: [cache_url, cache_url]\n"));

    expect(problems).toEqual([
      'svc/payments.yaml:9:28: modules[0].links[0].cache[1]: cache_url is already listed (got "cache_url"; allowed each extra field once)',
    ]);
  });

  test("fails on two rename maps", () => {
    const { problems } = load(
      linking("      - cache: [{cache_host: H, cache_auth_token: T}, {cache_host: H2, cache_auth_token: T2}]\n"),
    );

    expect(problems).toEqual([
      'svc/payments.yaml:9:55: modules[0].links[0].cache[1]: a link takes one rename map, and modules[0].links[0].cache[0] is one already (got {"cache_host":"H2","cache_auth_token":"T2"}; allowed cache_port, cache_url and one rename map {cache_host: KEY, cache_auth_token: KEY, ...})',
    ]);
  });

  test("fails when an extra's default key collides with another link's", () => {
    const { problems } = load(
      linking(
        "      - cache: [cache_url]\n      - other: [{cache_host: OTHER_HOST, cache_auth_token: cache_cache_url}]\n",
        "  - name: cache\n    type: redis\n  - name: other\n    type: redis\n",
      ),
    );

    expect(problems).toEqual([
      'svc/payments.yaml:10:60: modules[0].links[1].other[0].cache_auth_token: secret key cache_cache_url is already produced by links[0]; each key must come from one link (got "cache_cache_url")',
    ]);
  });

  test("fails when two links produce the same key", () => {
    const { problems } = load(
      linking(
        "      - cache\n      - other: [{cache_host: cache_cache_host, cache_auth_token: OTHER_TOKEN}]\n",
        "  - name: cache\n    type: redis\n  - name: other\n    type: redis\n",
      ),
    );

    expect(problems).toEqual([
      'svc/payments.yaml:10:30: modules[0].links[1].other[0].cache_host: secret key cache_cache_host is already produced by links[0]; each key must come from one link (got "cache_cache_host")',
    ]);
  });

  test("fails when the same module is linked twice", () => {
    const { problems } = load(linking("      - cache\n      - cache\n"));

    expect(problems).toEqual([
      'svc/payments.yaml:10:9: modules[0].links[1]: secret key cache_cache_host is already produced by links[0]; each key must come from one link (got "cache_cache_host")',
      'svc/payments.yaml:10:9: modules[0].links[1]: secret key cache_cache_auth_token is already produced by links[0]; each key must come from one link (got "cache_cache_auth_token")',
    ].sort());
  });

  test("fails when the target is not in the file, suggesting a close name", () => {
    const { problems } = load(linking("      - cahce\n"));

    expect(problems).toEqual([
      'svc/payments.yaml:9:9: modules[0].links[0]: links to cahce, which is not a module of this file; did you mean cache? (got "cahce"; allowed app, cache)',
    ]);
  });

  test("fails when the target's type is not generated, naming that type", () => {
    const { problems, warnings } = load(
      linking("      - db\n", "  - name: db\n    type: aws-postgres\n"),
    );

    expect(warnings).toEqual([]);
    expect(problems).toEqual([
      'svc/payments.yaml:9:9: modules[0].links[0]: cannot link db (type aws-postgres): strata does not generate aws-postgres, so its keys cannot be produced (got "db"; allowed links to modules of type redis, aws-redis)',
    ]);
  });
});

describe("manifest shape", () => {
  test("fails on an unknown key, suggesting the closest known one", () => {
    const { problems } = load(payments("  - name: cache\n    type: redis\n    node_typ: cache.t3.small\n"));

    expect(problems).toEqual([
      'svc/payments.yaml:8:5: modules[0].node_typ: unknown key; did you mean node_type? (got "node_typ"; allowed alarms, apply_immediately, auto_minor_version_upgrade, depends_on, engine, engine_log, engine_version, final_snapshot, maintenance_window, name, node_type, notification_topic_arn, num_cache_clusters, parameters, preferred_availability_zones, redis_version, replication_group_id, restore_from_snapshot, slow_log, snapshot_retention_limit, snapshot_window, tags, type)',
    ]);
  });

  test("fails on a duplicate key", () => {
    const { problems } = load({ ...env, "svc/payments.yaml": PAYMENTS.replace("name: payments\n", "name: payments\nname: again\n") });

    expect(problems).toEqual([
      "svc/payments.yaml:2:1: name: duplicate key; each key may appear once in a mapping",
    ]);
  });

  test.each([
    ["name: payments\n? {a: 1}\n: x\n", "svc/payments.yaml:2:3: (document): a key must be a plain name (got a mapping; allowed a string key)"],
    ["name: payments\n? [a, b]\n: x\n", "svc/payments.yaml:2:3: (document): a key must be a plain name (got a list; allowed a string key)"],
    [
      "name: payments\nmodules:\n  - name: cache\n    ? {x: 1}\n    : y\n",
      "svc/payments.yaml:4:7: modules[0]: a key must be a plain name (got a mapping; allowed a string key)",
    ],
  ])("fails on a mapping or a list used as a key, where it stands, and lets the yaml library print nothing (%j)", async (text, message) => {
    const emitted: unknown[] = [];
    const onWarning = (w: unknown) => emitted.push(w);
    process.on("warning", onWarning);
    try {
      expect(load({ ...env, "svc/payments.yaml": text }).problems).toEqual([message]);
      // Node delivers process warnings on a later tick.
      await new Promise((done) => setImmediate(done));
    } finally {
      process.off("warning", onWarning);
    }
    expect(emitted).toEqual([]);
  });

  test("fails on a YAML syntax error with its position", () => {
    const { problems } = load({ ...env, "svc/payments.yaml": "name: payments\nmodules: [\n" });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^svc\/payments\.yaml:\d+:\d+: .*yaml syntax error: /);
  });

  test.each([
    ["", "svc/payments.yaml:1:1: (document): the manifest is empty (allowed a mapping with name and modules)"],
    ["# nothing\n", "svc/payments.yaml:1:1: (document): the manifest is empty (allowed a mapping with name and modules)"],
    ["- a\n- b\n", "svc/payments.yaml:1:1: (document): the manifest must be a mapping (got a list; allowed a mapping with name and modules)"],
  ])("fails on a document that is not a mapping (%j)", (text, message) => {
    const { problems } = load({ "svc/payments.yaml": text });

    expect(problems).toEqual([message]);
  });

  test("fails on a file that does not exist", () => {
    const { problems } = load({}, ["nope.yaml"]);

    expect(problems).toEqual(["nope.yaml:1:1: (document): file not found"]);
  });

  test("reports every problem of every file at once", () => {
    const { problems } = load({
      "env/staging.yaml": STAGING_ENV.replace("us-east-1", "mars-1").replace("org_name: acme", "org_name: ACME"),
      "svc/payments.yaml": PAYMENTS.replace("cache.t3.medium", "cache.t3.huge").replace("7.1", "7.x"),
    });

    expect(problems.map((p) => p.split(": ")[1])).toEqual([
      "org_name",
      "providers.aws.region",
      "modules[0].node_type",
      "modules[0].redis_version",
    ]);
  });
});

describe("hostile YAML", () => {
  test("fails on aliases that expand without bound, instead of crashing", () => {
    const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
    const { problems } = load({ "svc/payments.yaml": `name: payments\nx:\n${lines.map((l) => `  ${l}`).join("\n")}\n` });

    expect(problems).toEqual([
      "svc/payments.yaml:1:1: (document): cannot be read as data: excessive alias count indicates a resource exhaustion attack (allowed at most a few hundred alias expansions)",
    ]);
  });
});
