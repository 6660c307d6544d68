// The one error class of the sources stage. fetchUrl and hashFile throw it; readSources turns every
// one into a Diagnostic at the asset that declared the source, so none escapes to the user as a throw.
// Messages say what happened and what to do, and quote URLs only through redactUrl.

export type SourceErrorReason =
  | 'private-address'
  | 'too-large'
  | 'timeout'
  | 'http-status'
  | 'redirects'
  | 'scheme'
  | 'network'
  | 'io';

export class SourceError extends Error {
  readonly reason: SourceErrorReason;

  constructor(reason: SourceErrorReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SourceError';
    this.reason = reason;
  }
}

export function isSourceError(error: unknown): error is SourceError {
  return error instanceof SourceError;
}

/**
 * The URL as it may be printed: an `access_token` query parameter (which a manifest URL should never
 * carry, but might) and any password in the user-info part are replaced by `REDACTED`.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/(access_token=)[^&#\s]*/gi, '$1REDACTED');
  }
  const tokenKeys = [...parsed.searchParams.keys()].filter((key) => key.toLowerCase() === 'access_token');
  if (!parsed.password && tokenKeys.length === 0) return url; // printed as written
  if (parsed.password) parsed.password = 'REDACTED';
  for (const key of tokenKeys) parsed.searchParams.set(key, 'REDACTED');
  return parsed.href;
}
