import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGraphClient } from '../../src/graph/graph-client.js';
import { GraphError } from '../../src/graph/graph-error.js';
import type { GraphClientOptions } from '../../src/graph/types.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { getJson, PAGE, serveBytes, startMediaServer, startTestEmulator } from '../emulator/support.js';
import type { TestContext } from 'node:test';

function clientFor(t: TestContext, options: GraphClientOptions) {
  const client = createGraphClient(options);
  t.after(() => client.close());
  return client;
}

async function failure(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GraphError, String(error));
    return error;
  }
  assert.fail('expected a GraphError');
}

test('uploadFile streams the file as multipart and returns the id with the sha256 and size of what was sent', async (t) => {
  const emulator = await startTestEmulator(t);
  const client = clientFor(t, { graphUrl: emulator.url, apiVersion: 'v21.0' });
  const path = join(makeTempDir(t), 'welcome.png');
  const bytes = Buffer.alloc(300_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 251;
  writeFileSync(path, bytes);
  const result = await client.uploadFile({ pageId: PAGE.id, token: PAGE.token, type: 'image', path, contentType: 'image/png' });
  const expected = createHash('sha256').update(bytes).digest('hex');
  assert.equal(result.sha256, expected);
  assert.equal(result.size, bytes.length);
  const [stored] = (await getJson(`${emulator.url}/__emulator/attachments`)).json.attachments;
  assert.equal(stored.id, result.attachmentId);
  assert.equal(stored.sha256, expected, 'the emulator received the same bytes');
  assert.equal(stored.reusable, true);
  const [logged] = (await getJson(`${emulator.url}/__emulator/requests`)).json.requests;
  assert.equal(logged.tokenSource, 'body', 'the token goes in the body');
  assert.equal(logged.path, `/v21.0/${PAGE.id}/message_attachments`);
  assert.equal(logged.file.filename, 'welcome.png');
  assert.equal(logged.file.contentType, 'image/png');
});

test('uploadFromUrl sends JSON with payload.url and is_reusable', async (t) => {
  const emulator = await startTestEmulator(t);
  const media = await startMediaServer(t, { '/a.mp4': serveBytes(Buffer.from('mp4'), 'video/mp4') });
  const client = clientFor(t, { graphUrl: `${emulator.url}/`, apiVersion: 'v21.0' });
  const result = await client.uploadFromUrl({ pageId: PAGE.id, token: PAGE.token, type: 'video', url: `${media}/a.mp4` });
  assert.match(result.attachmentId, /^\d{15,16}$/);
  const [logged] = (await getJson(`${emulator.url}/__emulator/requests`)).json.requests;
  assert.equal(logged.form, 'json');
  assert.equal(logged.tokenSource, 'body');
  assert.equal(logged.url, `${media}/a.mp4`);
  const sent = await client.sendAttachment({ pageId: PAGE.id, token: PAGE.token, recipientId: '77', type: 'video', attachmentId: result.attachmentId });
  assert.equal(sent.recipientId, '77');
  assert.match(sent.messageId, /^m_/);
});

test('an invalid token is a GraphError 190 that isTokenError and never quotes the token', async (t) => {
  const emulator = await startTestEmulator(t);
  const client = clientFor(t, { graphUrl: emulator.url, apiVersion: 'v21.0' });
  const error = await failure(client.uploadFromUrl({ pageId: PAGE.id, token: 'EAAB-unknown-token-value', type: 'image', url: 'http://127.0.0.1:9/a.png' }));
  assert.equal(error.kind, 'graph');
  assert.equal(error.status, 400);
  assert.equal(error.code, 190);
  assert.equal(error.type, 'OAuthException');
  assert.equal(error.message, '(#190) Invalid OAuth access token.');
  assert.ok(error.isTokenError());
  assert.ok(!error.isRetryable());
  assert.ok(!error.isRateLimit());
  assert.ok(!error.message.includes('EAAB-unknown-token-value'));
});

test('a content type mismatch is a GraphError with code, subcode and trace id, not retryable', async (t) => {
  const emulator = await startTestEmulator(t);
  const client = clientFor(t, { graphUrl: emulator.url, apiVersion: 'v21.0' });
  const path = join(makeTempDir(t), 'song.mp3');
  writeFileSync(path, 'not audio');
  const error = await failure(client.uploadFile({ pageId: PAGE.id, token: PAGE.token, type: 'audio', path, contentType: 'text/plain' }));
  assert.equal(error.status, 400);
  assert.equal(error.code, 100);
  assert.equal(error.subcode, 2018047);
  assert.equal(error.message, '(#100/2018047) Upload attachment failure.');
  assert.match(error.fbtraceId ?? '', /^[A-Za-z0-9_-]{10,}$/);
  assert.equal(error.isRetryable(), false);
  assert.equal(error.isTokenError(), false);
});

test('a file over 25 MB, streamed from a sparse file, is 2018109', async (t) => {
  const emulator = await startTestEmulator(t);
  const client = clientFor(t, { graphUrl: emulator.url, apiVersion: 'v21.0' });
  const path = join(makeTempDir(t), 'huge.mp4');
  writeFileSync(path, '');
  truncateSync(path, 25 * 1024 * 1024 + 1);
  const error = await failure(client.uploadFile({ pageId: PAGE.id, token: PAGE.token, type: 'video', path, contentType: 'video/mp4' }));
  assert.equal(error.subcode, 2018109);
});

test('a rate limit is a GraphError that isRateLimit with retryAfterMs from estimated_time_to_regain_access', async (t) => {
  const emulator = await startTestEmulator(t, { rateLimit: { calls: 1, windowMs: 60_000, blockMs: 3 * 60_000 } });
  const client = clientFor(t, { graphUrl: emulator.url, apiVersion: 'v21.0' });
  const path = join(makeTempDir(t), 'a.png');
  writeFileSync(path, 'png');
  const upload = () => client.uploadFile({ pageId: PAGE.id, token: PAGE.token, type: 'image', path, contentType: 'image/png' });
  await upload();
  const error = await failure(upload());
  assert.equal(error.code, 80006);
  assert.ok(error.isRateLimit());
  assert.equal(error.retryAfterMs, 3 * 60_000);
});

test('a transient 500 is a retryable GraphError with isTransient', async (t) => {
  const emulator = await startTestEmulator(t, { transientErrorRate: 1, seed: 3 });
  const client = clientFor(t, { graphUrl: emulator.url, apiVersion: 'v21.0' });
  const error = await failure(client.uploadFromUrl({ pageId: PAGE.id, token: PAGE.token, type: 'image', url: 'http://127.0.0.1:9/a.png' }));
  assert.equal(error.status, 500);
  assert.ok(error.code === 1 || error.code === 2);
  assert.equal(error.isTransient, true);
  assert.ok(error.isRetryable());
  assert.equal(error.retryAfterMs, undefined);
});

test('a closed port is a network GraphError with status 0', async (t) => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const client = clientFor(t, { graphUrl: `http://127.0.0.1:${port}`, apiVersion: 'v21.0' });
  const error = await failure(client.uploadFromUrl({ pageId: PAGE.id, token: PAGE.token, type: 'image', url: 'http://127.0.0.1:9/a.png' }));
  assert.equal(error.kind, 'network');
  assert.equal(error.status, 0);
  assert.ok(error.isRetryable());
  assert.ok(!error.message.includes(PAGE.token));
});

test('an answer slower than the client timeout is a timeout GraphError', async (t) => {
  const emulator = await startTestEmulator(t, { latencyMs: 60_000 });
  const client = clientFor(t, { graphUrl: emulator.url, apiVersion: 'v21.0', timeoutMs: 200 });
  const error = await failure(client.uploadFromUrl({ pageId: PAGE.id, token: PAGE.token, type: 'image', url: 'http://127.0.0.1:9/a.png' }));
  assert.equal(error.kind, 'timeout');
  assert.equal(error.status, 0);
  assert.ok(error.isRetryable());
});
