// The log of Graph calls that GET /__emulator/requests shows. An entry says what was asked and what
// was answered; it never holds a token (the path is logged with `access_token` removed).
import type { BodyForm, TokenSource } from './request-body.js';

export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  /** Path and query, without `access_token` or `appsecret_proof`. */
  path: string;
  edge?: string;
  node?: string;
  pageId?: string;
  tokenSource?: TokenSource;
  form?: BodyForm;
  type?: string;
  url?: string;
  file?: { filename: string; contentType: string; size: number; sha256: string };
  recipientId?: string;
  status: number;
  errorCode?: number;
  errorSubcode?: number;
  attachmentId?: string;
}

const MAX_ENTRIES = 10_000;

export interface RequestLog {
  add(entry: Omit<LoggedRequest, 'seq'>): void;
  list(): LoggedRequest[];
  clear(): void;
}

export function createRequestLog(): RequestLog {
  let entries: LoggedRequest[] = [];
  let seq = 0;
  return {
    add(entry) {
      entries.push({ seq: ++seq, ...entry });
      if (entries.length > MAX_ENTRIES) entries = entries.slice(-MAX_ENTRIES);
    },
    list: () => [...entries],
    clear() {
      entries = [];
    },
  };
}

/** The request's path and query with every credential-bearing parameter removed. */
export function loggablePath(url: URL): string {
  const query = new URLSearchParams(url.search);
  query.delete('access_token');
  query.delete('appsecret_proof');
  const rest = query.toString();
  return rest ? `${url.pathname}?${rest}` : url.pathname;
}
