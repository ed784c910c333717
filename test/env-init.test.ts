import { DataAwsKmsKey } from "@cdktf/provider-aws/lib/data-aws-kms-key";
import { DataAwsSecurityGroup } from "@cdktf/provider-aws/lib/data-aws-security-group";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { TerraformOutput, Testing } from "cdktf";
import { Construct } from "constructs";
import {
  ENV_INIT_DEFAULTS,
  EnvInit,
  EnvInitLookup,
  EnvInitLookupProps,
  EnvInitProps,
  eksClusterName,
  envKeyPolicy,
  kmsAliasName,
  securityGroupName,
  subnetGroupName,
} from "../modules/env-init";

const ENV: EnvInitProps = {
  envName: "staging",
  accountId: "111111111111",
  region: "us-east-1",
};

function synthEnv(props: Partial<EnvInitProps> = {}): string {
  return Testing.synthScope((scope) => {
    new EnvInit(scope, "base", { ...ENV, ...props });
  });
}

function synthLookup(props: Partial<EnvInitLookupProps> = {}): string {
  return Testing.synthScope((scope) => {
    new EnvInitLookup(scope, "env", { envName: "staging", ...props });
  });
}

/** What each value resolves to in a stack's JSON, via outputs. */
function resolved(
  make: (scope: Construct) => Record<string, unknown>
): Record<string, unknown> {
  const outputs = JSON.parse(
    Testing.synthScope((scope) => {
      for (const [name, value] of Object.entries(make(scope)))
        new TerraformOutput(scope, name, { value });
    })
  ).output;
  return Object.fromEntries(
    Object.entries(outputs).map(([name, o]) => [
      name,
      (o as { value: unknown }).value,
    ])
  );
}

/** The synthesized block of one resource or data source, by address. */
function block(
  json: string,
  kind: "resource" | "data",
  type: string,
  name: string
): Record<string, unknown> {
  return JSON.parse(json)[kind][type][name];
}

describe("EnvInit", () => {
  describe("addresses", () => {
    test("should name every block <construct id>_<role>", () => {
      const json = JSON.parse(synthEnv());

      expect(Object.keys(json.resource).sort()).toEqual([
        "aws_elasticache_subnet_group",
        "aws_kms_alias",
        "aws_kms_key",
        "aws_security_group",
      ]);
      expect(Object.keys(json.resource.aws_kms_key)).toEqual(["base_kms_key"]);
      expect(Object.keys(json.resource.aws_kms_alias)).toEqual([
        "base_kms_alias",
      ]);
      expect(Object.keys(json.resource.aws_elasticache_subnet_group)).toEqual([
        "base_elasticache_subnet_group",
      ]);
      expect(Object.keys(json.resource.aws_security_group)).toEqual([
        "base_elasticache_security_group",
      ]);
      expect(Object.keys(json.data).sort()).toEqual([
        "aws_subnet",
        "aws_subnets",
        "aws_vpc",
      ]);
      expect(Object.keys(json.data.aws_vpc)).toEqual(["base_vpc"]);
      expect(Object.keys(json.data.aws_subnet)).toEqual(["base_private_subnet"]);
      expect(Object.keys(json.data.aws_subnets)).toEqual([
        "base_private_subnets",
      ]);
    });

    test("should not depend on where the construct sits in the tree", () => {
      const nested = Testing.synthScope((scope) => {
        new EnvInit(new Construct(scope, "Wrapper"), "base", ENV);
      });

      expect(nested).toEqual(synthEnv());
    });
  });

  describe("KMS key", () => {
    test("should keep opta's description, rotate, refuse destroy and carry tags", () => {
      expect(
        block(synthEnv(), "resource", "aws_kms_key", "base_kms_key")
      ).toEqual({
        description: "Base key for account",
        enable_key_rotation: true,
        deletion_window_in_days: 30,
        policy: envKeyPolicy("111111111111", "us-east-1"),
        lifecycle: { prevent_destroy: true },
        tags: { Name: "opta-staging", terraform: "true" },
      });
    });

    test("should write a policy of exactly the root and CloudWatch Logs statements, in a fixed key order", () => {
      const policy = block(
        synthEnv(),
        "resource",
        "aws_kms_key",
        "base_kms_key"
      ).policy;

      expect(policy).toBe(
        '{"Version":"2012-10-17","Statement":[' +
          '{"Sid":"Enable IAM User Permissions","Effect":"Allow",' +
          '"Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"},' +
          '{"Sid":"Allow CloudWatch Logs","Effect":"Allow",' +
          '"Principal":{"Service":"logs.us-east-1.amazonaws.com"},' +
          '"Action":["kms:Encrypt*","kms:Decrypt*","kms:ReEncrypt*","kms:GenerateDataKey*","kms:Describe*"],' +
          '"Resource":"*",' +
          '"Condition":{"ArnLike":{"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:us-east-1:111111111111:*"}}}]}'
      );
    });

    test("should use the GovCloud partition in GovCloud regions", () => {
      const policy = JSON.parse(envKeyPolicy("111111111111", "us-gov-west-1"));

      expect(policy.Statement[0].Principal).toEqual({
        AWS: "arn:aws-us-gov:iam::111111111111:root",
      });
      expect(policy.Statement[1].Principal).toEqual({
        Service: "logs.us-gov-west-1.amazonaws.com",
      });
      expect(
        policy.Statement[1].Condition.ArnLike[
          "kms:EncryptionContext:aws:logs:arn"
        ]
      ).toBe("arn:aws-us-gov:logs:us-gov-west-1:111111111111:*");
    });

    test("should build the policy from the account id and region given", () => {
      const json = synthEnv({ accountId: "011111111111", region: "eu-west-1" });

      expect(json).toHaveResourceWithProperties(KmsKey, {
        policy: envKeyPolicy("011111111111", "eu-west-1"),
      });
      expect(envKeyPolicy("011111111111", "eu-west-1")).toContain(
        '"arn:aws:iam::011111111111:root"'
      );
      expect(envKeyPolicy("011111111111", "eu-west-1")).toContain(
        '"logs.eu-west-1.amazonaws.com"'
      );
    });
  });

  describe("KMS alias", () => {
    test("should point alias/opta-<env> at the key and refuse destroy", () => {
      expect(
        block(synthEnv(), "resource", "aws_kms_alias", "base_kms_alias")
      ).toEqual({
        name: "alias/opta-staging",
        target_key_id: "${aws_kms_key.base_kms_key.key_id}",
        lifecycle: { prevent_destroy: true },
      });
    });
  });

  describe("VPC and subnets", () => {
    test("should look the VPC up by its opta Name tag by default, and fail the plan unless it is available", () => {
      expect(block(synthEnv(), "data", "aws_vpc", "base_vpc")).toEqual({
        tags: { Name: "opta-staging" },
        lifecycle: {
          postcondition: [
            {
              condition: '${self.state == "available"}',
              error_message:
                'env staging: the VPC tagged Name = opta-staging is not available (state is not "available")',
            },
          ],
        },
      });
    });

    test("should read each private subnet, for its availability zone", () => {
      expect(
        block(synthEnv(), "data", "aws_subnet", "base_private_subnet")
      ).toEqual({
        for_each: "${toset(data.aws_subnets.base_private_subnets.ids)}",
        id: "${each.value}",
      });
    });

    test("should find private subnets by VPC and tag, and check there are at least 2", () => {
      expect(
        block(synthEnv(), "data", "aws_subnets", "base_private_subnets")
      ).toEqual({
        filter: [{ name: "vpc-id", values: ["${data.aws_vpc.base_vpc.id}"] }],
        tags: { type: "private" },
        lifecycle: {
          postcondition: [
            {
              condition: "${length(self.ids) >= 2}",
              error_message:
                "env staging: fewer than 2 subnets tagged type = private were found in the VPC tagged Name = opta-staging; " +
                "ElastiCache needs at least 2 private subnets of that VPC",
            },
          ],
        },
      });
    });
  });

  describe("subnet group", () => {
    test("should be opta-<env> over the whole subnet list", () => {
      expect(
        block(
          synthEnv(),
          "resource",
          "aws_elasticache_subnet_group",
          "base_elasticache_subnet_group"
        )
      ).toEqual({
        name: "opta-staging",
        description: "Private subnets of env staging, for ElastiCache",
        subnet_ids: "${data.aws_subnets.base_private_subnets.ids}",
        tags: { Name: "opta-staging", terraform: "true" },
        lifecycle: {
          precondition: [
            {
              condition:
                "${length(distinct([for s in values(data.aws_subnet.base_private_subnet) : s.availability_zone_id])) >= 2}",
              error_message:
                "env staging: the private subnets of the VPC tagged Name = opta-staging are all in one availability zone; " +
                "a cache with a failover replica needs subnets in at least 2 zones",
            },
          ],
        },
      });
    });
  });

  describe("security group", () => {
    test("should admit tcp 6379 from every CIDR block of the VPC and declare no egress", () => {
      expect(
        block(
          synthEnv(),
          "resource",
          "aws_security_group",
          "base_elasticache_security_group"
        )
      ).toEqual({
        name: "opta-staging-elasticache-sg",
        description:
          "For usage by elasticache to give access to resources in the vpc",
        vpc_id: "${data.aws_vpc.base_vpc.id}",
        ingress: [
          {
            protocol: "tcp",
            from_port: 6379,
            to_port: 6379,
            cidr_blocks:
              "${[for a in data.aws_vpc.base_vpc.cidr_block_associations : a.cidr_block]}",
            description: null,
            ipv6_cidr_blocks: null,
            prefix_list_ids: null,
            security_groups: null,
            self: null,
          },
        ],
        tags: { Name: "opta-staging-elasticache-sg", terraform: "true" },
      });
    });
  });

  describe("options, each on its own", () => {
    test("vpcId should look the VPC up by id instead of by tag", () => {
      const json = synthEnv({ vpcId: "vpc-0123456789abcdef0" });

      expect(block(json, "data", "aws_vpc", "base_vpc")).toMatchObject({
        id: "vpc-0123456789abcdef0",
      });
      expect(block(json, "data", "aws_vpc", "base_vpc").tags).toBeUndefined();
      expect(
        block(json, "data", "aws_subnets", "base_private_subnets").lifecycle
      ).toEqual({
        postcondition: [
          {
            condition: "${length(self.ids) >= 2}",
            error_message:
              "env staging: fewer than 2 subnets tagged type = private were found in VPC vpc-0123456789abcdef0; " +
              "ElastiCache needs at least 2 private subnets of that VPC",
          },
        ],
      });
    });

    test("privateSubnetIds should filter by subnet id instead of by tag", () => {
      const json = synthEnv({
        privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-11111111"],
      });
      const subnets = block(
        json,
        "data",
        "aws_subnets",
        "base_private_subnets"
      );

      expect(subnets.filter).toEqual([
        { name: "vpc-id", values: ["${data.aws_vpc.base_vpc.id}"] },
        {
          name: "subnet-id",
          values: ["subnet-0123456789abcdef0", "subnet-11111111"],
        },
      ]);
      expect(subnets.tags).toBeUndefined();
      expect(subnets.lifecycle).toEqual({
        postcondition: [
          {
            condition: "${length(self.ids) >= 2}",
            error_message:
              "env staging: fewer than 2 of the subnets given (subnet-0123456789abcdef0, subnet-11111111) were found " +
              "in the VPC tagged Name = opta-staging; ElastiCache needs at least 2 private subnets of that VPC",
          },
        ],
      });
      expect(json).toHaveResourceWithProperties(ElasticacheSubnetGroup, {
        subnet_ids: "${data.aws_subnets.base_private_subnets.ids}",
      });
    });

    test("privateSubnetIds should be copied, not kept", () => {
      const ids = ["subnet-11111111", "subnet-22222222"];
      const json = Testing.synthScope((scope) => {
        new EnvInit(scope, "base", { ...ENV, privateSubnetIds: ids });
        ids.push("subnet-33333333");
      });

      expect(
        block(json, "data", "aws_subnets", "base_private_subnets").filter
      ).toEqual([
        { name: "vpc-id", values: ["${data.aws_vpc.base_vpc.id}"] },
        { name: "subnet-id", values: ["subnet-11111111", "subnet-22222222"] },
      ]);
    });

    test("allowDestroy should drop prevent_destroy from the key and the alias", () => {
      const json = synthEnv({ allowDestroy: true });

      expect(
        block(json, "resource", "aws_kms_key", "base_kms_key").lifecycle
      ).toBeUndefined();
      expect(
        block(json, "resource", "aws_kms_alias", "base_kms_alias").lifecycle
      ).toBeUndefined();
    });

    test("allowDestroy false should keep prevent_destroy", () => {
      const json = synthEnv({ allowDestroy: false });

      expect(json).toHaveResourceWithProperties(KmsKey, {
        lifecycle: { prevent_destroy: true },
      });
      expect(json).toHaveResourceWithProperties(KmsAlias, {
        lifecycle: { prevent_destroy: true },
      });
    });

    test("tags should be merged into the key, subnet group and security group tags", () => {
      const json = synthEnv({ tags: { team: "payments", Name: "custom" } });

      expect(
        block(json, "resource", "aws_kms_key", "base_kms_key").tags
      ).toEqual({
        Name: "custom",
        terraform: "true",
        team: "payments",
      });
      expect(
        block(
          json,
          "resource",
          "aws_elasticache_subnet_group",
          "base_elasticache_subnet_group"
        ).tags
      ).toEqual({
        Name: "custom",
        terraform: "true",
        team: "payments",
      });
      expect(json).toHaveResourceWithProperties(SecurityGroup, {
        tags: { Name: "custom", terraform: "true", team: "payments" },
      });
    });

    test("envName should name every resource", () => {
      const json = synthEnv({ envName: "prod-eu" });

      expect(json).toHaveResourceWithProperties(KmsAlias, {
        name: "alias/opta-prod-eu",
      });
      expect(json).toHaveResourceWithProperties(ElasticacheSubnetGroup, {
        name: "opta-prod-eu",
      });
      expect(json).toHaveResourceWithProperties(SecurityGroup, {
        name: "opta-prod-eu-elasticache-sg",
      });
      expect(json).toHaveDataSourceWithProperties(DataAwsVpc, {
        tags: { Name: "opta-prod-eu" },
      });
      expect(json).toHaveDataSourceWithProperties(DataAwsSubnets, {
        tags: { type: "private" },
      });
    });
  });

  test("should default to keeping the key and adding no tags", () => {
    expect(ENV_INIT_DEFAULTS).toEqual({
      allowDestroy: false,
      deletionWindowInDays: 30,
      tags: {},
    });
    expect(Object.isFrozen(ENV_INIT_DEFAULTS)).toBe(true);
  });

  test("should expose references for the stack's outputs", () => {
    const values = resolved((scope) => {
      const env = new EnvInit(scope, "base", ENV);
      return {
        kmsKeyArn: env.kmsKeyArn,
        kmsKeyId: env.kmsKeyId,
        vpcId: env.vpcId,
        privateSubnetIds: env.privateSubnetIds,
        securityGroupId: env.securityGroupId,
        subnetGroupName: env.subnetGroupName,
        envName: env.envName,
      };
    });

    expect(values).toEqual({
      kmsKeyArn: "${aws_kms_key.base_kms_key.arn}",
      kmsKeyId: "${aws_kms_key.base_kms_key.key_id}",
      vpcId: "${data.aws_vpc.base_vpc.id}",
      privateSubnetIds: "${data.aws_subnets.base_private_subnets.ids}",
      securityGroupId:
        "${aws_security_group.base_elasticache_security_group.id}",
      subnetGroupName:
        "${aws_elasticache_subnet_group.base_elasticache_subnet_group.name}",
      envName: "staging",
    });
  });
});

describe("EnvInitLookup", () => {
  test("should name every data source <construct id>_<role>", () => {
    const json = JSON.parse(synthLookup());

    expect(json.resource).toBeUndefined();
    expect(Object.keys(json.data).sort()).toEqual([
      "aws_kms_key",
      "aws_security_group",
      "aws_vpc",
    ]);
    expect(Object.keys(json.data.aws_kms_key)).toEqual(["env_kms_key"]);
    expect(Object.keys(json.data.aws_vpc)).toEqual(["env_vpc"]);
    expect(Object.keys(json.data.aws_security_group)).toEqual([
      "env_security_group",
    ]);
  });

  test("should find the key by its alias", () => {
    expect(block(synthLookup(), "data", "aws_kms_key", "env_kms_key")).toEqual({
      key_id: "alias/opta-staging",
    });
  });

  test("should find the VPC by its opta Name tag by default", () => {
    expect(block(synthLookup(), "data", "aws_vpc", "env_vpc")).toMatchObject({
      tags: { Name: "opta-staging" },
    });
    expect(
      Object.keys(block(synthLookup(), "data", "aws_vpc", "env_vpc")).sort()
    ).toEqual(["lifecycle", "tags"]);
  });

  test("vpcId should find the VPC by id", () => {
    const json = synthLookup({ vpcId: "vpc-0123456789abcdef0" });

    expect(json).toHaveDataSourceWithProperties(DataAwsVpc, {
      id: "vpc-0123456789abcdef0",
    });
    expect(block(json, "data", "aws_vpc", "env_vpc").tags).toBeUndefined();
  });

  test("should find the security group by name within the env's VPC", () => {
    expect(
      block(synthLookup(), "data", "aws_security_group", "env_security_group")
    ).toEqual({
      name: "opta-staging-elasticache-sg",
      vpc_id: "${data.aws_vpc.env_vpc.id}",
    });
  });

  test("should expose the key ARN, never its id, and the names of the env", () => {
    const values = resolved((scope) => {
      const env = new EnvInitLookup(scope, "env", { envName: "staging" });
      return {
        kmsKeyArn: env.kmsKeyArn,
        securityGroupId: env.securityGroupId,
        vpcId: env.vpcId,
        subnetGroupName: env.subnetGroupName,
        envName: env.envName,
      };
    });

    expect(values).toEqual({
      kmsKeyArn: "${data.aws_kms_key.env_kms_key.arn}",
      securityGroupId: "${data.aws_security_group.env_security_group.id}",
      vpcId: "${data.aws_vpc.env_vpc.id}",
      subnetGroupName: "opta-staging",
      envName: "staging",
    });
  });

  test("should find what EnvInit of the same env created", () => {
    const envJson = synthEnv();
    const lookupJson = synthLookup();

    expect(lookupJson).toHaveDataSourceWithProperties(DataAwsKmsKey, {
      key_id: block(envJson, "resource", "aws_kms_alias", "base_kms_alias")
        .name,
    });
    expect(lookupJson).toHaveDataSourceWithProperties(DataAwsSecurityGroup, {
      name: block(
        envJson,
        "resource",
        "aws_security_group",
        "base_elasticache_security_group"
      ).name,
    });
  });
});

describe("naming helpers", () => {
  test.each([
    [kmsAliasName, "alias/opta-staging"],
    [subnetGroupName, "opta-staging"],
    [securityGroupName, "opta-staging-elasticache-sg"],
    [eksClusterName, "opta-staging"],
  ])("%p should derive its name from the env", (helper, expected) => {
    expect(helper("staging")).toBe(expected);
  });

  test("subnetGroupName should be lowercase, as AWS stores it", () => {
    expect(subnetGroupName("Staging")).toBe("opta-staging");
  });
});
