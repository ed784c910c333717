/**
 * The main job as a library call: manifests in, cdktf's layout out. The CLI
 * and main.ts are thin shells around it.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { App } from "cdktf";
import { assemble } from "./assemble";
import { AdoptionChange, adoptionChanges } from "./adopt";
import { loadProject } from "./manifest/load";
import { Project } from "./manifest/model";
import { Warning } from "./problems";
import { PublishResult, publish, removeScratch } from "./write";

export interface SynthOptions {
  /** Manifests to read; relative to `cwd`. */
  readonly files: readonly string[];
  readonly cwd: string;
  /** The output folder; relative to `cwd`. */
  readonly outdir: string;
  readonly env?: string;
  readonly strict?: boolean;
  /** Emit import blocks that take over running opta environments. */
  readonly adopt?: boolean;
}

export interface StackSummary {
  readonly name: string;
  readonly resources: number;
  readonly dataSources: number;
  readonly outputs: number;
}

export interface SynthResult extends PublishResult {
  readonly warnings: readonly Warning[];
  readonly stacks: readonly StackSummary[];
  /** With adoption: what the first apply will change on what opta built. */
  readonly adoption: readonly AdoptionChange[];
}

/**
 * Loads, validates and synthesizes. Throws `ManifestError` (nothing written)
 * when the manifests are invalid.
 */
export function synth(options: SynthOptions): SynthResult {
  const { project, warnings } = loadProject(options.files, options);
  const scratch = mkdtempSync(join(tmpdir(), "strata-synth-"));
  try {
    synthesizeInto(project, scratch);
    const stacks = summarize(scratch);
    const result = publish(scratch, resolve(options.cwd, options.outdir));
    return { ...result, warnings, stacks, adoption: adoptionChanges(project) };
  } finally {
    removeScratch(scratch);
  }
}

/** Builds the cdktf app for a project and synthesizes it into `outdir`. */
export function synthesizeInto(project: Project, outdir: string): void {
  // stackTraces off: construct metadata would otherwise carry absolute paths
  // of this machine into cdk.tf.json.
  const app = new App({ outdir, stackTraces: false });
  withoutTokenTraces(() => {
    assemble(app, project);
    app.synth();
  });
}

/**
 * Runs `work` without cdktf's token traces, unless STRATA_DEBUG is set.
 * cdktf records the full call stack of every token it creates (dozens per
 * service), by calling `Error.captureStackTrace` with no depth limit, only to
 * quote it in its own error messages about that token. Walking and
 * formatting those stacks was about a fifth of the CPU of a large synth.
 *
 * While `work` runs, `Error.captureStackTrace` does nothing: cdktf then sees
 * an empty trace and leaves it out of its messages. Errors themselves are
 * unaffected, since `new Error()` records its stack without that function,
 * and the stack is formatted when first read. Node's own code keeps its own
 * reference to the original, so it is unaffected too.
 */
function withoutTokenTraces(work: () => void): void {
  if (process.env.STRATA_DEBUG) return work();
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = () => undefined;
  try {
    work();
  } finally {
    Error.captureStackTrace = capture;
  }
}

function summarize(dir: string): StackSummary[] {
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  return Object.entries(manifest.stacks)
    .map(([name, s]) => {
      const tf = JSON.parse(readFileSync(join(dir, s.synthesizedStackPath), "utf8"));
      const count = (block: Record<string, Record<string, unknown>> | undefined) =>
        Object.values(block ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
      return {
        name,
        resources: count(tf.resource),
        dataSources: count(tf.data),
        outputs: Object.keys(tf.output ?? {}).length,
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
