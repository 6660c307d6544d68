// The one error class for answers (and non-answers) of the Graph API. It carries what a caller
// needs to decide: retry (isRetryable), pause the page (isRateLimit, retryAfterMs) or stop it
// (isTokenError). Its message is Graph's own, and never contains a token.

export type GraphErrorKind = 'graph' | 'network' | 'timeout';

/** HTTP 429 aside, the codes Meta uses for rate limits: app (4), user (17), page (32), custom (613), page/Messenger (80001, 80006). */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80006]);
/** Temporary failures: unknown error (1), service (2), temporarily unavailable (1200). */
const TEMPORARY_CODES = new Set([1, 2, 1200]);
const TOKEN_CODES = new Set([190, 104]);

export interface GraphErrorFields {
  kind: GraphErrorKind;
  /** HTTP status; 0 when no answer came (network, timeout). */
  status: number;
  /** Graph's error code; 0 when there was none. */
  code: number;
  subcode?: number;
  type?: string;
  fbtraceId?: string;
  isTransient?: boolean;
  /** How long Meta asked us to wait (Retry-After, or estimated_time_to_regain_access). */
  retryAfterMs?: number;
}

export class GraphError extends Error {
  readonly kind: GraphErrorKind;
  readonly status: number;
  readonly code: number;
  readonly subcode?: number;
  readonly type?: string;
  readonly fbtraceId?: string;
  readonly isTransient: boolean;
  readonly retryAfterMs?: number;

  constructor(message: string, fields: GraphErrorFields, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GraphError';
    this.kind = fields.kind;
    this.status = fields.status;
    this.code = fields.code;
    this.subcode = fields.subcode;
    this.type = fields.type;
    this.fbtraceId = fields.fbtraceId;
    this.isTransient = fields.isTransient === true;
    this.retryAfterMs = fields.retryAfterMs;
  }

  isRateLimit(): boolean {
    return this.status === 429 || RATE_LIMIT_CODES.has(this.code);
  }

  isTokenError(): boolean {
    return TOKEN_CODES.has(this.code);
  }

  /** Worth another try after a backoff (rate limits are handled apart: see isRateLimit). */
  isRetryable(): boolean {
    if (this.kind !== 'graph') return true;
    return this.status >= 500 || TEMPORARY_CODES.has(this.code) || this.isTransient;
  }
}
