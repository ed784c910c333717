import { TerraformVariable, Testing } from "cdktf";
import {
  ACCOUNT_ID,
  ENV_NAME,
  EnvInit,
  EnvInitLookup,
  EnvInitProps,
  ORG_NAME,
  REGION,
  SUBNET_ID,
  VPC_ID,
} from "../modules/env-init";
import { StrataConstructError } from "../modules/errors";

const ENV: EnvInitProps = {
  envName: "staging",
  accountId: "111111111111",
  region: "us-east-1",
};

function synthEnv(props: Partial<EnvInitProps>): string {
  return Testing.synthScope((scope) => {
    new EnvInit(scope, "base", { ...ENV, ...props });
  });
}

const ENV_NAME_ALLOWED =
  "lowercase letters, digits and single dashes, starting with a letter and not ending with a dash";

test("should throw a StrataConstructError that names the construct and the prop", () => {
  const run = () => synthEnv({ accountId: "1" });

  expect(run).toThrow(StrataConstructError);
  expect(run).toThrow(
    expect.objectContaining({ constructPath: "stack/base", prop: "accountId" })
  );
});

describe("EnvInit envName", () => {
  test.each([
    ["one character (min)", "a"],
    ["32 characters (max)", "a".repeat(32)],
    ["single dashes and digits", "prod-eu-2"],
  ])("should accept %s", (_, envName) => {
    expect(() => synthEnv({ envName })).not.toThrow();
  });

  test("fails when it is empty (min-1)", () => {
    expect(() => synthEnv({ envName: "" })).toThrow(
      new Error(
        `[stack/base] envName: invalid format (got ""; allowed ${ENV_NAME_ALLOWED})`
      )
    );
  });

  test("fails when it is 33 characters (max+1)", () => {
    const envName = "a".repeat(33);

    expect(() => synthEnv({ envName })).toThrow(
      new Error(
        `[stack/base] envName: is 33 characters (got "${envName}"; allowed 1-32 characters)`
      )
    );
  });

  test.each([
    "Staging",
    "1staging",
    "stag--ing",
    "staging-",
    "-staging",
    "stag_ing",
    "stag.ing",
  ])("fails when it is %p", (envName) => {
    expect(() => synthEnv({ envName })).toThrow(
      new Error(
        `[stack/base] envName: invalid format (got "${envName}"; allowed ${ENV_NAME_ALLOWED})`
      )
    );
  });

  test("should keep every derived name within a DNS label at its longest", () => {
    expect(
      `opta-${"a".repeat(ENV_NAME.maxLength)}-elasticache-sg`.length
    ).toBeLessThanOrEqual(63);
  });
});

describe("EnvInit accountId", () => {
  test("should accept 12 digits with a leading zero", () => {
    expect(() => synthEnv({ accountId: "011111111111" })).not.toThrow();
  });

  test.each([
    ["11 digits (min-1)", "11111111111"],
    ["13 digits (max+1)", "1111111111111"],
    ["a letter", "11111111111a"],
    ["a number with a sign", "+11111111111"],
  ])("fails when it has %s", (_, accountId) => {
    expect(() => synthEnv({ accountId })).toThrow(
      new Error(
        `[stack/base] accountId: invalid format (got "${accountId}"; allowed 12 digits)`
      )
    );
  });

  test("fails when it is a number", () => {
    const accountId = 111111111111 as unknown as string;

    expect(() => synthEnv({ accountId })).toThrow(
      new Error(
        "[stack/base] accountId: must be a string (got 111111111111; allowed 12 digits)"
      )
    );
  });
});

describe("EnvInit region", () => {
  test.each(["us-east-1", "eu-central-2", "ap-southeast-5", "us-gov-west-1"])(
    "should accept %p",
    (region) => {
      expect(() => synthEnv({ region })).not.toThrow();
    }
  );

  test.each([
    "US-EAST-1",
    "us-east",
    "useast1",
    "cn-north-1",
    "us-east-12",
    "us-gov-west",
  ])("fails when it is %p", (region) => {
    expect(() => synthEnv({ region })).toThrow(
      new Error(
        `[stack/base] region: invalid format (got "${region}"; allowed an AWS region such as us-east-1 or us-gov-west-1 (China regions are not supported))`
      )
    );
  });
});

describe("EnvInit vpcId", () => {
  test.each(["vpc-01234567", "vpc-0123456789abcdef0"])(
    "should accept %p",
    (vpcId) => {
      expect(() => synthEnv({ vpcId })).not.toThrow();
    }
  );

  test.each([
    ["7 hex digits", "vpc-0123456"],
    ["9 hex digits", "vpc-012345678"],
    ["16 hex digits", "vpc-0123456789abcdef"],
    ["18 hex digits", "vpc-0123456789abcdef01"],
    ["uppercase hex", "vpc-0123456789ABCDEF0"],
    ["the wrong prefix", "subnet-01234567"],
  ])("fails when it has %s", (_, vpcId) => {
    expect(() => synthEnv({ vpcId })).toThrow(
      new Error(
        `[stack/base] vpcId: invalid format (got "${vpcId}"; allowed vpc- followed by 8 or 17 lowercase hex digits)`
      )
    );
  });
});

describe("EnvInit privateSubnetIds", () => {
  test("should accept 2 distinct ids (min)", () => {
    expect(() =>
      synthEnv({ privateSubnetIds: ["subnet-11111111", "subnet-22222222"] })
    ).not.toThrow();
  });

  test("fails when it has 1 id (min-1)", () => {
    expect(() => synthEnv({ privateSubnetIds: ["subnet-11111111"] })).toThrow(
      new Error(
        '[stack/base] privateSubnetIds: too few subnets (got ["subnet-11111111"]; allowed at least 2 distinct subnet ids)'
      )
    );
  });

  test("fails when it is empty", () => {
    expect(() => synthEnv({ privateSubnetIds: [] })).toThrow(
      new Error(
        "[stack/base] privateSubnetIds: too few subnets (got []; allowed at least 2 distinct subnet ids)"
      )
    );
  });

  test("fails when an id repeats", () => {
    const privateSubnetIds = [
      "subnet-11111111",
      "subnet-22222222",
      "subnet-11111111",
    ];

    expect(() => synthEnv({ privateSubnetIds })).toThrow(
      new Error(
        '[stack/base] privateSubnetIds[2]: repeats privateSubnetIds[0] (got "subnet-11111111"; allowed each subnet once)'
      )
    );
  });

  test("fails when an id is not a subnet id", () => {
    const privateSubnetIds = ["subnet-11111111", "sg-22222222"];

    expect(() => synthEnv({ privateSubnetIds })).toThrow(
      new Error(
        '[stack/base] privateSubnetIds[1]: invalid format (got "sg-22222222"; allowed subnet- followed by 8 or 17 lowercase hex digits)'
      )
    );
  });

  test("should not check a list only known to Terraform", () => {
    const json = Testing.synthScope((scope) => {
      const ids = new TerraformVariable(scope, "ids", { type: "list(string)" });
      new EnvInit(scope, "base", { ...ENV, privateSubnetIds: ids.listValue });
    });

    expect(
      JSON.parse(json).data.aws_subnets.base_private_subnets.filter[1]
    ).toEqual({
      name: "subnet-id",
      values: "${var.ids}",
    });
  });
});

describe("EnvInit tags", () => {
  test("should accept a 128-character key and a 256-character value (max)", () => {
    expect(() =>
      synthEnv({ tags: { ["k".repeat(128)]: "v".repeat(256) } })
    ).not.toThrow();
  });

  test("fails when a key is 129 characters (max+1)", () => {
    const key = "k".repeat(129);

    expect(() => synthEnv({ tags: { [key]: "v" } })).toThrow(
      new Error(
        `[stack/base] tags: is 129 characters (got "${key}"; allowed 1-128 characters)`
      )
    );
  });

  test("fails when a key is empty (min-1)", () => {
    expect(() => synthEnv({ tags: { "": "v" } })).toThrow(
      new Error(
        '[stack/base] tags: invalid format (got ""; allowed 1-128 characters, not starting with aws:)'
      )
    );
  });

  test("fails when a key starts with the reserved aws:", () => {
    expect(() => synthEnv({ tags: { "AWS:team": "v" } })).toThrow(
      new Error(
        '[stack/base] tags: invalid format (got "AWS:team"; allowed 1-128 characters, not starting with aws:)'
      )
    );
  });

  test("fails when a value is 257 characters (max+1)", () => {
    const value = "v".repeat(257);

    expect(() => synthEnv({ tags: { team: value } })).toThrow(
      new Error(
        `[stack/base] tags.team: is 257 characters (got "${value}"; allowed 0-256 characters)`
      )
    );
  });
});

describe("EnvInit tokens", () => {
  test("should not check values only known to Terraform", () => {
    const json = Testing.synthScope((scope) => {
      const vpc = new TerraformVariable(scope, "vpc", { type: "string" });
      new EnvInit(scope, "base", { ...ENV, vpcId: vpc.stringValue });
    });

    expect(JSON.parse(json).data.aws_vpc.base_vpc.id).toBe("${var.vpc}");
  });
});

describe("EnvInitLookup", () => {
  test("fails when envName is invalid", () => {
    const run = () =>
      Testing.synthScope((scope) => {
        new EnvInitLookup(scope, "env", { envName: "Staging" });
      });

    expect(run).toThrow(
      new Error(
        `[stack/env] envName: invalid format (got "Staging"; allowed ${ENV_NAME_ALLOWED})`
      )
    );
  });

  test("fails when vpcId is invalid", () => {
    const run = () =>
      Testing.synthScope((scope) => {
        new EnvInitLookup(scope, "env", {
          envName: "staging",
          vpcId: "vpc-xyz",
        });
      });

    expect(run).toThrow(
      new Error(
        '[stack/env] vpcId: invalid format (got "vpc-xyz"; allowed vpc- followed by 8 or 17 lowercase hex digits)'
      )
    );
  });
});

describe("limits as data", () => {
  test.each([
    ["ENV_NAME", ENV_NAME],
    ["ORG_NAME", ORG_NAME],
    ["ACCOUNT_ID", ACCOUNT_ID],
    ["REGION", REGION],
    ["VPC_ID", VPC_ID],
    ["SUBNET_ID", SUBNET_ID],
  ])("%s should be an anchored pattern without flags", (_, rule) => {
    expect(rule.pattern.source.startsWith("^")).toBe(true);
    expect(rule.pattern.source.endsWith("$")).toBe(true);
    expect(rule.pattern.flags).toBe("");
    expect(Object.isFrozen(rule)).toBe(true);
  });

  test.each([
    ["a", true],
    ["acme-2", true],
    ["a".repeat(15), true],
    ["", false],
    ["Acme", false],
    ["acme_co", false],
  ])(
    "ORG_NAME should judge %p as %p, as opta did except for the empty name",
    (org, ok) => {
      expect(
        ORG_NAME.pattern.test(org) && org.length <= ORG_NAME.maxLength
      ).toBe(ok);
    }
  );

  test("ORG_NAME should refuse 16 characters (max+1)", () => {
    expect(ORG_NAME.maxLength).toBe(15);
    expect("a".repeat(16).length <= ORG_NAME.maxLength).toBe(false);
  });
});
