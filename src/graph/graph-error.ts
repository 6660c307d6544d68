// GraphError: the one error class for a failed Graph call — Graph's own error answer, a network
// failure (status 0) or a timeout — with the helpers the scheduler uses to decide whether to retry,
// slow down or stop a page. Its message never holds a token.

export type GraphErrorKind = 'graph' | 'network' | 'timeout';

export interface GraphErrorFields {
  kind: GraphErrorKind;
  /** HTTP status; 0 when no answer came (network failure, timeout). */
  status: number;
  code?: number;
  subcode?: number;
  type?: string;
  fbtraceId?: string;
  isTransient?: boolean;
  /** How long Graph asks us to wait: `Retry-After`, or the usage headers' estimated_time_to_regain_access. */
  retryAfterMs?: number;
  /** Graph's `error_user_title` / `error_user_msg`, when given. */
  userTitle?: string;
  userMessage?: string;
  cause?: unknown;
}

const RETRYABLE_CODES = new Set([1, 2, 1200]);
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80006]);
const TOKEN_CODES = new Set([190, 104]);

export class GraphError extends Error {
  readonly kind: GraphErrorKind;
  readonly status: number;
  readonly code?: number;
  readonly subcode?: number;
  readonly type?: string;
  readonly fbtraceId?: string;
  readonly isTransient: boolean;
  readonly retryAfterMs?: number;
  readonly userTitle?: string;
  readonly userMessage?: string;

  constructor(message: string, fields: GraphErrorFields) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = 'GraphError';
    this.kind = fields.kind;
    this.status = fields.status;
    this.code = fields.code;
    this.subcode = fields.subcode;
    this.type = fields.type;
    this.fbtraceId = fields.fbtraceId;
    this.isTransient = fields.isTransient === true;
    this.retryAfterMs = fields.retryAfterMs;
    this.userTitle = fields.userTitle;
    this.userMessage = fields.userMessage;
  }

  /** Worth retrying as it is: 5xx, codes 1, 2, 1200, `is_transient`, network failures, timeouts. */
  isRetryable(): boolean {
    if (this.kind !== 'graph') return true;
    if (this.status >= 500) return true;
    return this.isTransient || (this.code !== undefined && RETRYABLE_CODES.has(this.code));
  }

  /** A rate limit: HTTP 429, codes 4, 17, 32, 613, 80001, 80006. */
  isRateLimit(): boolean {
    return this.status === 429 || (this.code !== undefined && RATE_LIMIT_CODES.has(this.code));
  }

  /** The token is missing or invalid (104, 190): every call of that page will fail the same way. */
  isTokenError(): boolean {
    return this.code !== undefined && TOKEN_CODES.has(this.code);
  }
}

export function isGraphError(error: unknown): error is GraphError {
  return error instanceof GraphError;
}

/** `(#100/2018047) Upload attachment failure.` from Graph's `(#100) Upload attachment failure.` */
export function formatGraphMessage(code: number | undefined, subcode: number | undefined, message: string): string {
  const text = message.replace(/^\(#\d+\)\s*/, '');
  if (code === undefined) return text;
  return subcode === undefined ? `(#${code}) ${text}` : `(#${code}/${subcode}) ${text}`;
}
