// Reading Graph's answers: the error body `{"error": {...}}` into a GraphError, and how long to wait
// from `Retry-After` or the usage headers (`estimated_time_to_regain_access`, in minutes).
import type { IncomingHttpHeaders } from 'node:http';
import { formatGraphMessage, GraphError } from './graph-error.js';

type Headers = IncomingHttpHeaders | Record<string, string | string[] | undefined>;

export function readGraphError(status: number, text: string, headers: Headers, secrets: string[]): GraphError {
  let error: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (parsed && typeof parsed.error === 'object' && parsed.error !== null) error = parsed.error as Record<string, unknown>;
  } catch {
    // Not JSON: a proxy's or load balancer's page.
  }
  const retryAfterMs = readRetryAfter(headers);
  if (!error) {
    const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    return new GraphError(hide(`HTTP ${status} from the Graph API${snippet ? `: ${snippet}` : ''}`, secrets), { kind: 'graph', status, retryAfterMs });
  }
  const code = typeof error.code === 'number' ? error.code : undefined;
  const subcode = typeof error.error_subcode === 'number' ? error.error_subcode : undefined;
  const message = typeof error.message === 'string' ? error.message : `HTTP ${status}`;
  return new GraphError(hide(formatGraphMessage(code, subcode, message), secrets), {
    kind: 'graph',
    status,
    code,
    subcode,
    type: typeof error.type === 'string' ? error.type : undefined,
    fbtraceId: typeof error.fbtrace_id === 'string' ? error.fbtrace_id : undefined,
    isTransient: error.is_transient === true,
    retryAfterMs,
    userTitle: typeof error.error_user_title === 'string' ? hide(error.error_user_title, secrets) : undefined,
    userMessage: typeof error.error_user_msg === 'string' ? hide(error.error_user_msg, secrets) : undefined,
  });
}

/** Milliseconds to wait, from `Retry-After` (seconds or a date) or the usage headers; undefined when absent. */
export function readRetryAfter(headers: Headers): number | undefined {
  const retryAfter = single(headers['retry-after']);
  if (retryAfter !== undefined) {
    if (/^\d+$/.test(retryAfter.trim())) return Number(retryAfter.trim()) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
  }
  let minutes: number | undefined;
  for (const name of ['x-business-use-case-usage', 'x-app-usage', 'x-page-usage', 'x-ad-account-usage']) {
    const value = single(headers[name]);
    if (value === undefined) continue;
    try {
      for (const found of collectRegainMinutes(JSON.parse(value))) minutes = Math.max(minutes ?? 0, found);
    } catch {
      // A malformed header says nothing.
    }
  }
  return minutes !== undefined && minutes > 0 ? minutes * 60_000 : undefined;
}

function collectRegainMinutes(value: unknown): number[] {
  if (Array.isArray(value)) return value.flatMap(collectRegainMinutes);
  if (value === null || typeof value !== 'object') return [];
  const found: number[] = [];
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'estimated_time_to_regain_access' && typeof inner === 'number') found.push(inner);
    else found.push(...collectRegainMinutes(inner));
  }
  return found;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Removes any secret that a message might quote. */
export function hide(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('[REDACTED]');
  return out;
}
