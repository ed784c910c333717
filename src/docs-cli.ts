/**
 * `npm run docs`: regenerates the checks section of README.md. A build-time
 * tool, not part of the `strata` command.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withChecks } from "./docs";
import { packageRoot } from "./paths";

const readme = join(packageRoot(), "README.md");
writeFileSync(readme, withChecks(readFileSync(readme, "utf8")));
