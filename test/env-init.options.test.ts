import { Testing } from "cdktf";
import { EnvInit, EnvInitLookup, EnvInitProps, KEY_ADMIN_ACTIONS, KEY_USER_ACTIONS } from "../modules/env-init";

const ENV: EnvInitProps = { envName: "staging", accountId: "111111111111", region: "us-east-1" };

function synth(props: Partial<EnvInitProps> = {}): Record<string, any> {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new EnvInit(scope, "base", { ...ENV, ...props });
    }),
  );
}

function fails(props: Partial<EnvInitProps>): () => void {
  return () => synth(props);
}

function policyOf(json: Record<string, any>): Record<string, any> {
  return JSON.parse(json.resource.aws_kms_key.base_kms_key.policy);
}

describe("KMS key options, each on its own", () => {
  test.each([7, 30])("deletionWindowInDays %i is written", (days) => {
    expect(synth({ deletionWindowInDays: days }).resource.aws_kms_key.base_kms_key.deletion_window_in_days).toBe(days);
  });

  test.each([6, 31])("fails when deletionWindowInDays is %i", (days) => {
    expect(fails({ deletionWindowInDays: days })).toThrow(
      `[stack/base] deletionWindowInDays: out of range (got ${days}; allowed 7-30)`,
    );
  });

  test.each([90, 2560])("rotationPeriodInDays %i is written", (days) => {
    expect(synth({ rotationPeriodInDays: days }).resource.aws_kms_key.base_kms_key.rotation_period_in_days).toBe(days);
  });

  test("rotationPeriodInDays is left to AWS by default", () => {
    expect(synth().resource.aws_kms_key.base_kms_key.rotation_period_in_days).toBeUndefined();
  });

  test.each([89, 2561])("fails when rotationPeriodInDays is %i", (days) => {
    expect(fails({ rotationPeriodInDays: days })).toThrow(
      `[stack/base] rotationPeriodInDays: out of range (got ${days}; allowed 90-2560)`,
    );
  });

  test("keyAdmins of the account are looked up and named by their looked-up ARN", () => {
    const json = synth({ keyAdmins: ["arn:aws:iam::111111111111:role/platform/admins"] });

    expect(json.data.aws_iam_role).toEqual({ base_iam_role_admins: { name: "admins" } });
    const statements = policyOf(json).Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual([
      "Enable IAM User Permissions",
      "Allow CloudWatch Logs",
      "Allow key administrators",
    ]);
    expect(statements[2]).toEqual({
      Sid: "Allow key administrators",
      Effect: "Allow",
      Principal: { AWS: ["${data.aws_iam_role.base_iam_role_admins.arn}"] },
      Action: [...KEY_ADMIN_ACTIONS],
      Resource: "*",
    });
  });

  test("keyUsers that are users are looked up as users", () => {
    const json = synth({ keyUsers: ["arn:aws:iam::111111111111:user/ci"] });

    expect(json.data.aws_iam_user).toEqual({ base_iam_user_ci: { user_name: "ci" } });
    expect(policyOf(json).Statement[2]).toEqual({
      Sid: "Allow key users",
      Effect: "Allow",
      Principal: { AWS: ["${data.aws_iam_user.base_iam_user_ci.arn}"] },
      Action: [...KEY_USER_ACTIONS],
      Resource: "*",
    });
  });

  test("a principal of another account is named as given, with no lookup", () => {
    const json = synth({ keyUsers: ["arn:aws:iam::222222222222:role/reader"] });

    expect(json.data.aws_iam_role).toBeUndefined();
    expect(policyOf(json).Statement[2].Principal).toEqual({ AWS: ["arn:aws:iam::222222222222:role/reader"] });
  });

  test("a role in both lists is looked up once", () => {
    const arn = "arn:aws:iam::111111111111:role/ops";
    const json = synth({ keyAdmins: [arn], keyUsers: [arn] });

    expect(Object.keys(json.data.aws_iam_role)).toEqual(["base_iam_role_ops"]);
  });

  test.each(["arn:aws:iam::111111111111:group/admins", "admins", "arn:aws:iam::1111:role/x"])(
    "fails on key admin %s",
    (arn) => {
      expect(fails({ keyAdmins: [arn] })).toThrow(
        `[stack/base] keyAdmins[0]: invalid format (got "${arn}"; allowed an IAM role, user or account root ARN, e.g. arn:aws:iam::111111111111:role/admins)`,
      );
    },
  );

  test("extraStatements are appended and the root statement is kept", () => {
    const json = synth({
      extraStatements: [
        {
          sid: "Allow SNS",
          principals: { Service: ["sns.amazonaws.com"] },
          actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
          conditions: { StringEquals: { "aws:SourceAccount": "111111111111" } },
        },
      ],
    });

    const statements = policyOf(json).Statement;
    expect(statements[0].Principal).toEqual({ AWS: "arn:aws:iam::111111111111:root" });
    expect(statements[2]).toEqual({
      Sid: "Allow SNS",
      Effect: "Allow",
      Principal: { Service: ["sns.amazonaws.com"] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
    });
  });

  test.each([
    [
      { sid: "Enable IAM User Permissions", principals: { Service: ["s3.amazonaws.com"] }, actions: ["kms:Decrypt"] },
      'extraStatements[0].sid: is already used (got "Enable IAM User Permissions"; allowed a sid other than Enable IAM User Permissions, Allow CloudWatch Logs, Allow key administrators, Allow key users)',
    ],
    [
      { sid: "x", principals: {}, actions: ["kms:Decrypt"] },
      "extraStatements[0].principals: names no principal (got none; allowed AWS and/or Service lists)",
    ],
    [
      { sid: "x", principals: { Service: ["s3.amazonaws.com"] }, actions: ["s3:GetObject"] },
      'extraStatements[0].actions[0]: invalid format (got "s3:GetObject"; allowed a KMS action such as kms:Decrypt or kms:Describe*)',
    ],
    [
      { sid: "Lock", effect: "Deny" as const, principals: { AWS: ["*"] }, actions: ["kms:PutKeyPolicy"] },
      "extraStatements[0]: would deny the account root the right to change the key policy, locking the account out (got a Deny of policy changes for the root or *; allowed statements that keep the root in control)",
    ],
  ])("fails on extra statement %j", (statement, message) => {
    expect(fails({ extraStatements: [statement] })).toThrow(`[stack/base] ${message}`);
  });
});

describe("VPC and subnet options, each on its own", () => {
  test("vpcTags find the VPC by other tags", () => {
    expect(synth({ vpcTags: { Name: "main" } }).data.aws_vpc.base_vpc.tags).toEqual({ Name: "main" });
  });

  test("vpcTags reach the service stack's lookup too", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new EnvInitLookup(scope, "env", { envName: "staging", vpcTags: { Name: "main" } });
      }),
    );

    expect(json.data.aws_vpc.env_vpc.tags).toEqual({ Name: "main" });
  });

  test("privateSubnetTags find the subnets by other tags, named in the plan-time message", () => {
    const subnets = synth({ privateSubnetTags: { tier: "data" } }).data.aws_subnets.base_private_subnets;

    expect(subnets.tags).toEqual({ tier: "data" });
    expect(subnets.lifecycle.postcondition[0].error_message).toContain("subnets tagged tier = data");
  });

  test("excludeAzIds leaves those zones' subnets out and checks what is left", () => {
    const group = synth({ excludeAzIds: ["use1-az3"] }).resource.aws_elasticache_subnet_group
      .base_elasticache_subnet_group;

    const kept = '[for s in values(data.aws_subnet.base_private_subnet) : s if !contains(["use1-az3"], s.availability_zone_id)]';
    expect(group.subnet_ids).toBe(`\${[for s in ${kept} : s.id]}`);
    expect(group.lifecycle.precondition.map((p: any) => p.condition)).toEqual([
      `\${length(${kept}) >= 2}`,
      `\${length(distinct([for s in ${kept} : s.availability_zone_id])) >= 2}`,
    ]);
  });

  test.each(["us-east-1a", "use1-az", "az1"])("fails on excluded zone id %s", (az) => {
    expect(fails({ excludeAzIds: [az] })).toThrow(
      `[stack/base] excludeAzIds[0]: invalid format (got "${az}"; allowed an availability zone id such as use1-az1)`,
    );
  });

  test("fails when both vpcId and vpcTags are given", () => {
    expect(fails({ vpcId: "vpc-01234567", vpcTags: { Name: "x" } })).toThrow(
      "[stack/base] vpcTags: give vpcId or vpcTags, not both (got both; allowed one of them)",
    );
  });

  test("fails when both privateSubnetIds and privateSubnetTags are given", () => {
    expect(
      fails({ privateSubnetIds: ["subnet-01234567", "subnet-11111111"], privateSubnetTags: { type: "x" } }),
    ).toThrow("[stack/base] privateSubnetTags: give privateSubnetIds or privateSubnetTags, not both (got both; allowed one of them)");
  });
});

describe("security group options, each on its own", () => {
  const rule = { protocol: "tcp", from_port: 6379, to_port: 6379, ipv6_cidr_blocks: null, prefix_list_ids: null, self: null };

  test("allowedSecurityGroupIds admit only those groups", () => {
    const sg = synth({ allowedSecurityGroupIds: ["sg-01234567"] }).resource.aws_security_group
      .base_elasticache_security_group;

    expect(sg.ingress).toEqual([
      { ...rule, description: "Redis from the allowed security groups", security_groups: ["sg-01234567"], cidr_blocks: null },
    ]);
    expect(sg.egress).toBeUndefined();
  });

  test("allowedCidrBlocks admit only those blocks", () => {
    const sg = synth({ allowedCidrBlocks: ["10.1.0.0/16"] }).resource.aws_security_group.base_elasticache_security_group;

    expect(sg.ingress).toEqual([
      { ...rule, description: "Redis from the allowed CIDR blocks", cidr_blocks: ["10.1.0.0/16"], security_groups: null },
    ]);
  });

  test("the group's description does not depend on the options (changing it would replace the group)", () => {
    const a = synth().resource.aws_security_group.base_elasticache_security_group.description;
    const b = synth({ allowedCidrBlocks: ["10.1.0.0/16"] }).resource.aws_security_group.base_elasticache_security_group
      .description;

    expect(b).toBe(a);
  });

  test.each([
    [{ allowedSecurityGroupIds: ["sg-1"] }, 'allowedSecurityGroupIds[0]: invalid format (got "sg-1"; allowed sg- followed by 8 or 17 lowercase hex digits)'],
    [{ allowedCidrBlocks: ["10.0.0.0/33"] }, 'allowedCidrBlocks[0]: invalid format (got "10.0.0.0/33"; allowed an IPv4 CIDR block such as 10.0.0.0/16)'],
    [{ allowedCidrBlocks: ["10.0.0/16"] }, 'allowedCidrBlocks[0]: invalid format (got "10.0.0/16"; allowed an IPv4 CIDR block such as 10.0.0.0/16)'],
  ])("fails on %j", (props, message) => {
    expect(fails(props)).toThrow(`[stack/base] ${message}`);
  });
});
