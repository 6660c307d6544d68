// The one error class for problems the user can fix: printed without a stack, exit code 1.
// Anything else that is thrown is a bug and is printed with its stack and a request for a report.
import type { Diagnostic } from './manifest/diagnostics.js';

export class UserError extends Error {
  /** Diagnostics to print (each `FILE:LINE:COL: error: …`), when the problem is in a file. */
  readonly diagnostics: Diagnostic[];
  /** A line on what to do next. */
  readonly hint?: string;

  constructor(message: string, options: { diagnostics?: Diagnostic[]; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.diagnostics = options.diagnostics ?? [];
    this.hint = options.hint;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
