/**
 * Shape checks: JSON Schema validation (ajv) of a whole manifest, with each
 * schema error turned into a positioned problem that says what is wrong,
 * what was given and what is allowed.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type Ajv2020 from "ajv/dist/2020";
import type { ErrorObject, Options, ValidateFunction } from "ajv";
import { Problem, show } from "../problems";
import { environmentSchema, JsonSchema, serviceSchema } from "./schema";
import { DocPath, SourceFile } from "./source";

type Kind = "environment" | "service";
export type Validators = Record<Kind, ValidateFunction>;

/**
 * The validators precompiled by `npm run build` (compile-validators.ts), as
 * a module beside this file's compiled copy. Loading it costs a few
 * milliseconds, where loading ajv and compiling the schemas costs 150 to
 * 300. It holds the schemas it was compiled from, as JSON text.
 */
export const GENERATED_VALIDATORS = "validators.generated.js";

export interface GeneratedValidators extends Validators {
  readonly schemas: string;
}

let compiled: Validators | undefined;

/**
 * The validator's copy of the schemas leaves two checks to the loader, which
 * words them better: link items (a oneOf over string and map gives poor
 * messages) and the account id's form (only the source text shows whether
 * YAML dropped a leading zero).
 */
function forValidator(schema: JsonSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema), (key, value) => {
    if (key === "links" && value && typeof value === "object" && "items" in value) {
      return { ...value, items: true };
    }
    if (key === "account_id" && value && typeof value === "object") {
      return { type: value.type };
    }
    return value;
  });
}

/** The schemas the validators check, as they are compiled. */
export function validatorSchemas(): Record<Kind, JsonSchema> {
  return {
    environment: forValidator(environmentSchema({ placeholders: false })),
    service: forValidator(serviceSchema({ placeholders: false })),
  };
}

/** The ajv instance the validators are compiled with, at run time and at build time alike. */
export function newAjv(extra: Options = {}): Ajv2020 {
  // Loaded here, not at the top: with precompiled validators ajv's compiler is never needed.
  const { default: Ajv } = require("ajv/dist/2020") as typeof import("ajv/dist/2020");
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true, ...extra });
  ajv.addKeyword({ keyword: "x-allowed", schemaType: "string" });
  return ajv;
}

/**
 * The generated validators when they were compiled from exactly these
 * schemas; undefined when they are out of date (a schema changed after the
 * last `npm run build`, e.g. when only tsc ran).
 */
export function currentValidators(
  generated: GeneratedValidators,
  schemas: Record<Kind, JsonSchema>,
): Validators | undefined {
  if (generated.schemas !== JSON.stringify(schemas)) return undefined;
  return { environment: generated.environment, service: generated.service };
}

function validators(): Validators {
  if (!compiled) {
    const schemas = validatorSchemas();
    // Missing when running from the TypeScript sources (ts-jest).
    const file = join(__dirname, GENERATED_VALIDATORS);
    const generated = existsSync(file) ? currentValidators(require(file) as GeneratedValidators, schemas) : undefined;
    if (generated) {
      compiled = generated;
    } else {
      const ajv = newAjv();
      compiled = { environment: ajv.compile(schemas.environment), service: ajv.compile(schemas.service) };
    }
  }
  return compiled;
}

export function validateShape(
  kind: "environment" | "service",
  data: unknown,
  source: SourceFile,
): Problem[] {
  const validate = validators()[kind];
  if (validate(data)) return [];
  const problems: Problem[] = [];
  const errors = validate.errors ?? [];
  // A value of the wrong form is usually of the wrong length too; say it once.
  const badForm = new Set(errors.filter((e) => e.keyword === "pattern").map((e) => e.instancePath));
  for (const error of errors) {
    if ((error.keyword === "minLength" || error.keyword === "maxLength") && badForm.has(error.instancePath)) continue;
    const problem = toProblem(error, source);
    if (problem) problems.push(problem);
  }
  return problems;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  null: "empty",
};

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "number") return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`;
  if (typeof value === "boolean") return String(value);
  return show(value);
}

function toProblem(error: ErrorObject, source: SourceFile): Problem | undefined {
  const path: DocPath = pointerToPath(error.instancePath);
  const schema = (error.parentSchema ?? {}) as Record<string, unknown>;
  const allowedText = schema["x-allowed"] as string | undefined;
  // A key that its mapping's propertyNames refuses (a tag key): said at the key.
  if (error.propertyName !== undefined) {
    const key = error.propertyName;
    return source.problem([...path, key], "is not a valid key", show(key), allowedText ?? error.message, true);
  }
  switch (error.keyword) {
    case "propertyNames":
      // Reported through the error of the key itself.
      return undefined;
    case "maxProperties": {
      const limit = (error.params as { limit: number }).limit;
      const count = error.data && typeof error.data === "object" ? Object.keys(error.data).length : 0;
      return source.problem(path, `takes at most ${limit} entries`, `${count} entries`);
    }
    case "if":
      // Reported through the errors of the "then" branch itself.
      return undefined;
    case "additionalProperties": {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys((schema.properties as object) ?? {}).sort();
      const guess = closest(key, known);
      return source.problem(
        [...path, key],
        guess ? `unknown key; did you mean ${guess}?` : "unknown key",
        show(key),
        known.join(", "),
        true,
      );
    }
    case "required": {
      const field = (error.params as { missingProperty: string }).missingProperty;
      return source.problem([...path, field], `required field ${field} is missing`);
    }
    case "type": {
      const wanted = ([] as string[])
        .concat((error.params as { type: string | string[] }).type)
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(" or ");
      return source.problem(path, `must be ${wanted}`, typeOf(error.data));
    }
    case "enum": {
      const values = (error.params as { allowedValues: unknown[] }).allowedValues;
      const list = values.map((v) => String(v));
      const allowed = allowedText ?? list.join(", ");
      const guess = typeof error.data === "string" ? closest(error.data, list) : undefined;
      const message = guess ? `not a known value; did you mean ${guess}?` : "not a known value";
      return source.problem(path, message, show(error.data), allowed);
    }
    case "pattern":
      return source.problem(
        path,
        "is not valid",
        show(error.data),
        allowedText ?? `text matching ${error.params.pattern}`,
      );
    case "maxLength":
      return source.problem(
        path,
        `is too long (${String(error.data).length} characters)`,
        show(error.data),
        `at most ${(error.params as { limit: number }).limit} characters`,
      );
    case "minLength": {
      const limit = (error.params as { limit: number }).limit;
      if (limit === 1) return source.problem(path, "must not be empty", show(error.data));
      return source.problem(
        path,
        `is too short (${String(error.data).length} characters)`,
        show(error.data),
        `at least ${limit} characters`,
      );
    }
    case "minimum":
    case "maximum": {
      const range =
        schema.minimum !== undefined && schema.maximum !== undefined
          ? `${schema.minimum} to ${schema.maximum}`
          : `${error.keyword === "minimum" ? "at least" : "at most"} ${(error.params as { limit: number }).limit}`;
      return source.problem(path, "out of range", show(error.data), range);
    }
    case "minItems": {
      const limit = (error.params as { limit: number }).limit;
      const count = Array.isArray(error.data) ? error.data.length : 0;
      return source.problem(
        path,
        `needs at least ${limit} item${limit === 1 ? "" : "s"}`,
        `${count} item${count === 1 ? "" : "s"}`,
        allowedText,
      );
    }
    case "maxItems": {
      const limit = (error.params as { limit: number }).limit;
      return source.problem(path, `takes at most ${limit} item${limit === 1 ? "" : "s"}`, show(error.data));
    }
    case "uniqueItems": {
      const { i, j } = error.params as { i: number; j: number };
      const [first, repeat] = [Math.min(i, j), Math.max(i, j)];
      const items = error.data as unknown[];
      return source.problem(
        [...path, repeat],
        `duplicate of item ${first}; items must be unique`,
        show(items[repeat]),
        allowedText,
      );
    }
    default:
      return source.problem(path, error.message ?? "is invalid", show(error.data));
  }
}

/** The closest known word, when it is close enough to be a likely typo. */
export function closest(word: string, known: readonly string[]): string | undefined {
  // A typo is short; comparing a long value against every name only costs time.
  if (word.length > 64) return undefined;
  const limit = Math.max(2, Math.floor(word.length / 3));
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Edit distance (insert, delete, replace, swap of neighbours), three rows at a time. */
function distance(a: string, b: string): number {
  let before = new Int32Array(b.length + 1);
  let previous = Int32Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      current[j] = d;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length];
}
