// Shared pieces of the emulator tests: a running emulator closed after the test, small HTTP helpers
// over 127.0.0.1, and a media server that tests point `payload.url` at.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';

export const PAGE = { id: '1234567890', token: 'EAAB-page-one-token-0123456789' };
export const OTHER_PAGE = { id: '9876543210', token: 'EAAB-page-two-token-9876543210' };

export async function startTestEmulator(t: TestContext, options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator({ port: 0, pages: [PAGE, OTHER_PAGE], ...options });
  t.after(() => emulator.close());
  return emulator;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  json: any;
}

async function toAnswer(response: Response): Promise<HttpAnswer> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return toAnswer(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }));
}

export async function getJson(url: string): Promise<HttpAnswer> {
  return toAnswer(await fetch(url));
}

export interface FormFile {
  name: string;
  bytes: Buffer;
  contentType: string;
  filename: string;
}

export async function postForm(url: string, fields: Record<string, string>, files: FormFile[] = [], headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files) form.append(file.name, new Blob([file.bytes], { type: file.contentType }), file.filename);
  return toAnswer(await fetch(url, { method: 'POST', body: form, headers }));
}

export function imageFile(bytes: Buffer = Buffer.from('\x89PNG\r\n\x1a\nnot-really-a-png')): FormFile {
  return { name: 'filedata', bytes, contentType: 'image/png', filename: 'shirt.png' };
}

export function reusableMessage(type: string, payload: Record<string, unknown> = {}): string {
  return JSON.stringify({ attachment: { type, payload: { is_reusable: true, ...payload } } });
}

/** Graph's error body, checked whole: exactly these keys and a trace id. */
export function assertGraphError(
  assert: typeof import('node:assert/strict'),
  answer: HttpAnswer,
  expected: { status: number; code: number; subcode?: number; message: string | RegExp; type?: string; isTransient?: boolean },
): void {
  assert.equal(answer.status, expected.status, JSON.stringify(answer.json));
  const error = answer.json?.error;
  assert.ok(error, 'an error body');
  const keys = ['message', 'type', 'code', 'fbtrace_id'];
  if (expected.subcode !== undefined) keys.push('error_subcode');
  if (expected.isTransient) keys.push('is_transient');
  assert.deepEqual(Object.keys(error).sort(), keys.sort());
  assert.equal(error.code, expected.code);
  assert.equal(error.error_subcode, expected.subcode);
  assert.equal(error.type, expected.type ?? 'OAuthException');
  if (expected.isTransient) assert.equal(error.is_transient, true);
  if (typeof expected.message === 'string') assert.equal(error.message, expected.message);
  else assert.match(error.message, expected.message);
  assert.match(error.fbtrace_id, /^[A-Za-z0-9_-]{10,}$/);
}

export type MediaRoute = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP server on 127.0.0.1 serving `routes` by path; closed (with any hanging answer) after the test. */
export async function startMediaServer(t: TestContext, routes: Record<string, MediaRoute>): Promise<string> {
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (route) route(req, res);
    else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function serveBytes(bytes: Buffer, contentType: string): MediaRoute {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length });
    res.end(bytes);
  };
}
