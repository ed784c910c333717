/**
 * opta's `{name}` placeholders in string values. Unlike opta, which quietly
 * replaced an unknown name with an empty string, an unknown placeholder is an
 * error that lists the names that exist.
 */

export interface PlaceholderResult {
  readonly value: string;
  /** One entry per bad placeholder; empty when the string was fine. */
  readonly errors: readonly PlaceholderError[];
}

export interface PlaceholderError {
  readonly message: string;
  readonly got: string;
  readonly allowed: string;
}

/** A placeholder name: `env`, `vars.replicas`, `aws.account_id`. */
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

export function substitute(
  text: string,
  values: ReadonlyMap<string, string>,
): PlaceholderResult {
  if (!text.includes("{") && !text.includes("}")) return { value: text, errors: [] };
  const errors: PlaceholderError[] = [];
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "{" && text[i + 1] === "{") {
      out += "{";
      i += 2;
    } else if (ch === "}" && text[i + 1] === "}") {
      out += "}";
      i += 2;
    } else if (ch === "{") {
      const close = text.indexOf("}", i + 1);
      const name = close < 0 ? "" : text.slice(i + 1, close);
      if (close < 0 || !NAME.test(name)) {
        errors.push({
          message: "unbalanced brace; write {{ and }} for literal braces",
          got: JSON.stringify(text),
          allowed: `{name} with a name from ${list(values)}`,
        });
        out += ch;
        i += 1;
        continue;
      }
      const value = values.get(name);
      if (value === undefined) {
        errors.push({
          message: `unknown placeholder {${name}}`,
          got: JSON.stringify(text),
          allowed: list(values),
        });
        out += text.slice(i, close + 1);
      } else {
        out += value;
      }
      i = close + 1;
    } else if (ch === "}") {
      errors.push({
        message: "unbalanced brace; write {{ and }} for literal braces",
        got: JSON.stringify(text),
        allowed: `{name} with a name from ${list(values)}`,
      });
      out += ch;
      i += 1;
    } else {
      out += ch;
      i += 1;
    }
  }
  return { value: out, errors };
}

function list(values: ReadonlyMap<string, string>): string {
  return [...values.keys()]
    .sort()
    .map((k) => `{${k}}`)
    .join(", ");
}

/** Builds the placeholder table of one layer. */
export function placeholderValues(input: {
  env: string;
  layerName: string;
  region: string;
  accountId: string;
  variables?: Readonly<Record<string, unknown>>;
}): Map<string, string> {
  const values = new Map<string, string>([
    ["env", input.env],
    ["layer_name", input.layerName],
    ["aws.region", input.region],
    ["aws.account_id", input.accountId],
  ]);
  for (const [key, value] of Object.entries(input.variables ?? {})) {
    if (value === null || typeof value === "object") continue;
    values.set(`vars.${key}`, String(value));
  }
  return values;
}
