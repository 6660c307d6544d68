// One Graph call, checked in Graph's order: token (104, 190), node (`me` or the token's page),
// rate limit (80006), injected transient failure (500), then the edge's own checks (edge-checks.ts).
// Every answer waits the configured latency and is logged without the token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { errorAnswer, sendJson, usageHeaders, type Answer } from './answer.js';
import type { EmulatorContext } from './context.js';
import { checkEdgeCall, type EdgeFacts } from './edge-checks.js';
import { graphErrors } from './graph-errors.js';
import { BodyError, findToken, readGraphBody } from './request-body.js';
import { loggablePath, type LoggedRequest } from './request-log.js';
import { MAX_FILE_BYTES } from './config.js';

export type GraphEdge = 'message_attachments' | 'messages';

export interface GraphRoute {
  version: string;
  node: string;
  edge: GraphEdge;
}

export async function handleGraphCall(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, url: URL, route: GraphRoute): Promise<void> {
  const entry: Omit<LoggedRequest, 'seq' | 'status'> = {
    at: ctx.clock.now().toISOString(),
    method: req.method ?? 'GET',
    path: loggablePath(url),
    edge: route.edge,
    node: route.node,
  };
  const facts: EdgeFacts = {};
  const answer = await decide(ctx, req, url, route, entry, facts);
  Object.assign(entry, facts);
  await finish(ctx, res, answer, entry);
}

async function decide(
  ctx: EmulatorContext,
  req: IncomingMessage,
  url: URL,
  route: GraphRoute,
  entry: Omit<LoggedRequest, 'seq' | 'status'>,
  facts: EdgeFacts,
): Promise<Answer> {
  let body;
  try {
    body = await readGraphBody(req, MAX_FILE_BYTES);
  } catch (error) {
    if (error instanceof BodyError) return errorAnswer(ctx, graphErrors.invalidParameter(`Invalid request body: ${error.message}`));
    throw error;
  }
  entry.form = body.form;
  const { token, source } = findToken(url.searchParams, body, req.headers.authorization);
  entry.tokenSource = source;
  if (token === undefined) return errorAnswer(ctx, graphErrors.missingToken());
  const pageId = ctx.pages.pageForToken(token);
  if (pageId === undefined) return errorAnswer(ctx, graphErrors.invalidToken());
  entry.pageId = pageId;
  if (route.node !== 'me' && route.node !== pageId) return errorAnswer(ctx, graphErrors.unsupported('POST', route.node));

  const now = ctx.clock.now().getTime();
  const rate = ctx.limiter.take(pageId, now, ctx.config.rateLimit);
  if (!rate.allowed) {
    // Graph reports whole minutes; the emulator keeps hundredths of a minute (rounded up) so the
    // short blocks tests configure stay short (docs/emulator.md, differences).
    const minutes = Math.ceil(rate.blockedForMs / 600) / 100;
    return errorAnswer(ctx, graphErrors.rateLimited(), usageHeaders(pageId, 100, minutes));
  }
  const usage = ctx.config.usageHeaders ? usageHeaders(pageId, rate.usagePercent, 0) : undefined;
  if (ctx.config.transientErrorRate > 0 && ctx.randoms.faults.next() < ctx.config.transientErrorRate) {
    return errorAnswer(ctx, graphErrors.transient(ctx.randoms.faults.next() < 0.5 ? 2 : 1), usage);
  }
  const answer = await checkEdgeCall(ctx, route.edge, pageId, body, facts);
  return usage ? { ...answer, headers: { ...usage, ...answer.headers } } : answer;
}

async function finish(ctx: EmulatorContext, res: ServerResponse, answer: Answer, entry: Omit<LoggedRequest, 'seq' | 'status'>): Promise<void> {
  if (ctx.config.latencyMs > 0) {
    try {
      await delay(ctx.config.latencyMs, undefined, { signal: ctx.closing });
    } catch {
      // Closing: answer at once.
    }
  }
  const attachmentId = (answer.body as { attachment_id?: unknown }).attachment_id;
  ctx.log.add({
    ...entry,
    status: answer.status,
    errorCode: answer.error?.code,
    errorSubcode: answer.error?.subcode,
    attachmentId: typeof attachmentId === 'string' ? attachmentId : undefined,
  });
  sendJson(res, answer.status, answer.body, answer.headers);
}

/** An answer to a Graph-shaped path the emulator doesn't serve (another edge, or not POST). */
export async function answerUnsupported(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, url: URL, objectId: string): Promise<void> {
  req.resume();
  const answer = errorAnswer(ctx, graphErrors.unsupported(req.method ?? 'GET', objectId));
  await finish(ctx, res, answer, { at: ctx.clock.now().toISOString(), method: req.method ?? 'GET', path: loggablePath(url), node: objectId });
}
