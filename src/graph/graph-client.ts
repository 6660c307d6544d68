<<<<<<< HEAD
// The Graph API client: upload an attachment from a URL (JSON, `payload.url`) or from a file
// (streamed multipart), always `is_reusable: true`. The token goes in the request body — never in
// a URL — so no error message that quotes a URL can leak it. One keep-alive connection pool per
// client; every request has a timeout. Failures are GraphErrors.
=======
// The Graph API client: upload by URL (JSON), upload a file (streamed multipart), send a saved
// attachment. Tokens travel in the request body only — never in a URL — and are scrubbed from any
// message. Connections are kept alive by an undici Agent the client owns; every request has a timeout.
import { stat } from 'node:fs/promises';
>>>>>>> b56f9ab
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { GraphError } from './graph-error.js';
<<<<<<< HEAD
import { multipartBody } from './multipart-body.js';
import { readAnswer } from './read-answer.js';
import type { FileUploadResult, GraphClient, GraphClientOptions, UploadFileRequest, UploadFromUrlRequest, UploadResult } from './types.js';

const DEFAULT_TIMEOUT_MS = 120_000;

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agent = new Agent({ keepAliveTimeout: 30_000, connectTimeout: Math.min(timeoutMs, 30_000), headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const origin = options.graphUrl.replace(/\/+$/, '');
  const endpoint = (pageId: string) => `${origin}/${options.apiVersion}/${encodeURIComponent(pageId)}/message_attachments`;

  async function post(url: string, init: { headers: Record<string, string>; body: Dispatcher.DispatchOptions['body'] }): Promise<Record<string, unknown>> {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, { dispatcher: agent, method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(timeoutMs * 2) });
    } catch (error) {
      throw transportError(error, timeoutMs);
    }
    try {
      return await readAnswer(response);
    } catch (error) {
      throw error instanceof GraphError ? error : transportError(error, timeoutMs);
=======
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
      const response = await request(url, {
        method: 'POST',
        dispatcher: agent as Dispatcher,
        headers: call.headers,
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
>>>>>>> b56f9ab
    }
  }

  return {
    async uploadFromUrl(req: UploadFromUrlRequest): Promise<UploadResult> {
<<<<<<< HEAD
      const body = JSON.stringify({ access_token: req.token, message: { attachment: { type: req.type, payload: { url: req.url, is_reusable: true } } } });
      return attachmentIdOf(await post(endpoint(req.pageId), { headers: { 'content-type': 'application/json' }, body }));
    },

    async uploadFile(req: UploadFileRequest): Promise<FileUploadResult> {
      const message = JSON.stringify({ attachment: { type: req.type, payload: { is_reusable: true } } });
      const form = multipartBody(
        { access_token: req.token, message },
        { field: 'filedata', path: req.path, fileName: req.fileName ?? basename(req.path), contentType: req.contentType },
      );
      const body = await form.open();
      const answer = await post(endpoint(req.pageId), {
        headers: { 'content-type': form.contentType, 'content-length': String(body.length) },
        body: Readable.from(body.stream, { objectMode: false }),
      });
      return { ...attachmentIdOf(answer), ...body.digest() };
    },

    async close() {
      await agent.close();
    },
  };
}

function attachmentIdOf(answer: Record<string, unknown>): UploadResult {
  const id = answer.attachment_id;
  if (typeof id !== 'string' || id === '') {
    throw new GraphError('the Graph API answered without an attachment_id', { kind: 'graph', status: 200, code: 0 });
  }
  return { attachmentId: id };
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

function transportError(error: unknown, timeoutMs: number): GraphError {
  const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err.code ?? err.cause?.code ?? err.name;
  if (TIMEOUT_CODES.has(code) || err.name === 'TimeoutError') {
    return new GraphError(`the Graph API did not answer within ${timeoutMs / 1000} s`, { kind: 'timeout', status: 0, code: 0 }, { cause: error });
  }
  const reason = [code, err.message].filter(Boolean).join(': ');
  return new GraphError(`could not reach the Graph API (${reason})`, { kind: 'network', status: 0, code: 0 }, { cause: error });
=======
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
>>>>>>> b56f9ab
}
