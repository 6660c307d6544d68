// Fetches `payload.url` the way Graph does: the whole fetch (headers and body) within a time limit
// (10 s, 75 s for video), the body streamed through SHA-256 and counted, and cut off as soon as it
// passes the size limit (8 MB for images, 25 MB otherwise). Loopback URLs are fetched too: this is a
// local test server and tests serve their media from 127.0.0.1.
import { createHash } from 'node:crypto';
import { Agent, interceptors, request, type Dispatcher } from 'undici';

export type FetchOutcome =
  | { ok: true; sha256: string; size: number; contentType: string }
  | { ok: false; reason: 'failed' | 'timeout' | 'too-large'; detail: string };

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

export function createFetchDispatcher(): Dispatcher & { close(): Promise<void> } {
  return new Agent({ keepAliveTimeout: 1000 }).compose(interceptors.redirect({ maxRedirections: 5 })) as Dispatcher & {
    close(): Promise<void>;
  };
}

export async function fetchAttachment(url: string, limits: FetchLimits, dispatcher: Dispatcher): Promise<FetchOutcome> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'failed', detail: 'not a URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: 'failed', detail: `unsupported scheme ${parsed.protocol}` };
  }
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, limits.timeoutMs);
  try {
    const response = await request(parsed, { method: 'GET', dispatcher, signal: controller.signal });
    if (response.statusCode < 200 || response.statusCode > 299) {
      response.body.resume();
      return { ok: false, reason: 'failed', detail: `HTTP ${response.statusCode}` };
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      response.body.destroy();
      return { ok: false, reason: 'too-large', detail: `Content-Length ${declared}` };
    }
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limits.maxBytes) {
        response.body.destroy();
        return { ok: false, reason: 'too-large', detail: `more than ${limits.maxBytes} bytes` };
      }
      hash.update(chunk);
    }
    const header = response.headers['content-type'];
    const contentType = (Array.isArray(header) ? header[0] : header)?.split(';')[0].trim().toLowerCase() || 'application/octet-stream';
    return { ok: true, sha256: hash.digest('hex'), size, contentType };
  } catch (error) {
    if (timedOut) return { ok: false, reason: 'timeout', detail: `no complete answer within ${limits.timeoutMs} ms` };
    return { ok: false, reason: 'failed', detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
