import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getJson, imageFile, OTHER_PAGE, PAGE, postForm, postJson, reusableMessage, serveBytes, startMediaServer, startTestEmulator } from './support.js';

test('GET /__emulator/requests logs each Graph call’s facts and never a token', async (t) => {
  const emulator = await startTestEmulator(t);
  const media = await startMediaServer(t, { '/a.png': serveBytes(Buffer.from('png'), 'image/png') });
  const bytes = Buffer.from('file bytes');
  await postForm(`${emulator.url}/v21.0/me/message_attachments?access_token=${PAGE.token}&debug=all`, { message: reusableMessage('image') }, [imageFile(bytes)]);
  await postJson(`${emulator.url}/v21.0/${OTHER_PAGE.id}/message_attachments`, {
    access_token: OTHER_PAGE.token,
    message: { attachment: { type: 'image', payload: { url: `${media}/a.png`, is_reusable: true } } },
  }, { authorization: `Bearer ${PAGE.token}` });
  await postJson(`${emulator.url}/v21.0/me/message_attachments?access_token=wrong-token-value`, {});

  const answer = await getJson(`${emulator.url}/__emulator/requests`);
  const text = JSON.stringify(answer.json);
  for (const secret of [PAGE.token, OTHER_PAGE.token, 'wrong-token-value']) assert.ok(!text.includes(secret), 'no token in the log');
  const [file, url, bad] = answer.json.requests;
  assert.equal(file.path, '/v21.0/me/message_attachments?debug=all');
  assert.equal(file.form, 'multipart');
  assert.equal(file.pageId, PAGE.id);
  assert.equal(file.node, 'me');
  assert.equal(file.type, 'image');
  assert.deepEqual(Object.keys(file.file).sort(), ['contentType', 'filename', 'sha256', 'size']);
  assert.equal(file.file.size, bytes.length);
  assert.equal(file.status, 200);
  assert.match(file.attachmentId, /^\d{15,16}$/);
  assert.equal(url.form, 'json');
  assert.equal(url.url, `${media}/a.png`);
  assert.equal(url.pageId, OTHER_PAGE.id, 'the body token comes before the header');
  assert.equal(bad.status, 400);
  assert.equal(bad.errorCode, 190);
  assert.equal(bad.path, '/v21.0/me/message_attachments');
});

test('reset clears attachments, the log and rate-limit blocks, and keeps the pages', async (t) => {
  const emulator = await startTestEmulator(t, { rateLimit: { calls: 1, windowMs: 60_000, blockMs: 60_000 } });
  const upload = () => postForm(`${emulator.url}/v21.0/me/message_attachments?access_token=${PAGE.token}`, { message: reusableMessage('image') }, [imageFile()]);
  assert.equal((await upload()).status, 200);
  assert.equal((await upload()).status, 400);
  const reset = await postJson(`${emulator.url}/__emulator/reset`, {});
  assert.equal(reset.status, 200);
  assert.deepEqual((await getJson(`${emulator.url}/__emulator/attachments`)).json.attachments, []);
  assert.deepEqual((await getJson(`${emulator.url}/__emulator/requests`)).json.requests, []);
  assert.equal((await upload()).status, 200, 'the page still works and is no longer blocked');
});

test('pages can be registered over HTTP and from the library; the list shows ids only', async (t) => {
  const emulator = await startTestEmulator(t, { pages: [] });
  const upload = (token: string) => postForm(`${emulator.url}/v21.0/me/message_attachments?access_token=${token}`, { message: reusableMessage('image') }, [imageFile()]);
  assert.equal((await upload(PAGE.token)).json.error.code, 190);
  const added = await postJson(`${emulator.url}/__emulator/pages`, PAGE);
  assert.equal(added.status, 201);
  assert.ok(!JSON.stringify(added.json).includes(PAGE.token));
  emulator.addPage(OTHER_PAGE.id, OTHER_PAGE.token);
  assert.equal((await upload(PAGE.token)).status, 200);
  assert.equal((await upload(OTHER_PAGE.token)).status, 200);
  const listed = await getJson(`${emulator.url}/__emulator/pages`);
  assert.deepEqual(listed.json, { pages: [{ id: PAGE.id }, { id: OTHER_PAGE.id }] });
  const refused = await postJson(`${emulator.url}/__emulator/pages`, { id: 'main', token: 'x y' });
  assert.equal(refused.status, 400);
  assert.match(refused.json.error.message, /digits/);
});

test('the clock: GET shows it, advance takes s/m/h/d, now sets it, bad values are refused', async (t) => {
  const emulator = await startTestEmulator(t, { now: () => new Date('2026-01-01T00:00:00Z') });
  assert.equal((await getJson(`${emulator.url}/__emulator/clock`)).json.now, '2026-01-01T00:00:00.000Z');
  assert.equal((await postJson(`${emulator.url}/__emulator/clock`, { advance: '1d2h' })).json.now, '2026-01-02T02:00:00.000Z');
  assert.equal((await postJson(`${emulator.url}/__emulator/clock`, { advance: '30m' })).json.now, '2026-01-02T02:30:00.000Z');
  assert.equal((await postJson(`${emulator.url}/__emulator/clock`, { advance: '15s' })).json.now, '2026-01-02T02:30:15.000Z');
  assert.equal((await postJson(`${emulator.url}/__emulator/clock`, { now: '2027-06-01T12:00:00Z' })).json.now, '2027-06-01T12:00:00.000Z');
  for (const body of [{ advance: '3 weeks' }, { now: 'tomorrow' }, {}]) {
    const refused = await postJson(`${emulator.url}/__emulator/clock`, body);
    assert.equal(refused.status, 400, JSON.stringify(body));
    assert.equal(typeof refused.json.error.message, 'string');
  }
});

test('GET /__emulator/attachments?page= filters by page', async (t) => {
  const emulator = await startTestEmulator(t);
  for (const page of [PAGE, OTHER_PAGE, PAGE]) {
    await postForm(`${emulator.url}/v21.0/me/message_attachments?access_token=${page.token}`, { message: reusableMessage('image') }, [imageFile()]);
  }
  const mine = (await getJson(`${emulator.url}/__emulator/attachments?page=${PAGE.id}`)).json.attachments;
  assert.equal(mine.length, 2);
  assert.ok(mine.every((a: any) => a.pageId === PAGE.id));
});

test('unknown paths: other Graph edges and methods get Graph’s 400, non-Graph paths 404', async (t) => {
  const emulator = await startTestEmulator(t);
  const edge = await postJson(`${emulator.url}/v21.0/me/photos?access_token=${PAGE.token}`, {});
  assert.equal(edge.status, 400);
  assert.equal(edge.json.error.code, 100);
  assert.equal(edge.json.error.error_subcode, 33);
  const get = await getJson(`${emulator.url}/v21.0/me/message_attachments`);
  assert.equal(get.status, 400);
  assert.match(get.json.error.message, /^Unsupported get request/);
  assert.equal((await getJson(`${emulator.url}/favicon.ico`)).status, 404);
  assert.equal((await getJson(`${emulator.url}/__emulator/nothing`)).status, 404);
});
