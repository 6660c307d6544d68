// The emulator stage: a local stand-in for the Messenger Platform's attachment endpoints
// (SPEC §1, §8) — uploads by URL and by multipart file, send by attachment id, Graph's errors in
// Graph's order and shape, a clock, fault injection and per-page rate limits — plus admin routes
// to inspect and steer it. It keeps everything in memory and never logs or echoes a token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAttachmentStore } from './attachment-store.js';
import { createClock } from './clock.js';
import { applyConfigPatch, DEFAULT_CONFIG } from './config.js';
import { seedRandoms, type EmulatorContext } from './context.js';
import { createPageRegistry } from './pages.js';
import { createRateLimiter, type RateLimit } from './rate-limiter.js';
import { createRequestLog } from './request-log.js';
import { routeRequest } from './router.js';
import { sendJson } from './answer.js';
import { createFetchDispatcher } from './url-fetch.js';

export interface EmulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 8790; 0 picks a free port. */
  port?: number;
  pages?: Array<{ id: string; token: string }>;
  /** Base clock; default system time. POST /__emulator/clock shifts it. */
  now?: () => Date;
  /** Added to every Graph answer. */
  latencyMs?: number;
  /** 0..1: share of Graph calls answered 500 with is_transient: true. */
  transientErrorRate?: number;
  /** Per page; over it → 80006 and a block; calls while blocked extend the block. */
  rateLimit?: RateLimit;
  /** X-Business-Use-Case-Usage / X-App-Usage on normal answers. */
  usageHeaders?: boolean;
  /** Makes fault injection and ids reproducible. */
  seed?: number;
  /** Time limit for fetching `payload.url` (default 10 000, as Graph). */
  fetchTimeoutMs?: number;
  /** Time limit for fetching a video's `payload.url` (default 75 000, as Graph). */
  videoFetchTimeoutMs?: number;
}

export interface RunningEmulator {
  /** `http://HOST:PORT`, no trailing slash. */
  url: string;
  addPage(id: string, token: string): void;
  close(): Promise<void>;
}

export type { RateLimit } from './rate-limiter.js';
export type { StoredAttachment } from './attachment-store.js';
export type { LoggedRequest } from './request-log.js';

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const { host = '127.0.0.1', port = 8790, pages = [], now, seed, ...knobs } = options;
  const configured = applyConfigPatch(DEFAULT_CONFIG, dropUndefined({ ...knobs, seed }));
  if ('problems' in configured) throw new Error(`startEmulator: ${configured.problems.join('; ')}`);
  const closing = new AbortController();
  const ctx: EmulatorContext = {
    config: configured.config,
    clock: createClock(now),
    randoms: seedRandoms(seed),
    store: createAttachmentStore(() => ctx.randoms.ids),
    limiter: createRateLimiter(),
    pages: createPageRegistry(),
    log: createRequestLog(),
    fetchDispatcher: createFetchDispatcher(),
    closing: closing.signal,
  };
  for (const page of pages) ctx.pages.add(page.id, page.token);

  const server = createServer((req, res) => {
    routeRequest(ctx, req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      sendJson(res, 500, { error: { message: `emulator failure: ${message}`, type: 'EmulatorError' } });
    });
  });
  await listen(server, host, port);
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    addPage: (id, token) => ctx.pages.add(id, token),
    async close() {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await (ctx.fetchDispatcher as { close(): Promise<void> }).close();
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
