import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";

/** The package's root folder, found from this file whether compiled or not. */
export function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "examples"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("strata's package root was not found above " + __dirname);
    dir = up;
  }
  return dir;
}

/** The bundled example manifests, in a fixed order. */
export function exampleFiles(): string[] {
  const root = join(packageRoot(), "examples");
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name)) out.push(full);
    }
  };
  walk(root);
  return out;
}
