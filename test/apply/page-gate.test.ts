import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PageGate, PageStoppedError } from '../../src/apply/page-gate.js';
import { backoffDelay, RETRY_BACKOFF } from '../../src/apply/backoff.js';
import { FakeClock } from '../helpers/fake-clock.js';

function maxInAnySecond(starts: number[]): number {
  let most = 0;
  for (const start of starts) most = Math.max(most, starts.filter((s) => s >= start && s < start + 1000).length);
  return most;
}

test('a gate paces starts 1000/rps ms apart (2% margin): never more than rps in any rolling second, no burst', async () => {
  for (const rps of [1, 3, 10]) {
    const clock = new FakeClock();
    const gate = new PageGate(rps, clock);
    const starts: number[] = [];
    await clock.run(Promise.all(Array.from({ length: 25 }, () => gate.pass().then(() => starts.push(clock.monotonic())))));
    assert.equal(starts.length, 25);
    assert.ok(maxInAnySecond(starts) <= rps, `rps ${rps}: ${maxInAnySecond(starts)} in one second`);
    // Full speed: each start as soon as the spacing allows.
    const spacing = (1000 / rps) * 1.02;
    starts.forEach((at, i) => assert.ok(Math.abs(at - i * spacing) < 1e-6, `rps ${rps}: start ${i} at ${at}`));
  }
});

test('a blocked gate starts nothing until the block ends, and a later block extends it', async () => {
  const clock = new FakeClock();
  const waits: number[] = [];
  const gate = new PageGate(100, clock, (delay) => waits.push(delay));
  gate.block(5000);
  gate.block(2000); // shorter: must not shorten the block
  const started: number[] = [];
  await clock.run(Promise.all([gate.pass(), gate.pass()].map((p) => p.then(() => started.push(clock.monotonic())))));
  assert.equal(started.length, 2);
  assert.equal(started[0], 5000, 'the first start waits for the whole block, no longer');
  assert.ok(started[1] > 5000);
  assert.ok(waits.length >= 1 && waits.every((w) => w > 0));
});

test('a stopped gate refuses every later request with the cause', async () => {
  const clock = new FakeClock();
  const gate = new PageGate(10, clock);
  await clock.run(gate.pass());
  gate.stop(new Error('(#190) Invalid OAuth access token.'));
  await assert.rejects(clock.run(gate.pass()), (error: unknown) => error instanceof PageStoppedError && /190/.test(error.message));
});

test('backoff doubles per attempt within [half, whole] of its ceiling, and stops at the cap', () => {
  for (let attempt = 1; attempt <= 12; attempt++) {
    const ceiling = Math.min(RETRY_BACKOFF.capMs, RETRY_BACKOFF.baseMs * 2 ** (attempt - 1));
    assert.equal(backoffDelay(RETRY_BACKOFF, attempt, () => 0), ceiling / 2);
    assert.equal(backoffDelay(RETRY_BACKOFF, attempt, () => 0.999999), Math.round(ceiling / 2 + 0.999999 * (ceiling / 2)));
  }
  assert.equal(backoffDelay(RETRY_BACKOFF, 30, () => 1), RETRY_BACKOFF.capMs);
});
