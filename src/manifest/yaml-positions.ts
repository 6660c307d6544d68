// YAML with its positions kept: parse with a LineCounter, turn the yaml library's own errors into
// diagnostics, and find the line/column of any node by its JSON path, so a problem found in the
// plain data (by ajv or the semantic checks) can point at the exact spot in the file.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic, Severity } from './diagnostics.js';
import type { Position } from './types.js';

export type PathSegment = string | number;

/** Where in a node to point: its key (unknown keys), its value (bad values), or its parent's key (missing keys). */
export type Anchor = 'key' | 'value';

export interface ParsedYaml {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  diagnostics: Diagnostic[];
}

export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, strict: true });
  const diagnostics: Diagnostic[] = [];
  const add = (severity: Severity, problems: typeof doc.errors) => {
    const seen = new Set<string>();
    for (const problem of problems) {
      const at = problem.linePos?.[0] ?? lineCounter.linePos(problem.pos[0]);
      // One syntax error often drags another in at the same spot; the first one is the real one.
      if (seen.has(`${at.line}:${at.col}`)) continue;
      seen.add(`${at.line}:${at.col}`);
      diagnostics.push({ severity, summary: yamlMessage(problem.code, problem.message), detail: yamlHint(problem.code), file, line: at.line, column: at.col, path: '' });
    }
  };
  add('error', doc.errors);
  add('warning', doc.warnings);
  return { doc, lineCounter, diagnostics };
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'DUPLICATE_KEY') return 'duplicate key: each key may appear only once in a mapping';
  if (code === 'TAB_AS_INDENT') return 'tab used for indentation: YAML indents with spaces only';
  return `YAML syntax error: ${first}`;
}

function yamlHint(code: string): string | undefined {
  if (code === 'TAB_AS_INDENT') return 'replace the tab with spaces';
  if (code === 'DUPLICATE_KEY') return 'remove or rename one of them';
  if (code === 'BAD_INDENT' || code === 'BAD_DIRECTIVE') return 'check the indentation of this line and the one above';
  if (code === 'MISSING_CHAR') return 'close the quote or bracket that was opened';
  return undefined;
}

/** A finder of positions in one parsed document. */
export class PositionFinder {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {}

  /**
   * The position of the node at `path`: its key when `anchor` is 'key' (or its value has no place
   * of its own, like an empty value), else its value. A path that does not exist (a missing key)
   * points at the nearest ancestor that does, by its key.
   */
  find(path: readonly PathSegment[], anchor: Anchor = 'value'): Position {
    let node: unknown = this.doc.contents;
    let keyNode: Node | undefined;
    for (const segment of path) {
      const next = childOf(node, segment);
      if (!next) return this.at(keyNode ?? (node as Node | null));
      keyNode = next.key;
      node = next.value;
    }
    if (anchor === 'key' && keyNode) return this.at(keyNode);
    const value = node as Node | null;
    if (!value || !value.range || (isScalar(value) && value.value === null)) return this.at(keyNode ?? value);
    return this.at(value);
  }

  /** Line 1, column 1 of the content (the whole document), or of the file when it is empty. */
  documentStart(): Position {
    return this.at(this.doc.contents as Node | null);
  }

  private at(node: Node | null | undefined): Position {
    const offset = node?.range?.[0];
    if (offset === undefined) return { line: 1, column: 1 };
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }
}

function childOf(node: unknown, segment: PathSegment): { key?: Node; value: unknown } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as Node | null;
      const name = isScalar(key) ? String(key.value) : key ? String(key) : '';
      if (name === String(segment)) return { key: key ?? undefined, value: pair.value };
    }
    return undefined;
  }
  if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
    return { value: node.items[segment] };
  }
  return undefined;
}

/** `['assets', 'welcome', 'pages', 0]` → `assets.welcome.pages[0]`; odd keys are quoted. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
