import { Token } from "cdktf";
import { Construct } from "constructs";
import { StrataConstructError, describeValue } from "./errors";

/**
 * A rule for a name or an identifier: its length and the characters and shape
 * it may have. The manifest validator and the JSON Schema read the same
 * object, so `pattern` is anchored, has no flags and uses only syntax that
 * JSON Schema's ECMA-262 dialect accepts.
 */
export interface TextRule {
  /** The whole value must match. */
  readonly pattern: RegExp;

  /** What `pattern` allows, in words, for messages and schema descriptions. */
  readonly description: string;

  /** Fewest characters allowed. */
  readonly minLength: number;

  /** Most characters allowed. */
  readonly maxLength: number;
}

/** A rule for a whole number within a closed range. */
export interface IntegerRule {
  /** Smallest value allowed. */
  readonly min: number;

  /** Largest value allowed. */
  readonly max: number;

  /** What the number means, for messages and schema descriptions. */
  readonly description: string;
}

/**
 * Throws unless `value` satisfies `rule`. Unresolved tokens pass: their
 * value is only known to Terraform.
 */
export function checkText(
  scope: Construct,
  prop: string,
  value: string,
  rule: TextRule
): void {
  if (Token.isUnresolved(value)) return;

  const got = describeValue(value);
  if (typeof value !== "string") {
    fail(
      scope,
      prop,
      `must be a string (got ${got}; allowed ${rule.description})`
    );
  }
  if (!rule.pattern.test(value)) {
    fail(
      scope,
      prop,
      `invalid format (got ${got}; allowed ${rule.description})`
    );
  }
  if (value.length < rule.minLength || value.length > rule.maxLength) {
    const allowed = `${rule.minLength}-${rule.maxLength} characters`;
    fail(
      scope,
      prop,
      `is ${value.length} characters (got ${got}; allowed ${allowed})`
    );
  }
}

/** Throws unless `value` is a whole number within `rule`; tokens pass. */
export function checkInteger(
  scope: Construct,
  prop: string,
  value: number,
  rule: IntegerRule
): void {
  if (Token.isUnresolved(value)) return;

  const allowed = `${rule.min}-${rule.max}`;
  if (!Number.isInteger(value)) {
    fail(
      scope,
      prop,
      `must be a whole number (got ${describeValue(value)}; allowed ${allowed})`
    );
  }
  if (value < rule.min || value > rule.max) {
    fail(scope, prop, `out of range (got ${value}; allowed ${allowed})`);
  }
}

/** Throws a {@link StrataConstructError} for `prop` of `scope`. */
export function fail(scope: Construct, prop: string, problem: string): never {
  throw new StrataConstructError(scope.node.path, prop, problem);
}
