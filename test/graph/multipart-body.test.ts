// The multipart body reads each file into a few buffers used in turn. These tests fail if a buffer is
// refilled while the socket still holds it: the server would then receive other bytes than the file's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { AddressInfo, Socket } from 'node:net';
import { basename, join } from 'node:path';
import type { TestContext } from 'node:test';
import busboy from 'busboy';
import { createGraphClient } from '../../src/graph/graph-client.js';
import { buildMultipartUpload, FileChangedError } from '../../src/graph/multipart-body.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { getJson, PAGE, startTestEmulator } from '../emulator/support.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** `count` files of distinct random bytes, each many read chunks long. */
function writeRandomFiles(t: TestContext, count: number, size: number): Array<{ path: string; sha256: string }> {
  const dir = makeTempDir(t);
  return Array.from({ length: count }, (_, i) => {
    const bytes = randomBytes(size);
    const path = join(dir, `f${i}.bin`);
    writeFileSync(path, bytes);
    return { path, sha256: sha256(bytes) };
  });
}

test('concurrent multi-chunk uploads reach the emulator byte for byte', async (t) => {
  const emulator = await startTestEmulator(t);
  const client = createGraphClient({ graphUrl: emulator.url, apiVersion: 'v21.0' });
  t.after(() => client.close());
  const files = writeRandomFiles(t, 6, 3 * 1024 * 1024 + 12_345);
  const results = await Promise.all(files.map(({ path }) => client.uploadFile({ pageId: PAGE.id, token: PAGE.token, type: 'file', path, contentType: 'application/octet-stream' })));
  const stored = new Map<string, string>((await getJson(`${emulator.url}/__emulator/attachments`)).json.attachments.map((a: { id: string; sha256: string }) => [a.id, a.sha256]));
  files.forEach((file, i) => {
    assert.equal(results[i].sha256, file.sha256, 'the hash is of the file');
    assert.equal(stored.get(results[i].attachmentId), file.sha256, `the emulator received ${file.path} intact`);
  });
});

test('uploads whose sockets back up, the server reading nothing, still arrive intact', async (t) => {
  const files = writeRandomFiles(t, 3, 12 * 1024 * 1024 + 777);
  const received = new Map<string, string>();
  // The server reads no body until every upload has had a chunk left queued in its socket (the kernel
  // buffers full): the state in which a buffer refilled too soon would corrupt what is sent.
  const sockets = new Map<object, Socket>();
  const backedUp = new Set<object>();
  const waiting: Array<() => void> = [];
  const release = () => {
    if (waiting.length === files.length && backedUp.size === files.length) for (const resume of waiting.splice(0)) resume();
  };
  const onHeaders = (message: unknown) => {
    const { request, socket } = message as { request: object; socket: Socket };
    sockets.set(request, socket);
  };
  const onChunk = (message: unknown) => {
    const { request } = message as { request: object };
    if ((sockets.get(request)?.writableLength ?? 0) > 0 && !backedUp.has(request)) {
      backedUp.add(request);
      release();
    }
  };
  subscribe('undici:client:sendHeaders', onHeaders);
  subscribe('undici:request:bodyChunkSent', onChunk);
  t.after(() => {
    unsubscribe('undici:client:sendHeaders', onHeaders);
    unsubscribe('undici:request:bodyChunkSent', onChunk);
  });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.pause();
    waiting.push(() => readUpload(req, res, received));
    release();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const client = createGraphClient({ graphUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiVersion: 'v21.0' });
  t.after(() => client.close());
  const results = await Promise.all(files.map(({ path }) => client.uploadFile({ pageId: PAGE.id, token: PAGE.token, type: 'file', path, contentType: 'application/octet-stream' })));
  assert.equal(backedUp.size, files.length, 'every upload waited on a full socket');
  files.forEach((file, i) => {
    assert.equal(results[i].sha256, file.sha256);
    assert.equal(received.get(basename(file.path)), file.sha256, `the server received ${file.path} intact`);
  });
});

test('the body is the fields, then the file, then the closing boundary, with the Content-Length announced', async (t) => {
  const [file] = writeRandomFiles(t, 1, 200_000);
  const upload = buildMultipartUpload([['message', '{"a":1}']], { fieldName: 'filedata', path: file.path, size: 200_000, contentType: 'image/png', fileName: 'a.png' });
  const parts: Buffer[] = [];
  for await (const chunk of upload.body) parts.push(Buffer.from(chunk)); // copies: the body reuses its buffers
  const body = Buffer.concat(parts);
  assert.equal(body.length, upload.contentLength);
  const boundary = /boundary=(.+)$/.exec(upload.contentType)?.[1];
  assert.ok(boundary);
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="message"\r\n\r\n{"a":1}\r\n--${boundary}\r\nContent-Disposition: form-data; name="filedata"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`;
  assert.equal(body.subarray(0, head.length).toString('utf8'), head);
  assert.equal(sha256(body.subarray(head.length, head.length + 200_000)), file.sha256);
  assert.equal(body.subarray(head.length + 200_000).toString('utf8'), `\r\n--${boundary}--\r\n`);
  assert.deepEqual(upload.sent(), { sha256: file.sha256, size: 200_000 });
});

/** Hashes the file part of a multipart request, then answers as the Graph API does. */
function readUpload(req: IncomingMessage, res: ServerResponse, received: Map<string, string>): void {
  const parser = busboy({ headers: req.headers });
  let hashed: Promise<void> = Promise.resolve();
  parser.on('file', (_name, stream, info) => {
    const hash = createHash('sha256');
    stream.on('data', (chunk: Buffer) => hash.update(chunk));
    hashed = new Promise((resolve) => stream.on('end', () => resolve(void received.set(info.filename ?? '', hash.digest('hex')))));
  });
  parser.on('close', async () => {
    await hashed;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ attachment_id: String(1000 + received.size) }));
  });
  req.pipe(parser);
  req.resume();
}

test('a file shorter than the size announced (it changed after the stat) fails the body with FileChangedError', async (t) => {
  const [file] = writeRandomFiles(t, 1, 100_000);
  const upload = buildMultipartUpload([], { fieldName: 'filedata', path: file.path, size: 150_000, contentType: 'image/png', fileName: 'a.png' });
  await assert.rejects(async () => {
    for await (const chunk of upload.body) assert.ok(chunk.length > 0);
  }, FileChangedError);
  assert.throws(() => upload.sent(), /not sent whole/);
});
