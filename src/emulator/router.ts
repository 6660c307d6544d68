// Which handler answers a request:
//   /__emulator/...                         the admin routes (admin-routes.ts)
//   POST /vX.Y/NODE/message_attachments     Graph calls (graph-call.ts)
//   POST /vX.Y/NODE/messages
//   any other /vX.Y/... path or method      Graph's "Unsupported … request" (400, code 100, subcode 33)
//   anything else                           404: not a Graph path
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAdmin } from './admin-routes.js';
import { sendJson } from './answer.js';
import type { EmulatorContext } from './context.js';
import { answerUnsupported, handleGraphCall, type GraphEdge } from './graph-call.js';

const EDGES: readonly string[] = ['message_attachments', 'messages'];

export async function routeRequest(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  if (url.pathname === '/__emulator' || url.pathname.startsWith('/__emulator/')) return handleAdmin(ctx, req, res, url);
  const segments = url.pathname.split('/').filter((s) => s !== '');
  if (segments.length === 0 || !/^v\d+\.\d+$/.test(segments[0])) {
    req.resume();
    return sendJson(res, 404, { error: { message: `not a Graph API path: ${url.pathname} (expected /vX.Y/NODE/EDGE)`, type: 'EmulatorError' } });
  }
  const [version, node, edge] = segments;
  if (segments.length === 3 && EDGES.includes(edge) && req.method === 'POST') {
    return handleGraphCall(ctx, req, res, url, { version, node, edge: edge as GraphEdge });
  }
  return answerUnsupported(ctx, req, res, url, node ?? version);
}
