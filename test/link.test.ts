import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Testing } from "cdktf";
import { Construct } from "constructs";
import { StrataConstructError } from "../modules/errors";
import {
  DNS_LABEL,
  DNS_SUBDOMAIN,
  ENV_VAR_NAME,
  ILinkable,
  LinkProps,
  SECRET_KEY,
  SERVICE_SECRET_DEFAULTS,
  ServiceSecret,
  ServiceSecretProps,
} from "../modules/link";
import { Redis, RedisProps } from "../modules/redis";

const REDIS: RedisProps = {
  envName: "staging",
  serviceName: "payments",
  kmsKeyArn:
    "arn:aws:kms:us-east-1:111111111111:key/0123abcd-12ab-34cd-56ef-1234567890ab",
  securityGroupIds: ["sg-0123456789abcdef0"],
  subnetGroupName: "opta-staging",
};

const HOST = (module: string) =>
  `\${aws_elasticache_replication_group.${module}_replication_group.primary_endpoint_address}`;
const TOKEN = (module: string) =>
  `\${random_password.${module}_auth_token.result}`;

/** A link target with made-up fields, for checks that are not about Redis. */
function fake(linkName: string, fields: Record<string, string>): ILinkable {
  return { linkName, linkType: "fake", linkFields: () => ({ ...fields }) };
}

type Links = (scope: Construct) => LinkProps[];

/** Synthesizes a ServiceSecret "app" whose links `links` makes in the stack. */
function synthSecret(
  links: Links,
  props: Partial<ServiceSecretProps> = {}
): string {
  return Testing.synthScope((scope) => {
    new ServiceSecret(scope, "app", {
      namespace: "payments",
      links: links(scope),
      ...props,
    });
  });
}

function cache(scope: Construct, id = "cache"): Redis {
  return new Redis(scope, id, REDIS);
}

function secretOf(json: string): Record<string, any> {
  return JSON.parse(json).resource.kubernetes_secret_v1.app_secret;
}

describe("ServiceSecret", () => {
  test("should name its resources <construct id>_<role>", () => {
    const json = JSON.parse(synthSecret((s) => [{ target: cache(s) }]));

    expect(Object.keys(json.resource.kubernetes_namespace_v1)).toEqual([
      "app_namespace",
    ]);
    expect(Object.keys(json.resource.kubernetes_secret_v1)).toEqual([
      "app_secret",
    ]);
  });

  test("should create the namespace and put an Opaque secret named secret in it", () => {
    const json = synthSecret((s) => [{ target: cache(s) }]);

    expect(
      JSON.parse(json).resource.kubernetes_namespace_v1.app_namespace
    ).toEqual({
      metadata: { name: "payments" },
      // Labels and annotations others set (a mesh, opta) are left alone.
      lifecycle: {
        ignore_changes: ["metadata[0].labels", "metadata[0].annotations"],
      },
    });
    expect(secretOf(json)).toEqual({
      metadata: {
        name: "secret",
        namespace: "${kubernetes_namespace_v1.app_namespace.metadata[0].name}",
      },
      type: "Opaque",
      data: {
        cache_cache_host: HOST("cache"),
        cache_cache_auth_token: TOKEN("cache"),
      },
    });
  });

  test("should write default keys <module>_<field> in the order the target lists its fields", () => {
    Testing.synthScope((scope) => {
      const secret = new ServiceSecret(scope, "app", {
        namespace: "payments",
        links: [{ target: cache(scope) }],
      });

      expect(secret.keys).toEqual([
        "cache_cache_host",
        "cache_cache_auth_token",
      ]);
    });
  });

  test("should write values as plain references, never base64-encoded", () => {
    const data = secretOf(synthSecret((s) => [{ target: cache(s) }])).data;

    for (const value of Object.values(data)) {
      expect(value).toMatch(/^\$\{[a-z_]+\.[a-z_]+\.[a-z_]+\}$/);
      expect(value).not.toContain("base64");
    }
  });

  test("should write renamed keys byte for byte", () => {
    const json = synthSecret((s) => [
      {
        target: cache(s),
        rename: { cache_host: "CACHEHOST", cache_auth_token: "cacheAuthToken" },
      },
    ]);
    const data = secretOf(json).data;

    expect(Object.keys(data).sort()).toEqual(["CACHEHOST", "cacheAuthToken"]);
    expect(data).toEqual({
      CACHEHOST: HOST("cache"),
      cacheAuthToken: TOKEN("cache"),
    });
  });

  test("should link two caches into one secret", () => {
    const json = synthSecret((s) => [
      { target: cache(s, "cache") },
      {
        target: cache(s, "sessions"),
        rename: {
          cache_host: "SESSIONS_HOST",
          cache_auth_token: "SESSIONS_TOKEN",
        },
      },
    ]);

    expect(secretOf(json).data).toEqual({
      cache_cache_host: HOST("cache"),
      cache_cache_auth_token: TOKEN("cache"),
      SESSIONS_HOST: HOST("sessions"),
      SESSIONS_TOKEN: TOKEN("sessions"),
    });
  });

  test("should link the same cache twice under different names", () => {
    const json = synthSecret((s) => {
      const target = cache(s);
      return [
        { target },
        { target, rename: { cache_host: "HOST", cache_auth_token: "TOKEN" } },
      ];
    });

    expect(Object.keys(secretOf(json).data).sort()).toEqual([
      "HOST",
      "TOKEN",
      "cache_cache_auth_token",
      "cache_cache_host",
    ]);
  });

  describe("options, each on its own", () => {
    test("createNamespace false should use the namespace by name and create none", () => {
      const json = synthSecret((s) => [{ target: cache(s) }], {
        createNamespace: false,
      });

      expect(JSON.parse(json).resource.kubernetes_namespace_v1).toBeUndefined();
      expect(secretOf(json).metadata).toEqual({
        name: "secret",
        namespace: "payments",
      });
    });

    test("createNamespace true should create the namespace", () => {
      const json = synthSecret((s) => [{ target: cache(s) }], {
        createNamespace: true,
      });

      expect(json).toHaveResourceWithProperties(NamespaceV1, {
        metadata: { name: "payments" },
      });
    });

    test("secretName should name the secret", () => {
      const json = synthSecret((s) => [{ target: cache(s) }], {
        secretName: "payments.links",
      });

      expect(json).toHaveResourceWithProperties(SecretV1, {
        metadata: expect.objectContaining({ name: "payments.links" }),
      });
    });

    test("namespace should name the namespace and place the secret", () => {
      const json = synthSecret((s) => [{ target: cache(s) }], {
        namespace: "billing",
        createNamespace: false,
      });

      expect(secretOf(json).metadata.namespace).toBe("billing");
    });
  });

  test("should default to creating the namespace and naming the secret secret", () => {
    expect(SERVICE_SECRET_DEFAULTS).toEqual({
      createNamespace: true,
      secretName: "secret",
    });
    expect(Object.isFrozen(SERVICE_SECRET_DEFAULTS)).toBe(true);
  });

  test("should copy rename maps and link lists, not keep them", () => {
    const rename: Record<string, string> = { a: "A" };
    const links: LinkProps[] = [{ target: fake("x", { a: "1" }), rename }];
    const json = Testing.synthScope((scope) => {
      new ServiceSecret(scope, "app", { namespace: "payments", links });
      rename.a = "CHANGED";
      links.push({ target: fake("y", { b: "2" }) });
    });

    expect(secretOf(json).data).toEqual({ A: "1" });
  });

  test("should expose the names it used", () => {
    Testing.synthScope((scope) => {
      const secret = new ServiceSecret(scope, "app", {
        namespace: "payments",
        createNamespace: false,
        links: [{ target: cache(scope) }],
      });

      expect(secret.namespaceName).toBe("payments");
      expect(secret.secretName).toBe("secret");
      expect(secret.namespaceResource).toBeUndefined();
    });
  });
});

describe("ServiceSecret errors", () => {
  test("should throw a StrataConstructError that names the construct and the prop", () => {
    const run = () =>
      synthSecret((s) => [{ target: cache(s) }], { namespace: "A" });

    expect(run).toThrow(StrataConstructError);
    expect(run).toThrow(
      expect.objectContaining({ constructPath: "stack/app", prop: "namespace" })
    );
  });

  test("fails when there is no link", () => {
    expect(() => synthSecret(() => [])).toThrow(
      new Error("[stack/app] links: no link (got []; allowed at least 1 link)")
    );
  });

  test("fails when a rename map leaves a field out", () => {
    const run = () =>
      synthSecret((s) => [
        { target: cache(s), rename: { cache_host: "CACHEHOST" } },
      ]);

    expect(run).toThrow(
      new Error(
        '[stack/app] links[0].rename: must rename exactly the fields cache (redis) exports, missing cache_auth_token (got {"cache_host":"CACHEHOST"}; allowed cache_host, cache_auth_token)'
      )
    );
  });

  test("fails when a rename map has a field the target does not export", () => {
    const rename = { cache_host: "H", cache_auth_token: "A", cache_port: "P" };

    expect(() => synthSecret((s) => [{ target: cache(s), rename }])).toThrow(
      new Error(
        '[stack/app] links[0].rename: must rename exactly the fields cache (redis) exports, unknown cache_port (got {"cache_host":"H","cache_auth_token":"A","cache_port":"P"}; allowed cache_host, cache_auth_token)'
      )
    );
  });

  test("fails naming both missing and unknown fields", () => {
    const rename = { host: "H", cache_auth_token: "A" };

    expect(() => synthSecret((s) => [{ target: cache(s), rename }])).toThrow(
      new Error(
        '[stack/app] links[0].rename: must rename exactly the fields cache (redis) exports, missing cache_host and unknown host (got {"host":"H","cache_auth_token":"A"}; allowed cache_host, cache_auth_token)'
      )
    );
  });

  test("fails when an empty rename map is given", () => {
    expect(() =>
      synthSecret((s) => [{ target: cache(s), rename: {} }])
    ).toThrow(
      new Error(
        "[stack/app] links[0].rename: must rename exactly the fields cache (redis) exports, missing cache_host, cache_auth_token (got {}; allowed cache_host, cache_auth_token)"
      )
    );
  });

  test.each(["CACHE-HOST", "cache.host", "1HOST", "CACHE HOST", ""])(
    "fails when a key is the environment variable name %p",
    (name) => {
      const run = () =>
        synthSecret((s) => [
          {
            target: cache(s),
            rename: { cache_host: name, cache_auth_token: "A" },
          },
        ]);

      expect(run).toThrow(
        new Error(
          `[stack/app] links[0].rename.cache_host: invalid format (got ${JSON.stringify(
            name
          )}; allowed an environment variable name: letters, digits and underscores, not starting with a digit)`
        )
      );
    }
  );

  test("fails when a new name is not a string", () => {
    const rename = {
      cache_host: 1,
      cache_auth_token: "A",
    } as unknown as Record<string, string>;

    expect(() => synthSecret((s) => [{ target: cache(s), rename }])).toThrow(
      new Error(
        "[stack/app] links[0].rename.cache_host: must be a string (got 1; allowed an environment variable name: letters, digits and underscores, not starting with a digit)"
      )
    );
  });

  test("fails when a default key is not an environment variable name", () => {
    expect(() =>
      synthSecret((s) => [{ target: cache(s, "session-cache") }])
    ).toThrow(
      new Error(
        '[stack/app] links[0]: default key is not an environment variable name; rename the fields (got "session-cache_cache_host"; allowed an environment variable name: letters, digits and underscores, not starting with a digit)'
      )
    );
  });

  test("should accept a 253-character key (max) and refuse 254 (max+1)", () => {
    const links = (name: string) => (s: Construct) =>
      [{ target: fake("x", { a: "1" }), rename: { a: name } }];

    expect(() => synthSecret(links("K".repeat(253)))).not.toThrow();
    expect(() => synthSecret(links("K".repeat(254)))).toThrow(
      new Error(
        `[stack/app] links[0].rename.a: is 254 characters (got "${"K".repeat(
          254
        )}"; allowed 1-253 characters)`
      )
    );
  });

  test("fails when two renames produce the same key, naming both links", () => {
    const run = () =>
      synthSecret((s) => [
        {
          target: cache(s, "cache"),
          rename: { cache_host: "CACHEHOST", cache_auth_token: "CACHEAUTH" },
        },
        {
          target: cache(s, "sessions"),
          rename: { cache_host: "CACHEHOST", cache_auth_token: "SESSIONAUTH" },
        },
      ]);

    expect(run).toThrow(
      new Error(
        '[stack/app] links[1].rename.cache_host: key CACHEHOST is already written by links[0] (cache) (got "CACHEHOST"; allowed each key once across all links)'
      )
    );
  });

  test("fails when one target is linked twice with default names", () => {
    const run = () =>
      synthSecret((s) => {
        const target = cache(s);
        return [{ target }, { target }];
      });

    expect(run).toThrow(
      new Error(
        '[stack/app] links[1]: key cache_cache_host is already written by links[0] (cache) (got "cache_cache_host"; allowed each key once across all links)'
      )
    );
  });

  test("fails when a rename collides with another link's default key", () => {
    const run = () =>
      synthSecret((s) => [
        { target: cache(s, "cache") },
        {
          target: cache(s, "sessions"),
          rename: {
            cache_host: "S_HOST",
            cache_auth_token: "cache_cache_auth_token",
          },
        },
      ]);

    expect(run).toThrow(
      new Error(
        '[stack/app] links[1].rename.cache_auth_token: key cache_cache_auth_token is already written by links[0] (cache) (got "cache_cache_auth_token"; allowed each key once across all links)'
      )
    );
  });

  test.each([
    ["one character (min)", "a"],
    ["63 characters (max)", "a".repeat(63)],
  ])("should accept a namespace of %s", (_, namespace) => {
    expect(() =>
      synthSecret((s) => [{ target: cache(s) }], { namespace })
    ).not.toThrow();
  });

  test("fails when the namespace is 64 characters (max+1)", () => {
    const namespace = "a".repeat(64);

    expect(() =>
      synthSecret((s) => [{ target: cache(s) }], { namespace })
    ).toThrow(
      new Error(
        `[stack/app] namespace: is 64 characters (got "${namespace}"; allowed 1-63 characters)`
      )
    );
  });

  /** A secret name of `length` characters: three full DNS labels, then one more. */
  const dottedName = (length: number) =>
    `${["a", "b", "c"].map((c) => c.repeat(63)).join(".")}.${"d".repeat(
      length - 192
    )}`;

  test("should accept a secret name of 253 characters (max)", () => {
    expect(dottedName(253)).toHaveLength(253);
    expect(() =>
      synthSecret((s) => [{ target: cache(s) }], {
        secretName: dottedName(253),
      })
    ).not.toThrow();
  });

  test("fails when the secret name is 254 characters (max+1)", () => {
    const secretName = dottedName(254);

    expect(() =>
      synthSecret((s) => [{ target: cache(s) }], { secretName })
    ).toThrow(
      new Error(
        `[stack/app] secretName: is 254 characters (got "${secretName}"; allowed 1-253 characters)`
      )
    );
  });

  const LABEL =
    "a DNS label: lowercase letters, digits and dashes, starting and ending with a letter or digit";
  const SUBDOMAIN =
    "a DNS subdomain: lowercase letters, digits, dashes and dots, each dot-separated part starting and ending with a letter or digit";
  test.each([
    ...["", "Payments", "-payments", "payments-", "pay.ments", "pay_ments"].map(
      (v) => ["namespace", v, LABEL]
    ),
    ...["Secret", "my_secret", "secret.", ".secret", ""].map((v) => [
      "secretName",
      v,
      SUBDOMAIN,
    ]),
  ])("fails when %s is %p", (prop, value, allowed) => {
    expect(() =>
      synthSecret((s) => [{ target: cache(s) }], { [prop]: value })
    ).toThrow(
      new Error(
        `[stack/app] ${prop}: invalid format (got ${JSON.stringify(
          value
        )}; allowed ${allowed})`
      )
    );
  });
});

describe("name rules as data", () => {
  test.each([
    ["DNS_LABEL", DNS_LABEL, "/^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/"],
    [
      "DNS_SUBDOMAIN",
      DNS_SUBDOMAIN,
      "/^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/",
    ],
    ["SECRET_KEY", SECRET_KEY, "/^[-._a-zA-Z0-9]+$/"],
    ["ENV_VAR_NAME", ENV_VAR_NAME, "/^[A-Za-z_][A-Za-z0-9_]*$/"],
  ])("%s should be the Kubernetes rule", (_, rule, pattern) => {
    expect(String(rule.pattern)).toBe(pattern);
    expect(Object.isFrozen(rule)).toBe(true);
  });

  test.each(["CACHEHOST", "cache_cache_host", "_private", "cacheAuthToken"])(
    "ENV_VAR_NAME should accept %p",
    (name) => {
      expect(ENV_VAR_NAME.pattern.test(name)).toBe(true);
    }
  );
});

describe("extra fields", () => {
  const URL = (module: string) =>
    `rediss://:\${random_password.${module}_auth_token.result}@\${aws_elasticache_replication_group.${module}_replication_group.primary_endpoint_address}:\${aws_elasticache_replication_group.${module}_replication_group.port}`;
  const PORT = (module: string) =>
    `\${aws_elasticache_replication_group.${module}_replication_group.port}`;

  test("should add the extras named after the default fields, in the target's order", () => {
    let keys: readonly string[] = [];
    const json = Testing.synthScope((scope) => {
      keys = new ServiceSecret(scope, "app", {
        namespace: "payments",
        links: [{ target: cache(scope), extras: ["cache_url", "cache_port"] }],
      }).keys;
    });

    expect(keys).toEqual([
      "cache_cache_host",
      "cache_cache_auth_token",
      "cache_cache_port",
      "cache_cache_url",
    ]);
    expect(secretOf(json).data).toMatchObject({
      cache_cache_port: PORT("cache"),
      cache_cache_url: URL("cache"),
    });
  });

  test("cache_url should be a Terraform template of the token, host and port, never base64", () => {
    const url = secretOf(
      synthSecret((s) => [{ target: cache(s), extras: ["cache_url"] }])
    ).data.cache_cache_url;

    expect(url).toBe(URL("cache"));
    expect(url).not.toContain("base64");
  });

  test("a rename map should rename the extras too", () => {
    const json = synthSecret((s) => [
      {
        target: cache(s),
        extras: ["cache_url"],
        rename: { cache_host: "H", cache_auth_token: "T", cache_url: "U" },
      },
    ]);

    expect(secretOf(json).data).toEqual({
      H: HOST("cache"),
      T: TOKEN("cache"),
      U: URL("cache"),
    });
  });

  test("an empty list should keep the default fields only", () => {
    expect(
      synthSecret((s) => [{ target: cache(s), extras: [] }])
    ).toEqual(synthSecret((s) => [{ target: cache(s) }]));
  });

  test("fails when a rename map leaves out an extra", () => {
    const run = () =>
      synthSecret((s) => [
        {
          target: cache(s),
          extras: ["cache_url"],
          rename: { cache_host: "H", cache_auth_token: "T" },
        },
      ]);

    expect(run).toThrow(
      new Error(
        '[stack/app] links[0].rename: must rename exactly the fields cache (redis) exports, missing cache_url (got {"cache_host":"H","cache_auth_token":"T"}; allowed cache_host, cache_auth_token, cache_url)'
      )
    );
  });

  test.each(["read", "cache_host", "CACHE_URL"])("fails on the extra %p", (extra) => {
    expect(() => synthSecret((s) => [{ target: cache(s), extras: [extra] }])).toThrow(
      new Error(
        `[stack/app] links[0].extras[0]: cache (redis) has no extra field "${extra}" (got "${extra}"; allowed cache_port, cache_url)`
      )
    );
  });

  test("fails on an extra listed twice", () => {
    expect(() =>
      synthSecret((s) => [{ target: cache(s), extras: ["cache_url", "cache_url"] }])
    ).toThrow(
      new Error(
        '[stack/app] links[0].extras[1]: cache_url is already listed (got ["cache_url","cache_url"]; allowed each extra field once)'
      )
    );
  });

  test("fails on an extra of a target that has none", () => {
    expect(() =>
      synthSecret(() => [{ target: fake("x", { a: "1" }), extras: ["b"] }])
    ).toThrow(
      new Error(
        '[stack/app] links[0].extras[0]: x (fake) has no extra field "b" (got "b"; allowed none)'
      )
    );
  });

  test("should copy the extras list, not keep it", () => {
    const extras = ["cache_port"];
    const json = Testing.synthScope((scope) => {
      new ServiceSecret(scope, "app", {
        namespace: "payments",
        links: [{ target: cache(scope), extras }],
      });
      extras.push("cache_url");
    });

    expect(Object.keys(secretOf(json).data)).not.toContain("cache_cache_url");
  });
});
