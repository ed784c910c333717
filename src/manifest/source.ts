import { readFileSync } from "node:fs";
import {
  Document,
  LineCounter,
  Node,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
} from "yaml";
import { Problem, renderPath } from "../problems";

export type DocPath = readonly (string | number)[];

/**
 * One manifest file, parsed with source positions kept so every check can
 * point at the line and column of the node it is about.
 */
export class SourceFile {
  private constructor(
    /** The file as shown in messages. */
    readonly display: string,
    /** Absolute path, used to resolve `environments[].path`. */
    readonly absolute: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  private converted?: Record<string, unknown>;

  /** The document as plain data, converted once. */
  get data(): Record<string, unknown> {
    this.converted ??= (this.doc.toJS() ?? {}) as Record<string, unknown>;
    return this.converted;
  }

  /**
   * Reads and parses a manifest. YAML syntax errors, duplicate keys, empty
   * documents and documents that are not a mapping come back as problems.
   */
  static read(
    absolute: string,
    display: string,
  ): { source?: SourceFile; problems: Problem[] } {
    let text: string;
    try {
      text = readFileSync(absolute, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
      const what =
        code === "ENOENT"
          ? "file not found"
          : code === "EISDIR"
            ? "is a directory, not a manifest"
            : `cannot be read (${code})`;
      return { problems: [at(display, 1, 1, "", what)] };
    }
    return SourceFile.parse(text, absolute, display);
  }

  static parse(
    text: string,
    absolute: string,
    display: string,
  ): { source?: SourceFile; problems: Problem[] } {
    const lines = new LineCounter();
    const doc = parseDocument(text, {
      lineCounter: lines,
      uniqueKeys: true,
      prettyErrors: false,
      // Manifests are data: refuse YAML's `!!js`-style tags and custom types.
      customTags: [],
      strict: true,
      // The library would otherwise write its own warnings to stderr (it
      // does for a mapping used as a key); strata reports those itself.
      logLevel: "error",
    });
    const source = new SourceFile(display, absolute, doc, lines);
    const problems: Problem[] = [];
    for (const e of doc.errors) {
      const { line, col } = lines.linePos(e.pos[0]);
      const message =
        e.code === "DUPLICATE_KEY"
          ? "duplicate key; each key may appear once in a mapping"
          : `yaml syntax error: ${firstLine(e.message)}`;
      problems.push(at(display, line, col, source.pathAtOffset(e.pos[0]), message));
    }
    // An alias whose anchor comes later (or never) parses, then throws
    // when the document is read: say where it is instead.
    visit(doc, {
      Pair(_, pair) {
        // `? {a: 1}\n: x` is valid YAML, but a manifest's keys are names.
        if (!isCollection(pair.key)) return;
        const offset = pair.key.range?.[0] ?? 0;
        const { line, col } = lines.linePos(offset);
        const kind = isSeq(pair.key) ? "a list" : "a mapping";
        problems.push(at(display, line, col, source.pathAtOffset(offset), "a key must be a plain name", kind, "a string key"));
      },
      Alias(_, node) {
        if (node.resolve(doc) !== undefined) return;
        const { line, col } = lines.linePos(node.range?.[0] ?? 0);
        problems.push(
          at(display, line, col, source.pathAtOffset(node.range?.[0] ?? 0), `yaml alias *${node.source} has no anchor &${node.source} before it`),
        );
      },
    });
    if (problems.length > 0) return { source, problems };
    try {
      void source.data;
    } catch (err) {
      // The yaml library refuses documents whose aliases expand without
      // bound ("billion laughs"); anything else it throws is reported too.
      const message = err instanceof Error ? firstLine(err.message) : String(err);
      problems.push(at(display, 1, 1, "", `cannot be read as data: ${message}`, undefined, "at most a few hundred alias expansions"));
      return { source, problems };
    }
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
      problems.push(at(display, 1, 1, "", "the manifest is empty", undefined, "a mapping with name and modules"));
    } else if (!isMap(doc.contents)) {
      const kind = isSeq(doc.contents) ? "a list" : "a single value";
      const pos = source.position([]);
      problems.push(
        at(display, pos.line, pos.column, "", "the manifest must be a mapping", kind, "a mapping with name and modules"),
      );
    }
    return { source, problems };
  }

  /** The node at a path, or undefined when the path does not exist. */
  node(path: DocPath): Node | undefined {
    if (path.length === 0) return (this.doc.contents as Node | null) ?? undefined;
    const found = this.doc.getIn(path as (string | number)[], true);
    return found !== undefined && found !== null && typeof found === "object"
      ? (found as Node)
      : undefined;
  }

  /**
   * Line and column of the value at `path`; with `key`, of the mapping key
   * itself (for unknown keys). A path that does not exist falls back to its
   * closest existing parent, so a missing field points at the mapping that
   * lacks it.
   */
  position(path: DocPath, key = false): { line: number; column: number } {
    for (let depth = path.length; depth >= 0; depth--) {
      const here = path.slice(0, depth);
      if (key && depth === path.length && depth > 0) {
        const parent = this.node(here.slice(0, -1));
        const last = here[here.length - 1];
        if (isMap(parent)) {
          const pair = parent.items.find(
            (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(last),
          );
          const keyNode = pair?.key as Node | undefined;
          if (keyNode?.range) return this.linePos(keyNode.range[0]);
        }
      }
      const node = this.node(here);
      if (node?.range) return this.linePos(node.range[0]);
    }
    return { line: 1, column: 1 };
  }

  /** The exact source text of a scalar (e.g. `011111111111` before YAML read it as a number). */
  sourceText(path: DocPath): string | undefined {
    const node = this.node(path);
    return isScalar(node) ? node.source : undefined;
  }

  /** Builds a problem positioned at `path`. */
  problem(
    path: DocPath,
    message: string,
    got?: string,
    allowed?: string,
    key = false,
  ): Problem {
    const { line, column } = this.position(path, key);
    return at(this.display, line, column, renderPath(path), message, got, allowed);
  }

  private linePos(offset: number): { line: number; column: number } {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /** The deepest mapping path that encloses a source offset (for syntax errors). */
  private pathAtOffset(offset: number): string {
    const path: (string | number)[] = [];
    let node: unknown = this.doc.contents;
    for (;;) {
      if (isMap(node)) {
        const pair = node.items.find((p) => {
          const v = p.value as Node | null;
          const k = p.key as Node | null;
          const start = k?.range?.[0] ?? v?.range?.[0];
          const end = v?.range?.[2] ?? k?.range?.[2];
          return start !== undefined && end !== undefined && offset >= start && offset <= end;
        });
        if (!pair || !isScalar(pair.key)) break;
        // Broken YAML can make a whole passage one key; it is no path.
        const key = String(pair.key.value);
        if (key !== key.trim() || /[\r\n]/.test(key) || key.length > 253) break;
        path.push(key);
        node = pair.value;
      } else if (isSeq(node)) {
        const index = node.items.findIndex((item) => {
          const r = (item as Node | null)?.range ?? undefined;
          return r != null && offset >= r[0] && offset <= r[2];
        });
        if (index < 0) break;
        path.push(index);
        node = node.items[index];
      } else break;
    }
    return renderPath(path);
  }
}

function at(
  file: string,
  line: number,
  column: number,
  path: string,
  message: string,
  got?: string,
  allowed?: string,
): Problem {
  return { file, line, column, path, message, got, allowed };
}

function firstLine(text: string): string {
  const line = text.split("\n")[0].trim();
  return line.charAt(0).toLowerCase() + line.slice(1).replace(/\.$/, "");
}
