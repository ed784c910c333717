/**
 * A stack synthesizer that keeps each stack's files in memory instead of
 * writing them into cdktf's output folder, so that `publish()` can write
 * them straight into the user's folder: no scratch copy written, read back
 * and removed, one file per stack. The text is byte for byte what cdktf's
 * own synthesizer writes; test/synth-equivalence.test.ts compares the two.
 */
import {
  AnnotationMetadataEntryType,
  Aspects,
  IStackSynthesizer,
  ISynthesisSession,
  StackAnnotation,
  TerraformAsset,
  TerraformStack,
} from "cdktf";
import { IConstruct } from "constructs";

/** A stack as cdktf would have written it. */
export interface SynthesizedStack {
  readonly name: string;
  /** The Terraform JSON of the stack, as `toTerraform()` resolved it. */
  readonly terraform: Record<string, unknown>;
  /** The stack's files: path relative to the output folder (forward slashes) to content. */
  readonly files: ReadonlyMap<string, string>;
}

const ANNOTATION_LEVELS: readonly string[] = [
  AnnotationMetadataEntryType.INFO,
  AnnotationMetadataEntryType.WARN,
  AnnotationMetadataEntryType.ERROR,
];

/**
 * Does what cdktf 0.21's `StackSynthesizer` does, in the same order, but
 * hands the files to `collect`: runs the stack's validations, registers the
 * stack and its annotations in the app's manifest (which `app.synth()`
 * still writes, into its own folder), stops at an error annotation, then
 * renders the stack as JSON (or as HCL when SYNTH_HCL_OUTPUT asks for it,
 * as cdktf's does).
 *
 * It refuses the cdktf features strata does not use, whose handling lives
 * in cdktf's synthesizer only: aspects, file assets and resource moves.
 */
export class MemorySynthesizer implements IStackSynthesizer {
  // Read when the stack is created, as cdktf's synthesizer reads them.
  private readonly continueOnErrorAnnotations = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
  private readonly hclOutput = process.env.SYNTH_HCL_OUTPUT === "true" || process.env.SYNTH_HCL_OUTPUT === "1";

  constructor(
    private readonly stack: TerraformStack,
    private readonly collect: (stack: SynthesizedStack) => void,
  ) {}

  synthesize(session: ISynthesisSession): void {
    const stack = this.stack;
    const nodes = stack.node.findAll();
    for (const node of nodes) refuseUnsupported(stack, node);
    if (stack.hasResourceMove()) throw unsupported(stack, "resource moves (moveTo, moveToId, moveFromId)");
    if (!session.skipValidation) stack.runAllValidations();

    const stackManifest = session.manifest.forStack(stack);
    const annotations: StackAnnotation[] = nodes.flatMap((node) =>
      node.node.metadata
        .filter((m) => ANNOTATION_LEVELS.includes(m.type))
        .map((m) => ({
          constructPath: node.node.path,
          level: m.type as AnnotationMetadataEntryType,
          message: m.data,
          stacktrace: m.trace,
        })),
    );
    // Readonly in cdktf's types; its own synthesizer fills it in the same way.
    (stackManifest as { annotations: StackAnnotation[] }).annotations = annotations;
    const errors = annotations.filter((a) => a.level === AnnotationMetadataEntryType.ERROR);
    if (errors.length > 0 && !this.continueOnErrorAnnotations) {
      throw new Error(`stack ${stack.node.id} has errors: ${errors.map((a) => `[${a.constructPath}] ${a.message}`).join("; ")}`);
    }

    const files = new Map<string, string>();
    const path = (p: string) => p.split("\\").join("/");
    const terraform = stack.toTerraform() as Record<string, unknown>;
    if (this.hclOutput) {
      const hcl = stack.toHclTerraform() as { hcl: string; metadata: unknown };
      files.set(path(stackManifest.synthesizedStackPath), hcl.hcl);
      files.set(path(stackManifest.stackMetadataPath), cdktfJson(hcl.metadata));
    } else {
      files.set(path(stackManifest.synthesizedStackPath), cdktfJson(terraform));
    }
    this.collect({ name: stack.node.id, terraform, files });
  }
}

function refuseUnsupported(stack: TerraformStack, node: IConstruct): void {
  if (Aspects.of(node).all.length > 0) throw unsupported(stack, `aspects (on ${node.node.path})`);
  if (node instanceof TerraformAsset) throw unsupported(stack, `file assets (${node.node.path})`);
}

function unsupported(stack: TerraformStack, what: string): Error {
  return new Error(`stack ${stack.node.id} uses ${what}, which strata's in-memory synthesizer does not handle`);
}

/**
 * JSON text exactly as cdktf writes its files (json-stable-stringify 1.3
 * with an indent of two spaces): keys in UTF-16 code unit order, two spaces
 * per level, every object and array broken over lines even when empty
 * (`{` and `}` on lines of their own), no newline at the end. As in
 * JSON.stringify, `toJSON()` is honoured, undefined and function values are
 * left out of objects and written as null in arrays.
 */
export function cdktfJson(value: unknown): string {
  const text = render(value, "");
  if (text === undefined) throw new TypeError(`a value of type ${typeof value} has no JSON form`);
  return text;
}

function render(value: unknown, indent: string): string | undefined {
  if (value && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null || typeof value !== "object") return JSON.stringify(value);

  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((item) => `\n${inner}${render(item, inner) ?? "null"}`);
    return `[${items.join(",")}\n${indent}]`;
  }
  const record = value as Record<string, unknown>;
  const entries: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const text = render(record[key], inner);
    if (text !== undefined) entries.push(`\n${inner}${JSON.stringify(key)}: ${text}`);
  }
  return `{${entries.join(",")}\n${indent}}`;
}
