// Writing answers: JSON bodies, Graph error bodies with a fresh fbtrace_id, and the usage headers
// (X-App-Usage, X-Business-Use-Case-Usage) that Graph adds to its answers.
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from './context.js';
import { makeTraceId, renderErrorBody, type GraphErrorSpec } from './graph-errors.js';

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Set on error answers, for the request log. */
  error?: GraphErrorSpec;
}

export function errorAnswer(ctx: EmulatorContext, spec: GraphErrorSpec, headers?: Record<string, string>): Answer {
  const traceId = makeTraceId(ctx.randoms.traces);
  return { status: spec.status, body: renderErrorBody(spec, traceId), headers: { 'x-fb-trace-id': traceId, ...headers }, error: spec };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Graph's usage headers for a page: percentages of the allowance used, and minutes until access returns. */
export function usageHeaders(pageId: string, usagePercent: number, regainMinutes: number): Record<string, string> {
  const usage = { call_count: usagePercent, total_cputime: Math.round(usagePercent / 2), total_time: Math.round(usagePercent / 2) };
  return {
    'x-app-usage': JSON.stringify(usage),
    'x-business-use-case-usage': JSON.stringify({
      [pageId]: [{ type: 'messenger', ...usage, estimated_time_to_regain_access: regainMinutes }],
    }),
  };
}
