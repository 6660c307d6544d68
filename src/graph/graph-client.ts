// The Graph API client: upload by URL (JSON), upload a file (streamed multipart), send a saved
// attachment. Tokens travel in the request body only — never in a URL — and are scrubbed from any
// message. Connections are kept alive by an undici Agent the client owns; every request has a timeout.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { Agent, sendRequest } from '../http-request.js';
import { GraphError } from './graph-error.js';
import { buildMultipartUpload, FileChangedError } from './multipart-body.js';
import { hide, readGraphError } from './parse-answer.js';
import type {
  FileUploadResult,
  GraphClient,
  GraphClientOptions,
  SendAttachmentRequest,
  SendResult,
  UploadFileRequest,
  UploadFromUrlRequest,
  UploadResult,
} from './types.js';

const DEFAULT_TIMEOUT_MS = 120_000;
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

interface Call {
  pageId: string;
  edge: 'message_attachments' | 'messages';
  token: string;
  headers: Record<string, string>;
  body: string | AsyncIterable<Uint8Array>;
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const origin = options.graphUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agent = new Agent({ keepAliveTimeout: 10_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 30_000) });

  async function post(call: Call): Promise<Record<string, unknown>> {
    const url = `${origin}/${options.apiVersion}/${encodeURIComponent(call.pageId)}/${call.edge}`;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const response = await sendRequest(agent, url, {
        method: 'POST',
        headers: call.headers,
        // multipart-body.ts counts on this stream's backpressure, and undici's, to reuse its read buffers.
        body: typeof call.body === 'string' ? call.body : Readable.from(call.body, { objectMode: false }),
        signal: controller.signal,
      });
      const text = await response.body.text();
      if (response.statusCode >= 200 && response.statusCode < 300) {
        try {
          return JSON.parse(text) as Record<string, unknown>;
        } catch {
          throw new GraphError(`the Graph API answered HTTP ${response.statusCode} with a body that is not JSON`, { kind: 'graph', status: response.statusCode });
        }
      }
      throw readGraphError(response.statusCode, text, response.headers, [call.token]);
    } catch (error) {
      if (error instanceof GraphError || error instanceof FileChangedError) throw error;
      if (error instanceof Error && error.cause instanceof FileChangedError) throw error.cause;
      const code = (error as { code?: string }).code;
      if (timedOut || (code !== undefined && TIMEOUT_CODES.has(code))) {
        throw new GraphError(`no answer from the Graph API at ${origin} within ${timeoutMs} ms`, { kind: 'timeout', status: 0, cause: error });
      }
      const reason = hide(code ?? (error instanceof Error ? error.message : String(error)), [call.token]);
      throw new GraphError(`could not reach the Graph API at ${origin}: ${reason}`, { kind: 'network', status: 0, cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async uploadFromUrl(req: UploadFromUrlRequest): Promise<UploadResult> {
      const body = JSON.stringify({
        access_token: req.token,
        message: { attachment: { type: req.type, payload: { url: req.url, is_reusable: true } } },
      });
      const answer = await post({ pageId: req.pageId, edge: 'message_attachments', token: req.token, headers: { 'content-type': 'application/json' }, body });
      return { attachmentId: readAttachmentId(answer) };
    },

    async uploadFile(req: UploadFileRequest): Promise<FileUploadResult> {
      const { size } = await stat(req.path);
      const message = JSON.stringify({ attachment: { type: req.type, payload: { is_reusable: true } } });
      const upload = buildMultipartUpload(
        [
          ['access_token', req.token],
          ['message', message],
        ],
        { fieldName: 'filedata', path: req.path, size, contentType: req.contentType, fileName: req.fileName ?? basename(req.path) },
      );
      const answer = await post({
        pageId: req.pageId,
        edge: 'message_attachments',
        token: req.token,
        headers: { 'content-type': upload.contentType, 'content-length': String(upload.contentLength) },
        body: upload.body,
      });
      return { attachmentId: readAttachmentId(answer), ...upload.sent() };
    },

    async sendAttachment(req: SendAttachmentRequest): Promise<SendResult> {
      const body = JSON.stringify({
        access_token: req.token,
        recipient: { id: req.recipientId },
        message: { attachment: { type: req.type, payload: { attachment_id: req.attachmentId } } },
      });
      const answer = await post({ pageId: req.pageId, edge: 'messages', token: req.token, headers: { 'content-type': 'application/json' }, body });
      return { recipientId: String(answer.recipient_id ?? req.recipientId), messageId: String(answer.message_id ?? '') };
    },

    close: () => agent.close(),
  };
}

function readAttachmentId(answer: Record<string, unknown>): string {
  const id = answer.attachment_id;
  if (typeof id === 'string' && /^\d+$/.test(id)) return id;
  if (typeof id === 'number') return String(id);
  throw new GraphError('the Graph API answered without an attachment_id', { kind: 'graph', status: 200 });
}
