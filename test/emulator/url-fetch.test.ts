import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertGraphError, getJson, PAGE, postJson, serveBytes, startMediaServer, startTestEmulator } from './support.js';

function urlUpload(emulatorUrl: string, type: string, url: string) {
  return postJson(`${emulatorUrl}/v21.0/me/message_attachments`, {
    access_token: PAGE.token,
    message: { attachment: { type, payload: { url, is_reusable: true } } },
  });
}

const MB = 1024 * 1024;

test('a URL answering 404, or an unreachable one, is 2018008', async (t) => {
  const emulator = await startTestEmulator(t);
  const media = await startMediaServer(t, {});
  const expected = { status: 400, code: 100, subcode: 2018008, message: '(#100) Failed to fetch the file from the url' };
  assertGraphError(assert, await urlUpload(emulator.url, 'image', `${media}/missing.png`), expected);
  assertGraphError(assert, await urlUpload(emulator.url, 'image', 'ftp://127.0.0.1/a.png'), expected);
  assertGraphError(assert, await urlUpload(emulator.url, 'image', 'not a url'), expected);
});

test('an image over 8 MB from a URL is 2018109, with or without a Content-Length; other types may reach 25 MB', async (t) => {
  const emulator = await startTestEmulator(t);
  const big = Buffer.alloc(8 * MB + 1, 7);
  const media = await startMediaServer(t, {
    '/declared.png': serveBytes(big, 'image/png'),
    '/chunked.png': (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(big.subarray(0, 4 * MB));
      res.end(big.subarray(4 * MB));
    },
    '/big.mp4': serveBytes(big, 'video/mp4'),
  });
  const tooLarge = { status: 400, code: 100, subcode: 2018109, message: '(#100) Attachment size exceeds allowable limit' };
  assertGraphError(assert, await urlUpload(emulator.url, 'image', `${media}/declared.png`), tooLarge);
  assertGraphError(assert, await urlUpload(emulator.url, 'image', `${media}/chunked.png`), tooLarge);
  assert.equal((await urlUpload(emulator.url, 'video', `${media}/big.mp4`)).status, 200);
  const stored = (await getJson(`${emulator.url}/__emulator/attachments`)).json.attachments;
  assert.deepEqual(stored.map((a: any) => [a.type, a.size]), [['video', big.length]]);
});

test('a video URL that does not answer in time is 2018294; another type is 2018008', async (t) => {
  const emulator = await startTestEmulator(t, { fetchTimeoutMs: 200, videoFetchTimeoutMs: 300 });
  let asked = 0;
  // Answers the headers and then never finishes the body: the whole fetch must fit the time limit.
  const media = await startMediaServer(t, {
    '/slow.mp4': (_req, res) => {
      asked++;
      res.writeHead(200, { 'content-type': 'video/mp4' });
      res.write('partial');
    },
    '/slow.png': (_req, res) => {
      asked++;
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write('partial');
    },
  });
  assertGraphError(assert, await urlUpload(emulator.url, 'video', `${media}/slow.mp4`), {
    status: 400,
    code: 100,
    subcode: 2018294,
    message: '(#100) Video upload timed out or video is corrupted',
  });
  assertGraphError(assert, await urlUpload(emulator.url, 'image', `${media}/slow.png`), {
    status: 400,
    code: 100,
    subcode: 2018008,
    message: '(#100) Failed to fetch the file from the url',
  });
  assert.equal(asked, 2);
});

test('a URL whose content type does not fit the type is 2018047', async (t) => {
  const emulator = await startTestEmulator(t);
  const media = await startMediaServer(t, {
    '/song.mp3': serveBytes(Buffer.from('<html>'), 'text/html; charset=utf-8'),
    '/photo.jpg': serveBytes(Buffer.from('jpeg'), 'image/jpeg'),
  });
  assertGraphError(assert, await urlUpload(emulator.url, 'audio', `${media}/song.mp3`), {
    status: 400,
    code: 100,
    subcode: 2018047,
    message: '(#100) Upload attachment failure.',
  });
  assertGraphError(assert, await urlUpload(emulator.url, 'video', `${media}/photo.jpg`), {
    status: 400,
    code: 100,
    subcode: 2018047,
    message: '(#100) Upload attachment failure.',
  });
  assert.equal((await urlUpload(emulator.url, 'file', `${media}/song.mp3`)).status, 200);
});

test('redirects are followed', async (t) => {
  const emulator = await startTestEmulator(t);
  const media = await startMediaServer(t, {
    '/old.png': (_req, res) => {
      res.writeHead(302, { location: '/new.png' });
      res.end();
    },
    '/new.png': serveBytes(Buffer.from('new png'), 'image/png'),
  });
  const answer = await urlUpload(emulator.url, 'image', `${media}/old.png`);
  assert.equal(answer.status, 200, JSON.stringify(answer.json));
  const [stored] = (await getJson(`${emulator.url}/__emulator/attachments`)).json.attachments;
  assert.equal(stored.size, Buffer.byteLength('new png'));
});
