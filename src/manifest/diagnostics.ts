// Expected problems are values, not exceptions: every stage that checks user input returns a list
// of diagnostics, and the CLI prints them all at once as `FILE:LINE:COL: error: PATH: message`.

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** The message: what is wrong. */
  summary: string;
  /** A hint: what to do (a close spelling, the allowed values). */
  detail?: string;
  /** The file the problem is in (as given by the user, or absolute). */
  file: string;
  /** 1-based; 0 when the problem has no position (the file as a whole). */
  line: number;
  column: number;
  /** JSON path of the offending node, `assets.welcome.path`; '' for the document. */
  path: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `FILE:LINE:COL: error: PATH: message (hint)` — the one format every view prints. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const path = d.path ? `${d.path}: ` : '';
  const hint = d.detail ? ` (${d.detail})` : '';
  return `${where}: ${d.severity}: ${path}${d.summary}${hint}`;
}
