// The curl examples of Meta's pages (shared/reference/), run with real curl against the emulator,
// with graph.facebook.com replaced by the emulator's address and the placeholders filled in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from '../helpers/temp-dir.js';
import { getJson, PAGE, serveBytes, startMediaServer, startTestEmulator } from './support.js';

const run = promisify(execFile);

async function curl(args: string[]): Promise<{ status: number; json: any }> {
  const { stdout } = await run('curl', ['--silent', '--show-error', '--write-out', '\n%{http_code}', ...args]);
  const at = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(at + 1)), json: JSON.parse(stdout.slice(0, at)) };
}

test('Saving Assets: Send API from file (-F recipient, message, filedata=@…;type=image/png)', async (t) => {
  const emulator = await startTestEmulator(t);
  const shirt = join(makeTempDir(t), 'shirt.png');
  writeFileSync(shirt, Buffer.from('\x89PNG shirt'));
  const answer = await curl([
    '-F', 'recipient={"id":"1254444444682919"}',
    '-F', 'message={"attachment":{"type":"image", "payload":{"is_reusable":true}}}',
    '-F', `filedata=@${shirt};type=image/png`,
    `${emulator.url}/v21.0/me/messages?access_token=${PAGE.token}`,
  ]);
  assert.equal(answer.status, 200);
  assert.deepEqual(Object.keys(answer.json).sort(), ['attachment_id', 'message_id', 'recipient_id']);
  assert.equal(answer.json.recipient_id, '1254444444682919');
  assert.match(answer.json.attachment_id, /^\d{15,16}$/);
  const [stored] = (await getJson(`${emulator.url}/__emulator/attachments`)).json.attachments;
  assert.equal(stored.contentType, 'image/png');
  assert.equal(stored.reusable, true);
});

test('Saving Assets: Attachment Upload API from URL (--location --request POST, v2.10)', async (t) => {
  const emulator = await startTestEmulator(t);
  const media = await startMediaServer(t, { '/image.jpg': serveBytes(Buffer.from('jpeg'), 'image/jpeg') });
  const answer = await curl([
    '--location', '--request', 'POST', `${emulator.url}/v2.10/me/message_attachments?access_token=${PAGE.token}`,
    '--header', 'Content-Type: application/json',
    '--data-raw', `{
  "message":{
    "attachment":{
      "type":"image",
      "payload":{
        "url":"${media}/image.jpg",
        "is_reusable": true
      }
    }
  }
}`,
  ]);
  assert.equal(answer.status, 200);
  assert.deepEqual(Object.keys(answer.json), ['attachment_id']);
});

test('Attachment Upload API reference: upload from URL with the token in the JSON body', async (t) => {
  const emulator = await startTestEmulator(t);
  const media = await startMediaServer(t, { '/image.jpg': serveBytes(Buffer.from('jpeg'), 'image/jpeg') });
  const answer = await curl([
    '-X', 'POST', `${emulator.url}/v21.0/${PAGE.id}/message_attachments`,
    '-H', 'Content-Type: application/json',
    '-d', JSON.stringify({
      access_token: PAGE.token,
      message: { attachment: { type: 'image', payload: { url: `${media}/image.jpg`, is_reusable: true } } },
    }),
  ]);
  assert.equal(answer.status, 200);
  assert.match(answer.json.attachment_id, /^\d{15,16}$/);
});

test('Attachment Upload API reference: the "upload from file" example sends JSON with no file, so it is 2018005', async (t) => {
  const emulator = await startTestEmulator(t);
  // The page's example posts JSON whose "filedata" is the string "@/path…": curl uploads nothing.
  const answer = await curl([
    '-X', 'POST', '-H', 'Content-Type: application/json',
    '-d', '{"message": {"attachment": {"type": "image"}}, "filedata": "@/path-to-your-file/image.jpg", "type": "image/png"}',
    `${emulator.url}/v21.0/${PAGE.id}/message_attachments?access_token=${PAGE.token}`,
  ]);
  assert.equal(answer.status, 400);
  assert.equal(answer.json.error.code, 100);
  assert.equal(answer.json.error.error_subcode, 2018005);
  assert.equal(answer.json.error.message, '(#100) Incorrect number of files uploaded. Must upload exactly one file.');
});

test('Attachment Upload API reference: send a saved asset, then upload-and-send from URL', async (t) => {
  const emulator = await startTestEmulator(t);
  const media = await startMediaServer(t, { '/image.jpg': serveBytes(Buffer.from('jpeg'), 'image/jpeg') });
  const shirt = join(makeTempDir(t), 'shirt.png');
  writeFileSync(shirt, Buffer.from('png'));
  const uploaded = await curl([
    '-F', 'message={"attachment":{"type":"image", "payload":{"is_reusable":true}}}',
    '-F', `filedata=@${shirt};type=image/png`,
    `${emulator.url}/v21.0/me/message_attachments?access_token=${PAGE.token}`,
  ]);
  assert.equal(uploaded.status, 200);
  const sent = await curl([
    '-X', 'POST', '-H', 'Content-Type: application/json',
    '-d', JSON.stringify({ recipient: { id: '{PSID}' }, message: { attachment: { type: 'image', payload: { attachment_id: uploaded.json.attachment_id } } } }),
    `${emulator.url}/v21.0/${PAGE.id}/messages?access_token=${PAGE.token}`,
  ]);
  assert.equal(sent.status, 200);
  assert.equal(sent.json.recipient_id, '{PSID}');
  assert.match(sent.json.message_id, /^m_/);
  const both = await curl([
    '-X', 'POST', '-H', 'Content-Type: application/json',
    '-d', JSON.stringify({ recipient: { id: '{PSID}' }, message: { attachment: { type: 'image', payload: { url: `${media}/image.jpg` } } } }),
    `${emulator.url}/v21.0/${PAGE.id}/messages?access_token=${PAGE.token}`,
  ]);
  assert.equal(both.status, 200);
  assert.match(both.json.message_id, /^m_/);
  const stored = (await getJson(`${emulator.url}/__emulator/attachments`)).json.attachments;
  assert.deepEqual(stored.map((a: any) => a.reusable), [true, false], 'without is_reusable the sent attachment is not reusable');
});
