import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { withChecks } from "../src/docs";

test("the README's checks section is what src/docs.ts generates (run `npm run docs`)", () => {
  const readme = readFileSync(join(resolve(__dirname, ".."), "README.md"), "utf8");

  expect(readme).toBe(withChecks(readme));
});
