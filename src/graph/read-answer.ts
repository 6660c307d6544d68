// Reads a Graph API answer: the JSON body of a success, or a GraphError built from Graph's error
// body `{"error": {message, type, code, error_subcode, fbtrace_id, is_transient}}` and its headers.
import type { Dispatcher } from 'undici';
import { GraphError } from './graph-error.js';

type Headers = Dispatcher.ResponseData['headers'];

export async function readAnswer(response: Dispatcher.ResponseData): Promise<Record<string, unknown>> {
  const text = await response.body.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.statusCode >= 200 && response.statusCode < 300 && isObject(body)) return body;
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  const code = typeof error?.code === 'number' ? error.code : 0;
  const graphMessage = typeof error?.message === 'string' ? error.message : `HTTP ${response.statusCode} from the Graph API${body === undefined ? ' (not JSON)' : ''}`;
  return Promise.reject(
    new GraphError(code && !graphMessage.startsWith('(#') ? `(#${code}) ${graphMessage}` : graphMessage, {
      kind: 'graph',
      status: response.statusCode,
      code,
      subcode: typeof error?.error_subcode === 'number' ? error.error_subcode : undefined,
      type: typeof error?.type === 'string' ? error.type : undefined,
      fbtraceId: typeof error?.fbtrace_id === 'string' ? error.fbtrace_id : header(response.headers, 'x-fb-trace-id'),
      isTransient: error?.is_transient === true,
      retryAfterMs: retryAfterMs(response.headers),
    }),
  );
}

/** `Retry-After` (seconds or an HTTP date), else the largest `estimated_time_to_regain_access` (minutes) of the usage headers. */
export function retryAfterMs(headers: Headers, nowMs = Date.now()): number | undefined {
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
  }
  let minutes: number | undefined;
  for (const name of ['x-business-use-case-usage', 'x-app-usage', 'x-page-usage']) {
    const value = header(headers, name);
    if (value === undefined) continue;
    try {
      for (const found of findRegainTimes(JSON.parse(value))) minutes = Math.max(minutes ?? 0, found);
    } catch {
      // A header that isn't JSON says nothing usable.
    }
  }
  return minutes !== undefined && minutes > 0 ? minutes * 60_000 : undefined;
}

function findRegainTimes(value: unknown): number[] {
  if (Array.isArray(value)) return value.flatMap(findRegainTimes);
  if (!isObject(value)) return [];
  const own = typeof value.estimated_time_to_regain_access === 'number' ? [value.estimated_time_to_regain_access] : [];
  return [...own, ...Object.values(value).filter((v) => typeof v === 'object').flatMap(findRegainTimes)];
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
