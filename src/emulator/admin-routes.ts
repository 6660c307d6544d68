// The emulator's own routes under /__emulator/, for tests and users' rehearsals: inspect what was
// uploaded and asked, change the knobs, move the clock, reset, register pages. Never shows a token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './answer.js';
import { parseDuration } from './clock.js';
import { applyConfigPatch } from './config.js';
import { seedRandoms, type EmulatorContext } from './context.js';
import { checkPage } from './pages.js';
import { readLimited } from './read-limited.js';

type AdminHandler = (ctx: EmulatorContext, body: Record<string, unknown>, url: URL) => { status: number; body: unknown };

const routes: Record<string, AdminHandler> = {
  'GET /__emulator/attachments': (ctx, _body, url) => {
    const page = url.searchParams.get('page');
    const attachments = ctx.store
      .list()
      .filter((a) => !page || a.pageId === page)
      .map((a) => ({ ...a, createdAt: a.createdAt.toISOString(), expiresAt: a.expiresAt.toISOString() }));
    return { status: 200, body: { attachments } };
  },
  'GET /__emulator/requests': (ctx) => ({ status: 200, body: { requests: ctx.log.list() } }),
  'GET /__emulator/config': (ctx) => ({ status: 200, body: ctx.config }),
  'POST /__emulator/config': (ctx, body) => {
    const result = applyConfigPatch(ctx.config, body);
    if ('problems' in result) return adminError(400, result.problems.join('; '));
    ctx.config = result.config;
    if (typeof body.seed === 'number') ctx.randoms = seedRandoms(body.seed);
    return { status: 200, body: ctx.config };
  },
  'GET /__emulator/clock': (ctx) => ({ status: 200, body: { now: ctx.clock.now().toISOString() } }),
  'POST /__emulator/clock': (ctx, body) => {
    if (typeof body.advance === 'string') {
      const ms = parseDuration(body.advance);
      if (ms === undefined) return adminError(400, `advance must be a duration like "91d", "12h", "30m" or "45s", not ${JSON.stringify(body.advance)}`);
      ctx.clock.advance(ms);
    } else if (typeof body.now === 'string') {
      const at = Date.parse(body.now);
      if (Number.isNaN(at)) return adminError(400, `now must be an ISO 8601 time, not ${JSON.stringify(body.now)}`);
      ctx.clock.set(new Date(at));
    } else {
      return adminError(400, 'send {"advance": "91d"} or {"now": "2026-01-31T12:00:00Z"}');
    }
    return { status: 200, body: { now: ctx.clock.now().toISOString() } };
  },
  'POST /__emulator/reset': (ctx) => {
    ctx.store.clear();
    ctx.log.clear();
    ctx.limiter.reset();
    return { status: 200, body: { reset: true } };
  },
  'GET /__emulator/pages': (ctx) => ({ status: 200, body: { pages: ctx.pages.ids().map((id) => ({ id })) } }),
  'POST /__emulator/pages': (ctx, body) => {
    const problem = checkPage(body.id, body.token);
    if (problem) return adminError(400, `send {"id": "<digits>", "token": "<token>"}: ${problem}`);
    ctx.pages.add(body.id as string, body.token as string);
    return { status: 201, body: { id: body.id } };
  },
};

function adminError(status: number, message: string): { status: number; body: unknown } {
  return { status, body: { error: { message, type: 'EmulatorError' } } };
}

export async function handleAdmin(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const handler = routes[`${req.method} ${url.pathname.replace(/\/+$/, '')}`];
  if (!handler) {
    req.resume();
    const known = Object.keys(routes).join(', ');
    sendJson(res, 404, { error: { message: `no emulator route ${req.method} ${url.pathname}; routes: ${known}`, type: 'EmulatorError' } });
    return;
  }
  let body: Record<string, unknown> = {};
  if (req.method === 'POST') {
    const text = (await readLimited(req, 64 * 1024))?.toString('utf8');
    if (text === undefined) return sendJson(res, 413, adminError(413, 'body too large').body);
    if (text.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        body = parsed as Record<string, unknown>;
      } catch {
        return sendJson(res, 400, adminError(400, 'the body must be a JSON object').body);
      }
    }
  } else {
    req.resume();
  }
  const answer = handler(ctx, body, url);
  sendJson(res, answer.status, answer.body);
}
