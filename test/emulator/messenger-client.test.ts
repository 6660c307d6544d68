// An existing Messenger client library, unchanged, pointed at the emulator with its `origin` option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import messenger from 'messaging-api-messenger';
import { makeTempDir } from '../helpers/temp-dir.js';
import { getJson, PAGE, serveBytes, startMediaServer, startTestEmulator } from './support.js';

test('messaging-api-messenger uploads by URL and by stream and sends by id against the emulator', async (t) => {
  const emulator = await startTestEmulator(t);
  const media = await startMediaServer(t, { '/cat.jpg': serveBytes(Buffer.from('jpeg cat'), 'image/jpeg') });
  const client = new messenger.MessengerClient({ accessToken: PAGE.token, origin: emulator.url, version: '21.0', skipAppSecretProof: true });

  const byUrl = await client.uploadAttachment('image', `${media}/cat.jpg`, { isReusable: true });
  assert.match(byUrl.attachmentId, /^\d{15,16}$/);

  const path = join(makeTempDir(t), 'menu.pdf');
  writeFileSync(path, '%PDF-1.4 menu');
  const byFile = await client.uploadAttachment('file', createReadStream(path), { isReusable: true, filename: 'menu.pdf' });
  assert.match(byFile.attachmentId, /^\d{15,16}$/);

  const sent = await client.sendAttachment('1254444444682919', { type: 'file', payload: { attachmentId: byFile.attachmentId } });
  assert.equal(sent.recipientId, '1254444444682919');
  assert.match(sent.messageId, /^m_/);

  const stored = (await getJson(`${emulator.url}/__emulator/attachments`)).json.attachments;
  assert.deepEqual(stored.map((a: any) => [a.type, a.source, a.size]), [
    ['image', 'url', 8],
    ['file', 'file', 13],
  ]);

  await assert.rejects(
    client.sendAttachment('1', { type: 'image', payload: { attachmentId: '1111111111111111' } }),
    (error: Error) => /2018074|Possibly invalid ID/.test(error.message) || /\(#100\) Possibly invalid ID/.test(error.message),
  );
});
