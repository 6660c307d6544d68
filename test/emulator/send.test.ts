import { test } from 'node:test';
import assert from 'node:assert/strict';
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

async function upload(emulatorUrl: string, page: { token: string }, message = reusableMessage('image')): Promise<string> {
  const answer = await postForm(`${emulatorUrl}/v21.0/me/message_attachments?access_token=${page.token}`, { message }, [imageFile()]);
  assert.equal(answer.status, 200);
  return answer.json.attachment_id;
}

function sendById(emulatorUrl: string, page: { token: string }, attachmentId: string) {
  return postJson(`${emulatorUrl}/v21.0/me/messages?access_token=${page.token}`, {
    recipient: { id: '1254444444682919' },
    message: { attachment: { type: 'image', payload: { attachment_id: attachmentId } } },
  });
}

const notOwner = {
  status: 400,
  code: 100,
  subcode: 2018074,
  message: '(#100) Possibly invalid ID, or you are not the owner of the attachment',
};

test('a page sends its own reusable attachment by id', async (t) => {
  const emulator = await startTestEmulator(t);
  const id = await upload(emulator.url, PAGE);
  const answer = await sendById(emulator.url, PAGE, id);
  assert.equal(answer.status, 200);
  assert.deepEqual(Object.keys(answer.json).sort(), ['message_id', 'recipient_id']);
  assert.equal(answer.json.recipient_id, '1254444444682919');
  assert.match(answer.json.message_id, /^m_[A-Za-z0-9_-]+$/);
});

test('an unknown id, another page’s id, or a non-reusable id is 2018074', async (t) => {
  const emulator = await startTestEmulator(t);
  const theirs = await upload(emulator.url, OTHER_PAGE);
  const single = await upload(emulator.url, PAGE, JSON.stringify({ attachment: { type: 'image', payload: {} } }));
  assertGraphError(assert, await sendById(emulator.url, PAGE, '1111111111111111'), notOwner);
  assertGraphError(assert, await sendById(emulator.url, PAGE, theirs), notOwner);
  assertGraphError(assert, await sendById(emulator.url, PAGE, single), notOwner);
  assert.equal((await sendById(emulator.url, OTHER_PAGE, theirs)).status, 200);
});

test('an id expires 90 days after upload: sendable the moment before, 2018074 once the clock passes it', async (t) => {
  const emulator = await startTestEmulator(t, { now: () => new Date('2026-01-01T00:00:00Z') });
  const id = await upload(emulator.url, PAGE);
  await postJson(`${emulator.url}/__emulator/clock`, { advance: '89d' });
  assert.equal((await sendById(emulator.url, PAGE, id)).status, 200);
  const moved = await postJson(`${emulator.url}/__emulator/clock`, { advance: '2d' });
  assert.equal(moved.json.now, '2026-04-02T00:00:00.000Z');
  assertGraphError(assert, await sendById(emulator.url, PAGE, id), notOwner);
  await postJson(`${emulator.url}/__emulator/clock`, { now: '2026-03-31T23:59:59Z' });
  assert.equal((await sendById(emulator.url, PAGE, id)).status, 200);
});

test('upload-and-send on /messages, by file and by URL, answers recipient_id, message_id and attachment_id', async (t) => {
  const emulator = await startTestEmulator(t);
  const media = await startMediaServer(t, { '/a.png': serveBytes(Buffer.from('png'), 'image/png') });
  const byFile = await postForm(
    `${emulator.url}/v21.0/me/messages?access_token=${PAGE.token}`,
    { recipient: JSON.stringify({ id: '42' }), message: reusableMessage('image') },
    [imageFile()],
  );
  const byUrl = await postJson(`${emulator.url}/v21.0/${PAGE.id}/messages`, {
    access_token: PAGE.token,
    recipient: { id: '43' },
    message: { attachment: { type: 'image', payload: { url: `${media}/a.png`, is_reusable: true } } },
  });
  for (const [answer, recipient] of [
    [byFile, '42'],
    [byUrl, '43'],
  ] as const) {
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    assert.deepEqual(Object.keys(answer.json).sort(), ['attachment_id', 'message_id', 'recipient_id']);
    assert.equal(answer.json.recipient_id, recipient);
    assert.equal((await sendById(emulator.url, PAGE, answer.json.attachment_id)).status, 200);
  }
});

test('/messages without a recipient is refused', async (t) => {
  const emulator = await startTestEmulator(t);
  assertGraphError(assert, await postForm(`${emulator.url}/v21.0/me/messages?access_token=${PAGE.token}`, { message: reusableMessage('image') }, [imageFile()]), {
    status: 400,
    code: 100,
    message: '(#100) The parameter recipient is required',
  });
});
