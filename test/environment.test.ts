import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { optaStateBucket } from "../src/manifest/environment";
import { synth } from "../src/synth";
import { PAYMENTS, STAGING_ENV, load, workspace } from "./support/manifests";

type Tf = Record<string, any>;

/** The staging env with extra top-level sections and base-module lines. */
function env(sections = "", baseLines = "", aws = ""): string {
  return STAGING_ENV.replace('    account_id: "111111111111"\n', `    account_id: "111111111111"\n${aws}`)
    .replace("modules:\n", `${sections}modules:\n`)
    .replace("  - type: base\n", `  - type: base\n${baseLines}`);
}

function synthesize(envText: string, service = PAYMENTS): Record<string, Tf> {
  const cwd = workspace({ "env/staging.yaml": envText, "svc/payments.yaml": service });
  synth({ files: ["svc/payments.yaml"], cwd, outdir: "out" });
  const stacks: Record<string, Tf> = {};
  for (const name of readdirSync(join(cwd, "out/stacks"))) {
    stacks[name] = JSON.parse(readFileSync(join(cwd, "out/stacks", name, "cdk.tf.json"), "utf8"));
  }
  return stacks;
}

function problemsOf(envText: string): string[] {
  return load({ "env/staging.yaml": envText }, ["env/staging.yaml"]).problems;
}

describe("state", () => {
  test("is local by default, beside the output folder", () => {
    const stacks = synthesize(env());

    expect(stacks.staging.terraform.backend).toEqual({ local: { path: "../../../terraform.staging.tfstate" } });
    expect(stacks["staging-payments"].terraform.backend).toEqual({
      local: { path: "../../../terraform.staging-payments.tfstate" },
    });
  });

  test("backend s3 gives every stack its own key, encryption and a lock file", () => {
    const stacks = synthesize(env("state:\n  backend: s3\n  bucket: acme-state\n"));

    expect(stacks.staging.terraform.backend).toEqual({
      s3: { bucket: "acme-state", key: "strata/staging.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true },
    });
    expect(stacks["staging-payments"].terraform.backend.s3.key).toBe("strata/staging-payments.tfstate");
    expect(Object.keys(stacks).sort()).toEqual(["staging", "staging-payments"]);
  });

  test("lock dynamodb uses the table instead of a lock file", () => {
    const stacks = synthesize(
      env("state:\n  backend: s3\n  bucket: acme-state\n  region: eu-west-1\n  key: tf/{stack}/state\n  lock: dynamodb\n  dynamodb_table: tf-locks\n"),
    );

    expect(stacks.staging.terraform.backend).toEqual({
      s3: { bucket: "acme-state", key: "tf/staging/state", region: "eu-west-1", encrypt: true, dynamodb_table: "tf-locks" },
    });
  });

  test("{opta.state_bucket} is opta's bucket: the name plus md5(region + account) to 4 hex digits", () => {
    expect(optaStateBucket("opta-tests", "dummy-parent", "us-east-1", "011111111111")).toEqual({
      suffixed: "opta-tf-state-opta-tests-dummy-parent-195d",
      legacy: "opta-tf-state-opta-tests-dummy-parent",
    });
    const stacks = synthesize(env('state:\n  backend: s3\n  bucket: "{opta.state_bucket}"\n'));
    expect(stacks.staging.terraform.backend.s3.bucket).toBe(
      optaStateBucket("acme", "staging", "us-east-1", "111111111111").suffixed,
    );
  });

  test("create_bucket adds a bootstrap stack that the env stack depends on", () => {
    const cwd = workspace({
      "env/staging.yaml": env("state:\n  backend: s3\n  bucket: acme-state\n  lock: dynamodb\n  dynamodb_table: tf-locks\n  create_bucket: true\n"),
    });
    synth({ files: ["env/staging.yaml"], cwd, outdir: "out" });
    const manifest = JSON.parse(readFileSync(join(cwd, "out/manifest.json"), "utf8"));
    const tf = JSON.parse(readFileSync(join(cwd, "out/stacks/staging-state-bootstrap/cdk.tf.json"), "utf8"));

    expect(manifest.stacks.staging.dependencies).toEqual(["staging-state-bootstrap"]);
    expect(tf.terraform.backend).toEqual({ local: { path: "../../../terraform.staging-state-bootstrap.tfstate" } });
    const r = tf.resource;
    expect(r.aws_s3_bucket.state_bucket).toMatchObject({ bucket: "acme-state", lifecycle: { prevent_destroy: true } });
    expect(r.aws_s3_bucket_versioning.state_bucket_versioning.versioning_configuration).toEqual({ status: "Enabled" });
    expect(r.aws_s3_bucket_public_access_block.state_bucket_public_access).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(r.aws_s3_bucket_server_side_encryption_configuration.state_bucket_encryption.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" }, bucket_key_enabled: true },
    ]);
    expect(JSON.parse(r.aws_s3_bucket_policy.state_bucket_policy.policy).Statement[0].Condition).toEqual({
      Bool: { "aws:SecureTransport": "false" },
    });
    expect(r.aws_dynamodb_table.state_lock_table).toMatchObject({ name: "tf-locks", hash_key: "LockID" });
  });

  test.each([
    [
      "state:\n  backend: s3\n",
      "env/staging.yaml:8:3: state.bucket: required field bucket is missing (backend: s3) (allowed the S3 bucket that holds the state)",
    ],
    [
      "state:\n  backend: s3\n  bucket: acme-state\n  encrypt: false\n",
      "env/staging.yaml:10:12: state.encrypt: must stay true: the state holds every cache's AUTH token in plain text (got false; allowed true)",
    ],
    [
      "state:\n  backend: s3\n  bucket: acme-state\n  key: '{stack}'\n",
      'env/staging.yaml:10:8: state.key: gives the env stack the key staging, where opta keeps this environment\'s state; a strata stack reading it would plan to destroy everything opta built (got "{stack}"; allowed a key such as strata/{stack}.tfstate, or allow_opta_key: true if you mean it)',
    ],
    [
      "state:\n  backend: s3\n  bucket: acme-state\n  key: strata/state.tfstate\n",
      'env/staging.yaml:10:8: state.key: is not valid (got "strata/state.tfstate"; allowed an S3 key containing {stack}, such as strata/{stack}.tfstate)',
    ],
    [
      "state:\n  backend: s3\n  bucket: acme-state\n  lock: dynamodb\n",
      "env/staging.yaml:8:3: state.dynamodb_table: required with lock: dynamodb (allowed the lock table's name)",
    ],
    [
      "state:\n  backend: s3\n  bucket: acme-state\n  dynamodb_table: tf-locks\n",
      'env/staging.yaml:10:3: state.dynamodb_table: only applies with lock: dynamodb (got "tf-locks"; allowed lock: dynamodb)',
    ],
    [
      "state:\n  bucket: acme-state\n",
      'env/staging.yaml:8:3: state.bucket: only applies with backend: s3 (got "acme-state"; allowed backend: s3)',
    ],
    [
      "state:\n  backend: s3\n  bucket: Acme_State\n",
      'env/staging.yaml:9:11: state.bucket: is not valid (got "Acme_State"; allowed lowercase letters, digits, dashes and single dots, starting and ending with a letter or digit)',
    ],
    [
      'state:\n  backend: s3\n  bucket: "{opta.bucket}"\n',
      'env/staging.yaml:9:11: state.bucket: unknown placeholder {opta.bucket} (got "{opta.bucket}"; allowed {aws.account_id}, {aws.region}, {env}, {opta.state_bucket}, {opta.state_bucket_legacy}, {org})',
    ],
  ])("fails on %j", (section, message) => {
    expect(problemsOf(env(section))).toEqual([message]);
  });

  test("allow_opta_key: true accepts opta's key when meant", () => {
    expect(problemsOf(env("state:\n  backend: s3\n  bucket: acme-state\n  key: '{stack}'\n  allow_opta_key: true\n"))).toEqual([]);
  });
});

describe("providers", () => {
  test("default_tags, profile and assume_role reach the AWS provider of every stack", () => {
    const stacks = synthesize(
      env("", "", "    profile: ops\n    assume_role: arn:aws:iam::111111111111:role/deployer\n    default_tags: {team: platform}\n"),
    );

    for (const name of ["staging", "staging-payments"]) {
      expect(stacks[name].provider.aws).toEqual([
        {
          region: "us-east-1",
          allowed_account_ids: ["111111111111"],
          profile: "ops",
          assume_role: [{ role_arn: "arn:aws:iam::111111111111:role/deployer" }],
          default_tags: [{ tags: { team: "platform" } }],
        },
      ]);
    }
  });

  test("the EKS token is fetched with the provider's role and profile", () => {
    const stacks = synthesize(env("", "", "    profile: ops\n    assume_role: arn:aws:iam::111111111111:role/deployer\n"));

    expect(stacks["staging-payments"].provider.kubernetes[0].exec).toEqual([
      {
        api_version: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: [
          "eks",
          "get-token",
          "--cluster-name",
          "opta-staging",
          "--region",
          "us-east-1",
          "--role-arn",
          "arn:aws:iam::111111111111:role/deployer",
          "--profile",
          "ops",
        ],
      },
    ]);
  });

  test("kubernetes.cluster_name names another EKS cluster", () => {
    const svc = synthesize(env("", "", "  kubernetes:\n    cluster_name: shared-eks\n".replace(/^/, "")))["staging-payments"];

    expect(svc.data.aws_eks_cluster.env_eks_cluster.name).toBe("shared-eks");
    expect(svc.provider.kubernetes[0].exec[0].args).toContain("shared-eks");
  });

  test("kubernetes.config_path uses a kubeconfig instead of any EKS lookup", () => {
    const svc = synthesize(env("", "", "  kubernetes:\n    config_path: ~/.kube/config\n    config_context: staging\n"))[
      "staging-payments"
    ];

    expect(svc.provider.kubernetes).toEqual([{ config_path: "~/.kube/config", config_context: "staging" }]);
    expect(svc.data.aws_eks_cluster).toBeUndefined();
  });

  test.each([
    [
      "  kubernetes:\n    cluster_name: x\n    config_path: ~/.kube/config\n",
      "env/staging.yaml:8:5: providers.kubernetes.cluster_name: give cluster_name (EKS) or config_path (a kubeconfig), not both (allowed one way to reach the cluster)",
    ],
    [
      "  kubernetes:\n    config_context: x\n",
      "env/staging.yaml:8:5: providers.kubernetes.config_context: needs config_path: the kubeconfig the context is in",
    ],
    [
      "    assume_role: arn:aws:iam::111111111111:user/me\n",
      'env/staging.yaml:7:18: providers.aws.assume_role: is not valid (got "arn:aws:iam::111111111111:user/me"; allowed an IAM role ARN such as arn:aws:iam::111111111111:role/deployer)',
    ],
  ])("fails on %j", (aws, message) => {
    expect(problemsOf(env("", "", aws))).toEqual([message]);
  });

  test("fails when two environments reach one cluster with a service of the same name", () => {
    const kube = "  kubernetes:\n    config_path: ~/.kube/config\n    config_context: shared\n";
    const { problems } = load(
      {
        "env/staging.yaml": env("", "", kube),
        "env/prod.yaml": env("", "", kube).replace("name: staging", "name: prod"),
        "svc/payments.yaml": PAYMENTS.replace(
          '    path: "../env/staging.yaml"\n',
          '    path: "../env/staging.yaml"\n  - name: prod\n    path: ../env/prod.yaml\n',
        ),
      },
      ["svc/payments.yaml"],
    );

    expect(problems).toEqual([
      'svc/payments.yaml:1:1: name: environments prod and staging both reach kubeconfig ~/.kube/config context shared; service payments would write the same namespace and Secret twice (got "payments"; allowed services of different names, or environments on different clusters)',
    ]);
  });
});

describe("the base module's new fields reach the construct", () => {
  test("vpc_tags find the VPC in the env stack and in the service stack alike", () => {
    const stacks = synthesize(env("", "    vpc_tags: {Name: main}\n    private_subnet_tags: {tier: data}\n"));

    expect(stacks.staging.data.aws_vpc.base_vpc.tags).toEqual({ Name: "main" });
    expect(stacks.staging.data.aws_subnets.base_private_subnets.tags).toEqual({ tier: "data" });
    expect(stacks["staging-payments"].data.aws_vpc.env_vpc.tags).toEqual({ Name: "main" });
  });

  test("key settings, roles, statements, zones and ingress", () => {
    const tf = synthesize(
      env(
        "",
        [
          "    allow_destroy: true",
          "    deletion_window_in_days: 7",
          "    rotation_period_in_days: 90",
          "    key_admins: [arn:aws:iam::111111111111:role/admins]",
          "    key_users: [arn:aws:iam::111111111111:user/ci]",
          "    extra_statements:",
          "      - sid: AllowSns",
          "        principals: {Service: [sns.amazonaws.com]}",
          "        actions: [kms:Decrypt]",
          "    exclude_az_ids: [use1-az3]",
          "    allowed_security_group_ids: [sg-01234567]",
          "",
        ].join("\n"),
      ),
    ).staging;

    const key = tf.resource.aws_kms_key.base_kms_key;
    expect(key).toMatchObject({ deletion_window_in_days: 7, rotation_period_in_days: 90 });
    expect(key.lifecycle).toBeUndefined();
    expect(JSON.parse(key.policy).Statement.map((s: any) => s.Sid)).toEqual([
      "Enable IAM User Permissions",
      "Allow CloudWatch Logs",
      "Allow key administrators",
      "Allow key users",
      "AllowSns",
    ]);
    expect(Object.keys(tf.data.aws_iam_role)).toEqual(["base_iam_role_admins"]);
    expect(Object.keys(tf.data.aws_iam_user)).toEqual(["base_iam_user_ci"]);
    expect(tf.resource.aws_elasticache_subnet_group.base_elasticache_subnet_group.subnet_ids).toContain("use1-az3");
    expect(tf.resource.aws_security_group.base_elasticache_security_group.ingress[0].security_groups).toEqual([
      "sg-01234567",
    ]);
  });

  test.each([
    [
      "    vpc_id: vpc-01234567\n    vpc_tags: {Name: x}\n",
      'env/staging.yaml:10:5: modules[0].vpc_tags: give vpc_id or vpc_tags, not both (got both; allowed one of vpc_id, vpc_tags)',
    ],
    [
      "    deletion_window_in_days: 6\n",
      "env/staging.yaml:9:30: modules[0].deletion_window_in_days: out of range (got 6; allowed 7 to 30)",
    ],
    [
      "    rotation_period_in_days: 2561\n",
      "env/staging.yaml:9:30: modules[0].rotation_period_in_days: out of range (got 2561; allowed 90 to 2560)",
    ],
    [
      "    key_admins: [arn:aws:iam::111111111111:group/admins]\n",
      'env/staging.yaml:9:18: modules[0].key_admins[0]: is not valid (got "arn:aws:iam::111111111111:group/admins"; allowed an IAM role, user or account root ARN, e.g. arn:aws:iam::111111111111:role/admins)',
    ],
    [
      "    extra_statements:\n      - sid: Allow CloudWatch Logs\n        principals: {Service: [x.amazonaws.com]}\n        actions: [kms:Decrypt]\n",
      'env/staging.yaml:10:14: modules[0].extra_statements[0].sid: is a statement id strata uses itself (got "Allow CloudWatch Logs"; allowed a sid other than Enable IAM User Permissions, Allow CloudWatch Logs, Allow key administrators, Allow key users)',
    ],
    [
      "    extra_statements:\n      - sid: Lock\n        effect: Deny\n        principals: {AWS: ['*']}\n        actions: [kms:PutKeyPolicy]\n",
      "env/staging.yaml:10:9: modules[0].extra_statements[0]: would deny the account root the right to change the key policy, locking the account out of the key (got a Deny of kms:PutKeyPolicy for the root or *; allowed statements that keep the root in control)",
    ],
    [
      "    exclude_az_ids: [us-east-1a]\n",
      'env/staging.yaml:9:22: modules[0].exclude_az_ids[0]: is not valid (got "us-east-1a"; allowed an availability zone id such as use1-az1)',
    ],
    [
      "    allowed_cidr_blocks: [0.0.0.0/33]\n",
      'env/staging.yaml:9:27: modules[0].allowed_cidr_blocks[0]: is not valid (got "0.0.0.0/33"; allowed an IPv4 CIDR block such as 10.0.0.0/16)',
    ],
  ])("fails on %j", (lines, message) => {
    expect(problemsOf(env("", lines))).toEqual([message]);
  });
});

describe("names that must not meet", () => {
  test("fails on an allowed CIDR block with host bits set, naming the network", () => {
    expect(problemsOf(env("", "    allowed_cidr_blocks: [10.0.0.1/16]\n"))).toEqual([
      'env/staging.yaml:9:27: modules[0].allowed_cidr_blocks[0]: is not a network address; did you mean 10.0.0.0/16? (got "10.0.0.1/16"; allowed 10.0.0.0/16)',
    ]);
  });

  test("fails when an environment and a service of another environment would write the same stack", () => {
    const { problems } = load(
      {
        "env/a.yaml": env().replace("name: staging", "name: a"),
        "env/a-b.yaml": env().replace("name: staging", "name: a-b"),
        "svc/b.yaml": PAYMENTS.replace("name: payments", "name: b").replace('"../env/staging.yaml"', "../env/a.yaml"),
      },
      ["svc/b.yaml", "env/a-b.yaml"],
    );

    expect(problems).toEqual([
      'svc/b.yaml:1:1: name: service b in environment a (svc/b.yaml) and environment a-b (env/a-b.yaml) would both write stack a-b; rename one of them (got "a-b")',
    ]);
  });

  test("fails when a service would write the state bootstrap stack of another environment", () => {
    const { problems } = load(
      {
        "env/s.yaml": env("state:\n  backend: s3\n  bucket: acme-state\n  create_bucket: true\n").replace("name: staging", "name: s"),
        "env/s-state.yaml": env().replace("name: staging", "name: s-state"),
        "svc/bootstrap.yaml": PAYMENTS.replace("name: payments", "name: bootstrap").replace('"../env/staging.yaml"', "../env/s-state.yaml"),
      },
      ["env/s.yaml", "svc/bootstrap.yaml"],
    );

    expect(problems).toEqual([
      'svc/bootstrap.yaml:1:1: name: service bootstrap in environment s-state (svc/bootstrap.yaml) and the state bootstrap stack of environment s (env/s.yaml) would both write stack s-state-bootstrap; rename one of them (got "s-state-bootstrap")',
    ]);
  });

  test("fails when two caches of one account and region are given the same replication_group_id", () => {
    const withId = (service: string) =>
      PAYMENTS.replace("name: payments", `name: ${service}`).replace(
        "    type: redis\n",
        "    type: redis\n    replication_group_id: opta-payments-cache-ab12\n",
      );
    const { problems } = load(
      { "env/staging.yaml": env(), "svc/payments.yaml": withId("payments"), "svc/billing.yaml": withId("billing") },
      ["svc/payments.yaml", "svc/billing.yaml"],
    );

    expect(problems).toEqual([
      'svc/billing.yaml:1:1: modules: replication_group_id opta-payments-cache-ab12 is also used by module cache of service payments (svc/payments.yaml) in the same account and region; each cache needs its own id (got "opta-payments-cache-ab12")',
    ]);
  });

  test("two environments of one account and region give a cache's parameter group different names", () => {
    const cwd = workspace({
      "env/staging.yaml": env(),
      "env/prod.yaml": env().replace("name: staging", "name: prod"),
      "svc/payments.yaml": PAYMENTS.replace(
        '    path: "../env/staging.yaml"\n',
        '    path: "../env/staging.yaml"\n  - name: prod\n    path: ../env/prod.yaml\n',
      ).replace("    type: redis\n", "    type: redis\n    parameters: {maxmemory-policy: allkeys-lru}\n"),
    });
    synth({ files: ["svc/payments.yaml"], cwd, outdir: "out" });
    const name = (stack: string) =>
      JSON.parse(readFileSync(join(cwd, "out/stacks", stack, "cdk.tf.json"), "utf8")).resource
        .aws_elasticache_parameter_group.cache_parameter_group.name;

    expect(name("staging-payments")).toMatch(/^opta-staging-payments-cache-[0-9a-f]{8}$/);
    expect(name("prod-payments")).toMatch(/^opta-prod-payments-cache-[0-9a-f]{8}$/);
  });
});

describe("key policy statement ids", () => {
  test("accepts opta's own statement ids, dashes included", () => {
    const lines =
      "    extra_statements:\n      - sid: Allow service-linked role use of the CMK\n        principals: {AWS: ['arn:aws:iam::111111111111:root']}\n        actions: [kms:Encrypt]\n";

    expect(problemsOf(env("", lines))).toEqual([]);
  });
});
