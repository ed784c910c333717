import { NamespaceV1, NamespaceV1Config } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Construct } from "constructs";
import { describeValue } from "../errors";
import { checkText, fail } from "../limits";
import { assignLogicalId } from "../logical-id";
import { ILinkable } from "./linkable";
import { DNS_LABEL, DNS_SUBDOMAIN, ENV_VAR_NAME, SECRET_KEY } from "./rules";

/** One link of a {@link ServiceSecret}: a module whose fields become keys. */
export interface LinkProps {
  /** The module to link, e.g. a `Redis`. */
  readonly target: ILinkable;

  /**
   * Fields of the target's `linkExtraFields()` to export besides its default
   * fields, e.g. `["cache_url"]`; each at most once.
   *
   * @default - the default fields only
   */
  readonly extras?: readonly string[];

  /**
   * New key names, field to key. When given, it must rename every field the
   * link exports (the target's default fields and the `extras`), and each
   * key must be an environment variable name.
   *
   * @default - keys `<linkName>_<field>`, e.g. `cache_cache_host`
   */
  readonly rename?: Readonly<Record<string, string>>;
}

/** Props of {@link ServiceSecret}. */
export interface ServiceSecretProps {
  /**
   * The Kubernetes namespace of the secret, a DNS label (opta used the
   * service name).
   *
   * IMPORTANT: changing it replaces the secret, and the namespace when this
   * construct creates it, with everything in it.
   */
  readonly namespace: string;

  /**
   * Whether to create the namespace; false uses an existing one.
   *
   * @default true
   */
  readonly createNamespace?: boolean;

  /**
   * The secret's name, a DNS subdomain. The workload loads it with
   * `envFrom`.
   *
   * IMPORTANT: changing it replaces the secret.
   *
   * @default "secret"
   */
  readonly secretName?: string;

  /** The modules whose fields the secret carries; at least one. */
  readonly links: readonly LinkProps[];
}

/** The defaults {@link ServiceSecret} applies to props left out. */
export const SERVICE_SECRET_DEFAULTS = Object.freeze({
  createNamespace: true,
  secretName: "secret",
});

/**
 * The Kubernetes Secret that carries a service's links, one key per linked
 * field, and optionally the namespace it lives in. Values are written plain:
 * the provider base64-encodes `data` itself.
 *
 * Terraform addresses are `<id>_<role>` with the roles `namespace` and
 * `secret`.
 */
export class ServiceSecret extends Construct {
  /** The namespace, when this construct creates it. */
  readonly namespaceResource?: NamespaceV1;

  /** The secret. */
  readonly secret: SecretV1;

  /**
   * The namespace name: a reference to the created namespace, so anything
   * using it waits for the namespace, or the name given.
   */
  readonly namespaceName: string;

  /** The secret's name. */
  readonly secretName: string;

  /** The keys written, in order. */
  readonly keys: readonly string[];

  constructor(scope: Construct, id: string, props: ServiceSecretProps) {
    super(scope, id);

    const createNamespace =
      props.createNamespace ?? SERVICE_SECRET_DEFAULTS.createNamespace;
    const secretName = props.secretName ?? SERVICE_SECRET_DEFAULTS.secretName;
    const links = [...props.links];

    checkText(this, "namespace", props.namespace, DNS_LABEL);
    checkText(this, "secretName", secretName, DNS_SUBDOMAIN);
    if (links.length === 0) {
      fail(this, "links", "no link (got []; allowed at least 1 link)");
    }
    const data = secretData(this, links);

    if (createNamespace) {
      // The versioned type: moving from the deprecated kubernetes_namespace
      // later cannot be done with a `moved` block (the types differ), so it
      // would recreate the namespace and everything in it.
      this.namespaceResource = new NamespaceV1(this, "Namespace", namespaceConfig(props.namespace));
      assignLogicalId(this, this.namespaceResource, "namespace");
    }
    const namespaceName =
      this.namespaceResource?.metadata.name ?? props.namespace;

    // `data` is passed as a plain object so the keys reach the JSON byte for
    // byte; cdktf rewrites keys of some other map inputs.
    this.secret = new SecretV1(this, "Secret", {
      metadata: { name: secretName, namespace: namespaceName },
      type: "Opaque",
      data,
    });
    assignLogicalId(this, this.secret, "secret");

    this.namespaceName = namespaceName;
    this.secretName = secretName;
    this.keys = Object.freeze(Object.keys(data));
  }
}

/** Builds the secret's data from the links, checking every key. */
function secretData(
  scope: Construct,
  links: LinkProps[]
): Record<string, string> {
  const data = new Map<string, string>();
  const writer = new Map<string, number>();

  links.forEach((link, index) => {
    const fields = linkedFields(scope, index, link);
    const keys = keyNames(scope, index, link, Object.keys(fields));

    for (const [field, value] of Object.entries(fields)) {
      const { key, prop } = keys.get(field)!;
      const earlier = writer.get(key);
      if (earlier !== undefined) {
        fail(
          scope,
          prop,
          `key ${key} is already written by links[${earlier}] (${
            links[earlier].target.linkName
          }) (got ${describeValue(
            key
          )}; allowed each key once across all links)`
        );
      }
      writer.set(key, index);
      data.set(key, value);
    }
  });
  return Object.fromEntries(data);
}

/**
 * The fields one link exports: the target's default fields, then the extras
 * it names, in the order the target lists them.
 */
function linkedFields(
  scope: Construct,
  index: number,
  link: LinkProps
): Record<string, string> {
  const fields = link.target.linkFields();
  if (link.extras === undefined || link.extras.length === 0) return fields;

  const extras = [...link.extras];
  const available = link.target.linkExtraFields?.() ?? {};
  const names = Object.keys(available);
  extras.forEach((extra, i) => {
    const prop = `links[${index}].extras[${i}]`;
    if (!names.includes(extra)) {
      fail(
        scope,
        prop,
        `${link.target.linkName} (${
          link.target.linkType
        }) has no extra field ${describeValue(extra)} (got ${describeValue(
          extra
        )}; allowed ${names.join(", ") || "none"})`
      );
    }
    if (extras.indexOf(extra) !== i) {
      fail(
        scope,
        prop,
        `${extra} is already listed (got ${describeValue(
          extras
        )}; allowed each extra field once)`
      );
    }
  });
  for (const name of names) {
    if (extras.includes(name)) fields[name] = available[name];
  }
  return fields;
}

/** The key of each field of one link, and the prop path to blame for it. */
function keyNames(
  scope: Construct,
  index: number,
  link: LinkProps,
  fields: string[]
): Map<string, { key: string; prop: string }> {
  const names = new Map<string, { key: string; prop: string }>();

  if (link.rename === undefined) {
    for (const field of fields) {
      const key = `${link.target.linkName}_${field}`;
      const prop = `links[${index}]`;
      if (!ENV_VAR_NAME.pattern.test(key)) {
        fail(
          scope,
          prop,
          `default key is not an environment variable name; rename the fields (got ${describeValue(
            key
          )}; allowed ${ENV_VAR_NAME.description})`
        );
      }
      checkText(scope, prop, key, SECRET_KEY);
      names.set(field, { key, prop });
    }
    return names;
  }

  const rename = { ...link.rename };
  checkRenamesEveryField(
    scope,
    `links[${index}].rename`,
    link.target,
    rename,
    fields
  );
  for (const field of fields) {
    const key = rename[field];
    const prop = `links[${index}].rename.${field}`;
    checkText(scope, prop, key, ENV_VAR_NAME);
    checkText(scope, prop, key, SECRET_KEY);
    names.set(field, { key, prop });
  }
  return names;
}

function checkRenamesEveryField(
  scope: Construct,
  prop: string,
  target: ILinkable,
  rename: Record<string, string>,
  fields: string[]
): void {
  const missing = fields.filter((field) => !Object.hasOwn(rename, field));
  const unknown = Object.keys(rename).filter(
    (field) => !fields.includes(field)
  );
  if (missing.length === 0 && unknown.length === 0) return;

  const problems = [
    ...(missing.length > 0 ? [`missing ${missing.join(", ")}`] : []),
    ...(unknown.length > 0 ? [`unknown ${unknown.join(", ")}`] : []),
  ];
  fail(
    scope,
    prop,
    `must rename exactly the fields ${target.linkName} (${
      target.linkType
    }) exports, ${problems.join(" and ")} (got ${describeValue(
      rename
    )}; allowed ${fields.join(", ")})`
  );
}

/**
 * A service's namespace. strata sets no labels or annotations on it, and
 * ignores the ones others set (a mesh's injection annotation, opta's own
 * labels on an adopted namespace), so it never removes them.
 */
export function namespaceConfig(name: string): NamespaceV1Config {
  return {
    metadata: { name },
    lifecycle: { ignoreChanges: ["metadata[0].labels", "metadata[0].annotations"] },
  };
}
