import { createHash } from "node:crypto";
import { Engine } from "./limits";

/**
 * The parameter group family of an engine version: `redis6.x` for every
 * Redis 6, `redis7` for Redis 7, `valkey7` and `valkey8` for Valkey. A
 * parameter group of another family than the cache's version is refused by
 * AWS at apply, so the family is always derived, never written by hand.
 */
export function parameterGroupFamily(engine: Engine, version: string): string {
  const major = version.split(".")[0];
  if (engine === "redis" && major === "6") return "redis6.x";
  return `${engine}${major}`;
}

/** Length of the family hash that ends a parameter group's name. */
export const PARAMETER_GROUP_HASH_LENGTH = 8;

/**
 * The name of a cache's parameter group:
 * `opta-<service>-<module>-<hash of the family>`. A version upgrade that
 * changes the family changes the name, so Terraform creates the new group
 * before it moves the cache and deletes the old one (a group's family cannot
 * change in place, and a group in use cannot be deleted).
 */
export function parameterGroupName(idPrefix: string, family: string): string {
  const hash = createHash("sha256").update(family).digest("hex");
  return `${idPrefix}-${hash.slice(0, PARAMETER_GROUP_HASH_LENGTH)}`;
}
