import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** Where the shared folder should be: `$STRATA_SHARED_DIR`, else beside the repository. */
export function sharedDirPath(): string {
  return process.env.STRATA_SHARED_DIR ? resolve(process.env.STRATA_SHARED_DIR) : resolve(__dirname, "../../../shared");
}

/**
 * The project's shared folder (design notes, reference cases, real opta
 * manifests) sits beside the repository, in development and in CI alike.
 */
export function sharedDir(): string {
  const dir = sharedDirPath();
  if (!existsSync(resolve(dir, "fixtures/opta"))) {
    throw new Error(
      `the shared folder with the opta fixtures was expected at ${dir} (beside the repository); these tests run strata on it`,
    );
  }
  return dir;
}
