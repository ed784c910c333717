/**
 * A problem found in a manifest, positioned at the line and column of the
 * YAML node it concerns. Every check reports through this one shape so the
 * CLI can print them all at once as
 * `file:line:column: path: problem (got X; allowed Y)`.
 */
export interface Problem {
  /** The manifest as the user named it (relative to the working directory). */
  readonly file: string;
  /** 1-based line and column. */
  readonly line: number;
  readonly column: number;
  /** The field's path in the document, e.g. `modules[1].links[0]`. */
  readonly path: string;
  /** What is wrong, lowercase, no trailing period. */
  readonly message: string;
  /** The value received, already formatted for display. */
  readonly got?: string;
  /** What would have been accepted. */
  readonly allowed?: string;
}

export function formatProblem(p: Problem): string {
  const detail: string[] = [];
  if (p.got !== undefined) detail.push(`got ${p.got}`);
  if (p.allowed !== undefined) detail.push(`allowed ${p.allowed}`);
  const tail = detail.length > 0 ? ` (${detail.join("; ")})` : "";
  const path = p.path === "" ? "(document)" : p.path;
  return `${p.file}:${p.line}:${p.column}: ${path}: ${p.message}${tail}`;
}

/** Sorts problems by file, then position, then text, and drops exact repeats. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  const unique: Problem[] = [];
  for (const p of problems) {
    const key = formatProblem(p);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(p);
  }
  return unique.sort(
    (a, b) =>
      compare(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compare(formatProblem(a), formatProblem(b)),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Thrown by the loader when the manifests are invalid; carries every problem. */
export class ManifestError extends Error {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const sorted = sortProblems(problems);
    super(sorted.map(formatProblem).join("\n"));
    this.name = "ManifestError";
    this.problems = sorted;
  }
}

/** A warning the CLI prints on stderr; synthesis still succeeds. */
export interface Warning {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
}

export function formatWarning(w: Warning): string {
  return `${w.file}:${w.line}:${w.column}: warning: ${w.path}: ${w.message}`;
}

/** Formats a value the user gave, for the `got` part of a message. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  }
  return String(value);
}

/** Renders a document path (`["modules", 1, "links"]`) as `modules[1].links`. */
export function renderPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    // A key that spans lines (a YAML `? ` key holding a mapping) stays on one line.
    else if (/[\r\n]/.test(part)) out += `[${JSON.stringify(part)}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}
