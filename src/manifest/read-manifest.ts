// Reads assets.yaml into a Manifest: the file's bytes, the YAML (positions kept), the shape (ajv
// against schema/assets.schema.json), then the semantic checks. Never throws for bad input: every
// problem comes back as a diagnostic, all of them at once.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Diagnostic } from './diagnostics.js';
import { hasErrors } from './diagnostics.js';
import { resolveManifest } from './resolve-manifest.js';
import type { Manifest } from './types.js';
import { validateSchema } from './validate-schema.js';
import { formatPath, parseYaml, PositionFinder } from './yaml-positions.js';

export interface ReadOptions {
  /** The file as the user gave it, for diagnostics (default: `file` as passed). */
  displayPath?: string;
}

export async function readManifest(file: string, options: ReadOptions = {}): Promise<{ manifest?: Manifest; diagnostics: Diagnostic[] }> {
  const displayFile = options.displayPath ?? file;
  const whole = (summary: string, detail?: string): Diagnostic => ({ severity: 'error', summary, detail, file: displayFile, line: 0, column: 0, path: '' });
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return { diagnostics: [whole(...readProblem(error))] };
  }
  const text = bytes.toString('utf8');
  if (text.trim() === '') return { diagnostics: [whole('the manifest is empty', 'start with `version: 1`, then `pages:` and `assets:`')] };

  const { doc, lineCounter, diagnostics } = parseYaml(text, displayFile);
  if (hasErrors(diagnostics)) return { diagnostics };
  const finder = new PositionFinder(doc, lineCounter);
  if (doc.contents === null) {
    return { diagnostics: [...diagnostics, whole('the manifest has no content (only comments)', 'start with `version: 1`, then `pages:` and `assets:`')] };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const at = finder.documentStart();
    const reason = error instanceof Error ? error.message : String(error);
    return { diagnostics: [...diagnostics, { ...whole(`YAML error: ${reason}`), line: at.line, column: at.column }] };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const at = finder.documentStart();
    const found = Array.isArray(data) ? 'a list' : data === null ? 'empty' : `a ${typeof data}`;
    diagnostics.push({ ...whole(`the manifest must be a mapping of keys (version, pages, assets…), not ${found}`), line: at.line, column: at.column });
    return { diagnostics };
  }

  for (const problem of validateSchema(data)) {
    const at = finder.find(problem.path, problem.anchor);
    diagnostics.push({ severity: 'error', summary: problem.summary, detail: problem.detail, file: displayFile, line: at.line, column: at.column, path: formatPath(problem.path) });
  }
  const shapeIsValid = !hasErrors(diagnostics);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const resolved = resolveManifest({ data: data as Record<string, unknown>, finder, file: resolve(file), displayFile, sha256, shapeIsValid });
  const seen = new Set(diagnostics.map((d) => d.path));
  // One line per real problem: a node the schema already complained about gets no second opinion.
  diagnostics.push(...resolved.diagnostics.filter((d) => !seen.has(d.path)));
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return hasErrors(diagnostics) ? { diagnostics } : { manifest: resolved.manifest, diagnostics };
}

function readProblem(error: unknown): [string, string?] {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return ['no such file', 'create it, or point at the manifest with -f FILE'];
  if (code === 'EISDIR') return ['is a folder, not a manifest file', 'point at the YAML file with -f FILE'];
  if (code === 'EACCES' || code === 'EPERM') return ['cannot be read: permission denied'];
  return [`cannot be read: ${(error as Error).message}`];
}
