import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { publish } from "../src/write";
import { workspace } from "./support/manifests";

const files = new Map([
  ["manifest.json", '{\n  "version": "0.21.0"\n}'],
  ["stacks/staging/cdk.tf.json", "{\n}"],
  ["stacks/staging-payments/cdk.tf.json", '{\n  "a": 1\n}'],
]);

describe("publish", () => {
  test("writes every file into a new folder and reports it written", () => {
    const out = join(workspace({}), "out");

    const result = publish(files, out);

    // manifest.json last: until it names the new stacks, readers see the old set.
    const stacks = [...files.keys()].filter((f) => f !== "manifest.json").sort();
    expect(result).toEqual({ written: [...stacks, "manifest.json"], unchanged: [], stale: [] });
    for (const [rel, content] of files) expect(readFileSync(join(out, rel), "utf8")).toBe(content);
  });

  test("leaves a file with the same content untouched and replaces a changed one whole", () => {
    const out = join(workspace({}), "out");
    publish(files, out);
    const same = statSync(join(out, "stacks/staging/cdk.tf.json"));
    const before = statSync(join(out, "manifest.json"));

    const result = publish(new Map([...files, ["manifest.json", '{\n  "version": "0.22.0"\n}']]), out);

    expect(result.written).toEqual(["manifest.json"]);
    expect(result.unchanged).toEqual(["stacks/staging-payments/cdk.tf.json", "stacks/staging/cdk.tf.json"]);
    const after = statSync(join(out, "stacks/staging/cdk.tf.json"));
    expect([after.ino, after.mtimeMs]).toEqual([same.ino, same.mtimeMs]);
    // A rename of a new file, not an edit in place: a reader never sees half a file.
    expect(statSync(join(out, "manifest.json")).ino).not.toBe(before.ino);
    expect(readdirSync(out).filter((f) => f.includes(".tmp"))).toEqual([]);
  });

  test("keeps what terraform put in the output folder and names stack folders it did not write", () => {
    const out = join(workspace({}), "out");
    mkdirSync(join(out, "stacks/staging/.terraform"), { recursive: true });
    writeFileSync(join(out, "stacks/staging/terraform.tfstate"), "{}");
    mkdirSync(join(out, "stacks/old-service"), { recursive: true });

    const result = publish(files, out);

    expect(result.stale).toEqual(["old-service"]);
    expect(readFileSync(join(out, "stacks/staging/terraform.tfstate"), "utf8")).toBe("{}");
    expect(readdirSync(join(out, "stacks/staging")).sort()).toEqual([".terraform", "cdk.tf.json", "terraform.tfstate"]);
  });
});
