"use strict";
/**
 * Writes a synthetic project for the scale rows: one environment file and
 * `count` service files, each service holding one redis module linked from a
 * k8s-service. Returns the file paths, environment first, in a fixed order.
 *
 * Standalone: node bench/generate.js DIR COUNT
 */
const { mkdirSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

const ENV_NAME = "bench";

function environmentYaml() {
  return [
    `name: ${ENV_NAME}`,
    "org_name: acme",
    "providers:",
    "  aws:",
    "    region: us-east-1",
    '    account_id: "111111111111"',
    "modules:",
    "  - type: base",
    "",
  ].join("\n");
}

function serviceYaml(name) {
  return [
    `name: ${name}`,
    "environments:",
    `  - name: ${ENV_NAME}`,
    `    path: ../env/${ENV_NAME}.yaml`,
    "modules:",
    "  - name: cache",
    "    type: redis",
    "  - name: app",
    "    type: k8s-service",
    "    links:",
    "      - cache",
    "",
  ].join("\n");
}

/** Service names are `svc0001`, `svc0002`, ...: valid namespaces and short enough for the replication group id. */
function serviceName(i) {
  return `svc${String(i).padStart(4, "0")}`;
}

function generateProject(dir, count) {
  mkdirSync(join(dir, "env"), { recursive: true });
  mkdirSync(join(dir, "services"), { recursive: true });
  const envFile = join(dir, "env", `${ENV_NAME}.yaml`);
  writeFileSync(envFile, environmentYaml());
  const files = [envFile];
  for (let i = 1; i <= count; i++) {
    const file = join(dir, "services", `${serviceName(i)}.yaml`);
    writeFileSync(file, serviceYaml(serviceName(i)));
    files.push(file);
  }
  return files;
}

module.exports = { generateProject };

if (require.main === module) {
  const [dir, count] = process.argv.slice(2);
  if (!dir || !/^\d+$/.test(count ?? "")) {
    process.stderr.write("usage: node bench/generate.js DIR COUNT\n");
    process.exit(2);
  }
  const files = generateProject(dir, Number(count));
  process.stdout.write(`wrote ${files.length} files to ${dir}\n`);
}
