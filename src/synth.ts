/**
 * The main job as a library call: manifests in, cdktf's layout out. The CLI
 * and main.ts are thin shells around it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { App, Manifest, TerraformStack } from "cdktf";
import { assemble } from "./assemble";
import { AdoptionChange, adoptionChanges } from "./adopt";
import { loadProject } from "./manifest/load";
import { Project } from "./manifest/model";
import { MemorySynthesizer, SynthesizedStack, cdktfJson } from "./memory-synthesizer";
import { Warning } from "./problems";
import { PublishResult, publish } from "./write";

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
  const synthesized = synthesizeFiles(project);
  const result = publish(synthesized.files, resolve(options.cwd, options.outdir));
  return { ...result, warnings, stacks: summarize(synthesized.stacks), adoption: adoptionChanges(project) };
}

export interface SynthesizedProject {
  /** Every file of cdktf's layout: path relative to the output folder (forward slashes) to content. */
  readonly files: ReadonlyMap<string, string>;
  readonly stacks: readonly SynthesizedStack[];
}

/**
 * Builds the cdktf app for a project and synthesizes it, keeping the files
 * in memory: each stack's through a `MemorySynthesizer`, and manifest.json
 * serialized from cdktf's own manifest where `app.synth()` would write it.
 * cdktf's App still needs a folder of its own (its constructor makes
 * `stacks/` there), so it gets an empty scratch folder, removed afterwards.
 */
export function synthesizeFiles(project: Project): SynthesizedProject {
  const scratch = mkdtempSync(join(tmpdir(), "strata-synth-"));
  try {
    // stackTraces off: construct metadata would otherwise carry absolute paths
    // of this machine into cdk.tf.json.
    const app = new App({ outdir: scratch, stackTraces: false });
    const stacks: SynthesizedStack[] = [];
    const files = new Map<string, string>();
    // The last step of app.synth(), after every stack and the validations.
    // cdktfJson writes what cdktf's json-stable-stringify would.
    app.manifest.writeToFile = () => {
      files.set(Manifest.fileName, cdktfJson(app.manifest.buildManifest()));
    };
    withoutTokenTraces(() => {
      assemble(app, project);
      for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
        stack.synthesizer = new MemorySynthesizer(stack, (s) => stacks.push(s));
      }
      app.synth();
    });
    if (!files.has(Manifest.fileName)) throw new Error("cdktf's app.synth() did not write its manifest");
    for (const stack of stacks) for (const [path, content] of stack.files) files.set(path, content);
    return { files, stacks };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs `work` without cdktf's token traces, unless STRATA_DEBUG is set.
 * cdktf records the full call stack of every token it creates (dozens per
 * service), by calling `Error.captureStackTrace` with no depth limit, only to
 * quote it in its own error messages about that token. Walking and
 * formatting those stacks took a quarter of the CPU of a 400-service synth.
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

/** What each stack holds, counted from its Terraform JSON. */
function summarize(stacks: readonly SynthesizedStack[]): StackSummary[] {
  type Block = Record<string, Record<string, unknown>> | undefined;
  const count = (block: Block) => Object.values(block ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  return stacks
    .map(({ name, terraform: tf }) => ({
      name,
      resources: count(tf.resource as Block),
      dataSources: count(tf.data as Block),
      outputs: Object.keys(tf.output ?? {}).length,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
