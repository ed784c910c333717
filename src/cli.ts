/**
 * The `strata` command. The only code that writes to the terminal. Exit
 * statuses: 0 written, 1 invalid manifests (nothing written), 2 bad command
 * line, 3 a bug in strata.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { exampleFiles, packageRoot } from "./paths";
import { ManifestError, formatProblem, formatWarning } from "./problems";

export const EXIT = Object.freeze({ ok: 0, invalid: 1, usage: 2, internal: 3 });

interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
}

const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  cwd: process.cwd(),
};

/** The version in strata's package.json; read at start-up, which costs well under a millisecond. */
function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string };
  return version;
}

/** Runs the command line and returns the exit status. */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  let status: number = EXIT.ok;
  const program = new Command("strata")
    .description("opta-style manifests to Terraform JSON through CDK for Terraform")
    .version(packageVersion(), "--version", "print strata's version")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showSuggestionAfterError(true);

  program
    .command("synth")
    .description("synthesize the manifests (default: the bundled examples) into cdktf's layout")
    .argument("[files...]", "environment or service manifests; a service pulls in its environments")
    .option("--env <name>", "keep only this environments[].name entry")
    .option("--out <dir>", "output folder", "cdktf.out")
    .option("--strict", "make module types strata does not generate an error")
    .option("--adopt", "take over running opta environments: import what exists instead of creating it")
    .action(async (files: string[], opts: { env?: string; out: string; strict?: boolean; adopt?: boolean }) => {
      status = await synthCommand(files, opts, io);
    });

  program
    .command("schema")
    .description("print the JSON Schema of a manifest kind")
    .argument("<kind>", "env or service")
    .action(async (kind: string) => {
      const { environmentSchema, serviceSchema } = await import("./manifest/schema");
      if (kind !== "env" && kind !== "environment" && kind !== "service") {
        io.err(`strata: schema kind must be env or service (got ${JSON.stringify(kind)})\n`);
        status = EXIT.usage;
        return;
      }
      const schema = kind === "service" ? serviceSchema() : environmentSchema();
      io.out(JSON.stringify(schema, null, 2) + "\n");
    });

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return internalError(err, io);
  }
  return status;
}

async function synthCommand(
  files: string[],
  opts: { env?: string; out: string; strict?: boolean; adopt?: boolean },
  io: Io,
): Promise<number> {
  try {
    const { synth } = await import("./synth");
    const inputs = files.length > 0 ? files : exampleFiles();
    const result = synth({
      files: inputs,
      cwd: io.cwd,
      outdir: opts.out,
      env: opts.env,
      strict: opts.strict,
      adopt: opts.adopt,
    });
    for (const w of result.warnings) io.err(formatWarning(w) + "\n");
    for (const s of result.stale) {
      io.err(`warning: ${opts.out}/stacks/${s} was not produced by this synth; left in place\n`);
    }
    const width = Math.max(...result.stacks.map((s) => s.name.length), 5);
    const lines = result.stacks.map(
      (s) =>
        `  ${s.name.padEnd(width)}  ${count(s.resources, "resource")}, ${count(s.dataSources, "data source")}, ${count(s.outputs, "output")}`,
    );
    io.out(
      `wrote ${count(result.stacks.length, "stack")} to ${opts.out} (${count(result.written.length, "file")} changed, ${result.unchanged.length} unchanged)\n${lines.join("\n")}\n`,
    );
    if (result.adoption.length > 0 || opts.adopt) {
      const { formatAdoptionChanges } = await import("./adopt");
      io.out(formatAdoptionChanges(result.adoption));
    }
    return EXIT.ok;
  } catch (err) {
    if (err instanceof Error && err.name === "OutputError") {
      const problems = (err as Error & { problems: readonly string[] }).problems;
      for (const p of problems) io.err(`strata: --out ${opts.out}: ${p}\n`);
      io.err("strata: the output folder cannot take the stacks; nothing was written unless listed above\n");
      return EXIT.usage;
    }
    if (err instanceof ManifestError) {
      for (const p of err.problems) io.err(formatProblem(p) + "\n");
      const n = err.problems.length;
      io.err(`strata: ${count(n, "problem")}; nothing was written\n`);
      return EXIT.invalid;
    }
    return internalError(err, io);
  }
}

function internalError(err: unknown, io: Io): number {
  const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
  io.err(`strata: internal error (this is a bug in strata, please report it): ${message}\n`);
  if (process.env.STRATA_DEBUG && err instanceof Error) io.err(`${err.stack}\n`);
  return EXIT.internal;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Entry point of bin/strata.js. */
export function main(argv: readonly string[]): void {
  run(argv).then(
    (status) => {
      process.exitCode = status;
    },
    (err) => {
      process.exitCode = internalError(err, processIo);
    },
  );
}
