/**
 * The error a construct throws when its props are contradictory or out of
 * range. The message reads `<prop>: <problem> (got <value>; allowed <range>)`
 * so the manifest layer and TypeScript users see the same wording.
 */
export class StrataConstructError extends Error {
  constructor(
    /** The construct path, e.g. `staging-payments/cache`. */
    readonly constructPath: string,
    /** The prop at fault, in the construct's own camelCase. */
    readonly prop: string,
    readonly problem: string,
  ) {
    super(`[${constructPath}] ${prop}: ${problem}`);
    this.name = "StrataConstructError";
  }
}

/** Formats a received value for a message: strings quoted, the rest as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "nothing";
  return JSON.stringify(value) ?? String(value);
}

/** Makes a construct id safe as the first part of a Terraform address. */
export function logicalPrefix(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z_]/.test(safe) ? safe : `_${safe}`;
}
