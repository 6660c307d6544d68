import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertGraphError, getJson, imageFile, OTHER_PAGE, PAGE, postForm, postJson, reusableMessage, startTestEmulator } from './support.js';

function uploadAs(emulatorUrl: string, page: { token: string }) {
  return postForm(`${emulatorUrl}/v21.0/me/message_attachments?access_token=${page.token}`, { message: reusableMessage('image') }, [imageFile()]);
}

test('over the rate limit a page gets 80006 with estimated_time_to_regain_access; calls while blocked extend the block', async (t) => {
  let elapsedMs = 0;
  const start = Date.parse('2026-01-01T00:00:00Z');
  const emulator = await startTestEmulator(t, {
    now: () => new Date(start + elapsedMs),
    rateLimit: { calls: 3, windowMs: 60_000, blockMs: 120_000 },
  });
  for (let i = 0; i < 3; i++) assert.equal((await uploadAs(emulator.url, PAGE)).status, 200);
  const limited = await uploadAs(emulator.url, PAGE);
  assertGraphError(assert, limited, { status: 400, code: 80006, isTransient: true, message: /^\(#80006\) / });
  const usage = JSON.parse(limited.headers.get('x-business-use-case-usage') ?? '{}');
  assert.equal(usage[PAGE.id][0].estimated_time_to_regain_access, 2);
  assert.equal(usage[PAGE.id][0].call_count, 100);

  // Another page is not limited by this one.
  assert.equal((await uploadAs(emulator.url, OTHER_PAGE)).status, 200);

  // 100 s in, still blocked; that call pushes the end of the block to 220 s.
  elapsedMs = 100_000;
  assert.equal((await uploadAs(emulator.url, PAGE)).json.error.code, 80006);
  elapsedMs = 130_000; // past the first block's end, inside the extended one
  assert.equal((await uploadAs(emulator.url, PAGE)).json.error.code, 80006);
  elapsedMs = 130_000 + 120_000; // the extension from the call at 130 s is over
  assert.equal((await uploadAs(emulator.url, PAGE)).status, 200);
});

test('a window that slides past old calls lets the page call again without a block', async (t) => {
  let elapsedMs = 0;
  const emulator = await startTestEmulator(t, { now: () => new Date(elapsedMs), rateLimit: { calls: 2, windowMs: 1000, blockMs: 5000 } });
  assert.equal((await uploadAs(emulator.url, PAGE)).status, 200);
  assert.equal((await uploadAs(emulator.url, PAGE)).status, 200);
  elapsedMs = 1500;
  assert.equal((await uploadAs(emulator.url, PAGE)).status, 200);
  assert.equal((await uploadAs(emulator.url, PAGE)).status, 200);
  assert.equal((await uploadAs(emulator.url, PAGE)).json.error.code, 80006);
});

async function statusesWith(t: Parameters<typeof startTestEmulator>[0], rate: number, seed: number, calls: number): Promise<number[]> {
  const emulator = await startTestEmulator(t, { transientErrorRate: rate, seed });
  const statuses: number[] = [];
  for (let i = 0; i < calls; i++) {
    const answer = await uploadAs(emulator.url, PAGE);
    statuses.push(answer.status);
    if (answer.status === 500) {
      assert.ok([1, 2].includes(answer.json.error.code));
      assertGraphError(assert, answer, { status: 500, code: answer.json.error.code, isTransient: true, message: /./ });
    } else {
      assert.equal(answer.status, 200);
    }
  }
  const stored = (await getJson(`${emulator.url}/__emulator/attachments`)).json.attachments.length;
  assert.equal(stored, statuses.filter((s) => s === 200).length, 'a transient failure stores nothing');
  return statuses;
}

test('transient 500s: a seed repeats the same sequence; rates 0 and 1 are none and all', async (t) => {
  const first = await statusesWith(t, 0.5, 42, 30);
  const second = await statusesWith(t, 0.5, 42, 30);
  assert.deepEqual(second, first);
  const failures = first.filter((s) => s === 500).length;
  assert.ok(failures > 0 && failures < 30, `some but not all of 30 calls fail at rate 0.5 (got ${failures})`);
  assert.equal((await statusesWith(t, 0, 42, 5)).filter((s) => s === 500).length, 0);
  assert.equal((await statusesWith(t, 1, 42, 5)).filter((s) => s === 500).length, 5);
});

test('latency delays Graph answers but not the admin routes', async (t) => {
  const emulator = await startTestEmulator(t, { latencyMs: 1500 });
  const order: string[] = [];
  const graphCall = uploadAs(emulator.url, PAGE).then((answer) => {
    order.push('graph');
    return answer;
  });
  const adminCall = getJson(`${emulator.url}/__emulator/requests`).then((answer) => {
    order.push('admin');
    return answer;
  });
  const [graph, admin] = await Promise.all([graphCall, adminCall]);
  assert.equal(graph.status, 200);
  assert.deepEqual(order, ['admin', 'graph']);
  assert.deepEqual(admin.json.requests, [], 'the delayed call was not yet answered when the admin route answered');
});

test('usage headers on normal answers when asked for, not otherwise', async (t) => {
  const plain = await startTestEmulator(t);
  const quiet = await uploadAs(plain.url, PAGE);
  assert.equal(quiet.headers.get('x-app-usage'), null);
  assert.equal(quiet.headers.get('x-business-use-case-usage'), null);

  const emulator = await startTestEmulator(t, { usageHeaders: true, rateLimit: { calls: 4, windowMs: 60_000, blockMs: 60_000 } });
  const answer = await uploadAs(emulator.url, PAGE);
  assert.equal(answer.status, 200);
  assert.deepEqual(JSON.parse(answer.headers.get('x-app-usage') ?? ''), { call_count: 25, total_cputime: 13, total_time: 13 });
  const usage = JSON.parse(answer.headers.get('x-business-use-case-usage') ?? '');
  assert.deepEqual(usage[PAGE.id][0], { type: 'messenger', call_count: 25, total_cputime: 13, total_time: 13, estimated_time_to_regain_access: 0 });
});

test('POST /__emulator/config changes the knobs of a running emulator', async (t) => {
  const emulator = await startTestEmulator(t);
  const changed = await postJson(`${emulator.url}/__emulator/config`, { transientErrorRate: 1, seed: 7 });
  assert.equal(changed.status, 200);
  assert.equal(changed.json.transientErrorRate, 1);
  assert.equal((await uploadAs(emulator.url, PAGE)).status, 500);
  await postJson(`${emulator.url}/__emulator/config`, { transientErrorRate: 0, rateLimit: { calls: 1, windowMs: 60_000, blockMs: 60_000 } });
  assert.equal((await uploadAs(emulator.url, PAGE)).status, 200);
  assert.equal((await uploadAs(emulator.url, PAGE)).json.error.code, 80006);
  await postJson(`${emulator.url}/__emulator/config`, { rateLimit: null });
  assert.equal((await uploadAs(emulator.url, PAGE)).status, 200);

  const refused = await postJson(`${emulator.url}/__emulator/config`, { transientErrorRate: 2, latencyMs: -1, colour: 'red' });
  assert.equal(refused.status, 400);
  assert.match(refused.json.error.message, /transientErrorRate/);
  assert.match(refused.json.error.message, /latencyMs/);
  assert.match(refused.json.error.message, /unknown setting "colour"/);
  assert.equal((await getJson(`${emulator.url}/__emulator/config`)).json.transientErrorRate, 0, 'nothing applied from a refused patch');
});
