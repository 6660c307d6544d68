import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  assertGraphError,
  getJson,
  imageFile,
  OTHER_PAGE,
  PAGE,
  postForm,
  postJson,
  reusableMessage,
  serveBytes,
  startMediaServer,
  startTestEmulator,
} from './support.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('multipart upload stores the file with its hash, size, type and a 90-day expiry', async (t) => {
  const now = new Date('2026-03-01T10:00:00.000Z');
  const emulator = await startTestEmulator(t, { now: () => now });
  const bytes = Buffer.from('a small png stand-in, hashed as it streams');
  const answer = await postForm(`${emulator.url}/v21.0/me/message_attachments?access_token=${PAGE.token}`, { message: reusableMessage('image') }, [imageFile(bytes)]);
  assert.equal(answer.status, 200);
  assert.deepEqual(Object.keys(answer.json), ['attachment_id']);
  assert.match(answer.json.attachment_id, /^[1-9]\d{14,15}$/);
  const { json } = await getJson(`${emulator.url}/__emulator/attachments`);
  assert.deepEqual(json.attachments, [
    {
      id: answer.json.attachment_id,
      pageId: PAGE.id,
      type: 'image',
      sha256: sha256(bytes),
      size: bytes.length,
      contentType: 'image/png',
      reusable: true,
      source: 'file',
      createdAt: '2026-03-01T10:00:00.000Z',
      expiresAt: '2026-05-30T10:00:00.000Z',
    },
  ]);
});

test('JSON upload by URL fetches the URL and stores what it served', async (t) => {
  const emulator = await startTestEmulator(t);
  const audio = Buffer.from('ID3 pretend mp3 bytes');
  const media = await startMediaServer(t, { '/jingle.mp3': serveBytes(audio, 'audio/mpeg') });
  const answer = await postJson(`${emulator.url}/v21.0/${PAGE.id}/message_attachments`, {
    access_token: PAGE.token,
    message: { attachment: { type: 'audio', payload: { url: `${media}/jingle.mp3`, is_reusable: true } } },
  });
  assert.equal(answer.status, 200, JSON.stringify(answer.json));
  const [stored] = (await getJson(`${emulator.url}/__emulator/attachments`)).json.attachments;
  assert.equal(stored.id, answer.json.attachment_id);
  assert.equal(stored.sha256, sha256(audio));
  assert.equal(stored.size, audio.length);
  assert.equal(stored.contentType, 'audio/mpeg');
  assert.equal(stored.source, 'url');
});

test('the token is read from the query, a JSON body field, a form field and Authorization: Bearer', async (t) => {
  const emulator = await startTestEmulator(t);
  const base = `${emulator.url}/v21.0/me/message_attachments`;
  const message = reusableMessage('image');
  const answers = {
    query: await postForm(`${base}?access_token=${PAGE.token}`, { message }, [imageFile()]),
    form: await postForm(base, { access_token: PAGE.token, message }, [imageFile()]),
    header: await postForm(base, { message }, [imageFile()], { authorization: `Bearer ${PAGE.token}` }),
    json: await postJson(base, { access_token: PAGE.token, message: { attachment: { type: 'image', payload: { attachment_id: '1' } } } }),
  };
  for (const [where, answer] of Object.entries({ query: answers.query, form: answers.form, header: answers.header })) {
    assert.equal(answer.status, 200, `${where}: ${JSON.stringify(answer.json)}`);
  }
  // The JSON body's token was accepted: the call got past the token checks to the file check.
  assertGraphError(assert, answers.json, { status: 400, code: 100, subcode: 2018005, message: /Incorrect number of files/ });
  const sources = (await getJson(`${emulator.url}/__emulator/requests`)).json.requests.map((r: any) => r.tokenSource);
  assert.deepEqual(sources, ['query', 'body', 'header', 'body']);
});

test('a missing token is 104 and an unknown one is 190, with Graph’s body', async (t) => {
  const emulator = await startTestEmulator(t);
  const base = `${emulator.url}/v21.0/me/message_attachments`;
  assertGraphError(assert, await postForm(base, { message: reusableMessage('image') }, [imageFile()]), {
    status: 400,
    code: 104,
    message: 'An access token is required to request this resource.',
  });
  assertGraphError(assert, await postForm(`${base}?access_token=not-a-known-token`, { message: reusableMessage('image') }, [imageFile()]), {
    status: 400,
    code: 190,
    message: 'Invalid OAuth access token.',
  });
  assertGraphError(assert, await postJson(base, { message: {} }, { authorization: 'Bearer also-unknown' }), {
    status: 400,
    code: 190,
    message: 'Invalid OAuth access token.',
  });
});

test('the node is `me` or the token’s own page; another page’s id is refused', async (t) => {
  const emulator = await startTestEmulator(t);
  const upload = (node: string) =>
    postForm(`${emulator.url}/v21.0/${node}/message_attachments?access_token=${PAGE.token}`, { message: reusableMessage('image') }, [imageFile()]);
  assert.equal((await upload('me')).status, 200);
  assert.equal((await upload(PAGE.id)).status, 200);
  for (const node of [OTHER_PAGE.id, '5555']) {
    assertGraphError(assert, await upload(node), {
      status: 400,
      code: 100,
      subcode: 33,
      type: 'GraphMethodException',
      message: new RegExp(`^Unsupported post request\\. Object with ID '${node}' does not exist`),
    });
  }
  const pages = new Set((await getJson(`${emulator.url}/__emulator/attachments`)).json.attachments.map((a: any) => a.pageId));
  assert.deepEqual([...pages], [PAGE.id]);
});

test('a missing or unknown attachment type is refused before any file check', async (t) => {
  const emulator = await startTestEmulator(t);
  const url = `${emulator.url}/v21.0/me/message_attachments?access_token=${PAGE.token}`;
  assertGraphError(assert, await postForm(url, { message: reusableMessage('sticker') }, [imageFile()]), {
    status: 400,
    code: 100,
    message: '(#100) Param message[attachment][type] must be one of {AUDIO, FILE, IMAGE, VIDEO}',
  });
  assertGraphError(assert, await postForm(url, { message: JSON.stringify({ attachment: { payload: {} } }) }, []), {
    status: 400,
    code: 100,
    message: '(#100) Param message[attachment][type] must be one of {AUDIO, FILE, IMAGE, VIDEO}',
  });
  assertGraphError(assert, await postForm(url, {}, [imageFile()]), { status: 400, code: 100, message: '(#100) The parameter message is required' });
});

test('exactly one filedata part or a URL: none, two, both, or a wrongly named part is 2018005', async (t) => {
  const emulator = await startTestEmulator(t);
  const media = await startMediaServer(t, { '/a.png': serveBytes(Buffer.from('png'), 'image/png') });
  const url = `${emulator.url}/v21.0/me/message_attachments?access_token=${PAGE.token}`;
  const expected = { status: 400, code: 100, subcode: 2018005, message: '(#100) Incorrect number of files uploaded. Must upload exactly one file.' };
  assertGraphError(assert, await postForm(url, { message: reusableMessage('image') }, []), expected);
  assertGraphError(assert, await postForm(url, { message: reusableMessage('image') }, [imageFile(), imageFile()]), expected);
  assertGraphError(assert, await postForm(url, { message: reusableMessage('image', { url: `${media}/a.png` }) }, [imageFile()]), expected);
  assertGraphError(assert, await postForm(url, { message: reusableMessage('image') }, [{ ...imageFile(), name: 'file' }]), expected);
  assert.equal((await getJson(`${emulator.url}/__emulator/attachments`)).json.attachments.length, 0);
});

test('the content type must fit the type: audio/* for audio, image/* for image; file takes anything', async (t) => {
  const emulator = await startTestEmulator(t);
  const url = `${emulator.url}/v21.0/me/message_attachments?access_token=${PAGE.token}`;
  const failure = { status: 400, code: 100, subcode: 2018047, message: '(#100) Upload attachment failure.' };
  assertGraphError(assert, await postForm(url, { message: reusableMessage('audio') }, [imageFile()]), failure);
  const pdf = { name: 'filedata', bytes: Buffer.from('%PDF-1.4'), contentType: 'application/pdf', filename: 'menu.pdf' };
  assertGraphError(assert, await postForm(url, { message: reusableMessage('image') }, [pdf]), failure);
  assertGraphError(assert, await postForm(url, { message: reusableMessage('video') }, [imageFile()]), failure);
  assert.equal((await postForm(url, { message: reusableMessage('file') }, [pdf])).status, 200);
  const mp3 = { name: 'filedata', bytes: Buffer.from('ID3'), contentType: 'audio/mpeg', filename: 'a.mp3' };
  assert.equal((await postForm(url, { message: reusableMessage('audio') }, [mp3])).status, 200);
});

test('a file over 25 MB is 2018109 and is not stored; exactly 25 MB is accepted', async (t) => {
  const emulator = await startTestEmulator(t);
  const url = `${emulator.url}/v21.0/me/message_attachments?access_token=${PAGE.token}`;
  const limit = 25 * 1024 * 1024;
  const over = { name: 'filedata', bytes: Buffer.alloc(limit + 1), contentType: 'video/mp4', filename: 'big.mp4' };
  assertGraphError(assert, await postForm(url, { message: reusableMessage('video') }, [over]), {
    status: 400,
    code: 100,
    subcode: 2018109,
    message: '(#100) Attachment size exceeds allowable limit',
  });
  const exact = { ...over, bytes: over.bytes.subarray(0, limit) };
  const ok = await postForm(url, { message: reusableMessage('video') }, [exact]);
  assert.equal(ok.status, 200);
  const stored = (await getJson(`${emulator.url}/__emulator/attachments`)).json.attachments;
  assert.deepEqual(stored.map((a: any) => a.size), [limit]);
});

test('an urlencoded body with a message field and payload.url works like JSON', async (t) => {
  const emulator = await startTestEmulator(t);
  const media = await startMediaServer(t, { '/a.png': serveBytes(Buffer.from('png bytes'), 'image/png') });
  const body = new URLSearchParams({ access_token: PAGE.token, message: reusableMessage('image', { url: `${media}/a.png` }) });
  const response = await fetch(`${emulator.url}/v21.0/me/message_attachments`, { method: 'POST', body });
  assert.equal(response.status, 200);
  const requests = (await getJson(`${emulator.url}/__emulator/requests`)).json.requests;
  assert.equal(requests[0].form, 'urlencoded');
});
