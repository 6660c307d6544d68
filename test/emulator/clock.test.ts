import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClock, parseDuration } from '../../src/emulator/clock.js';

test('parseDuration reads s, m, h, d (and ms), alone or combined; anything else is undefined', () => {
  assert.equal(parseDuration('91d'), 91 * 86_400_000);
  assert.equal(parseDuration('1d12h'), 36 * 3_600_000);
  assert.equal(parseDuration('30m'), 1_800_000);
  assert.equal(parseDuration('45s'), 45_000);
  assert.equal(parseDuration('250ms'), 250);
  for (const bad of ['', '3 weeks', '-1d', '1.5h', 'd']) assert.equal(parseDuration(bad), undefined, bad);
});

test('the clock follows its base clock plus the shift that advance and set make', () => {
  let base = Date.parse('2026-01-01T00:00:00Z');
  const clock = createClock(() => new Date(base));
  clock.advance(60_000);
  assert.equal(clock.now().toISOString(), '2026-01-01T00:01:00.000Z');
  base += 1000;
  assert.equal(clock.now().toISOString(), '2026-01-01T00:01:01.000Z');
  clock.set(new Date('2030-01-01T00:00:00Z'));
  assert.equal(clock.now().toISOString(), '2030-01-01T00:00:00.000Z');
});
