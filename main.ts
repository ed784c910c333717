/**
 * The cdktf app, for people who drive strata with cdktf's own CLI
 * (`npx cdktf synth`, `cdktf deploy`). It synthesizes the bundled examples,
 * or the manifests named in STRATA_FILES (separated by the platform's path
 * delimiter), into the folder cdktf asks for.
 */
import { delimiter } from "node:path";
import { App } from "cdktf";
import { assemble } from "./src/assemble";
import { loadProject } from "./src/manifest/load";
import { exampleFiles } from "./src/paths";
import { ManifestError, formatProblem, formatWarning } from "./src/problems";

const files = process.env.STRATA_FILES ? process.env.STRATA_FILES.split(delimiter) : exampleFiles();

try {
  const { project, warnings } = loadProject(files, {
    cwd: process.cwd(),
    env: process.env.STRATA_ENV || undefined,
  });
  for (const w of warnings) process.stderr.write(formatWarning(w) + "\n");
  const app = new App({ stackTraces: false });
  assemble(app, project);
  app.synth();
} catch (err) {
  if (!(err instanceof ManifestError)) throw err;
  for (const p of err.problems) process.stderr.write(formatProblem(p) + "\n");
  process.exitCode = 1;
}
