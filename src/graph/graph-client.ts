// The Graph API client: upload an attachment from a URL (JSON, `payload.url`) or from a file
// (streamed multipart), always `is_reusable: true`. The token goes in the request body — never in
// a URL — so no error message that quotes a URL can leak it. One keep-alive connection pool per
// client; every request has a timeout. Failures are GraphErrors.
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { GraphError } from './graph-error.js';
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
    }
  }

  return {
    async uploadFromUrl(req: UploadFromUrlRequest): Promise<UploadResult> {
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
}
