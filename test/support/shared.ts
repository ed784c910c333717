import { existsSync } from "node:fs";
import { resolve } from "node:path";

/**
 * The project's shared folder (design notes, reference cases, real opta
 * manifests) sits beside the repository, in development and in CI alike.
 */
export function sharedDir(): string {
  const dir = resolve(__dirname, "../../../shared");
  if (!existsSync(resolve(dir, "fixtures/opta"))) {
    throw new Error(
      `the shared folder with the opta fixtures was expected at ${dir} (beside the repository); these tests run strata on it`,
    );
  }
  return dir;
}
