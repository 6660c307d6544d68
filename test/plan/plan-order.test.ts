import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/plan/build-plan.js';
import { summarize } from '../../src/plan/summarize.js';
import type { Asset } from '../../src/manifest/types.js';
import type { AssetRecord } from '../../src/state/types.js';
import { DAY, makeAsset, makeInput, makeRecord } from './builders.js';

/** A plan with every kind of action on two pages, sharing included. */
function mixedInput(): { assets: Array<[Asset, string]>; records: AssetRecord[] } {
  return {
    assets: [
      [makeAsset('welcome'), 'w'],
      [makeAsset('Banner'), 'banner v2'],
      [makeAsset('_private'), 'p'],
      [makeAsset('aging'), 'a'],
      [makeAsset('copy_of_aging'), 'a'],
      [makeAsset('zz_new'), 'z'],
      [makeAsset('z_new'), 'z'],
      [makeAsset('promo', { page: 'support' }), 'promo'],
      [makeAsset('faq', { page: 'support' }), 'faq'],
    ],
    records: [
      makeRecord('welcome', 'w'),
      makeRecord('Banner', 'banner v1'),
      makeRecord('aging', 'a', { expiresInMs: 5 * DAY }),
      makeRecord('gone', 'g'),
      makeRecord('faq', 'faq'),
      makeRecord('faq', 'faq', { page: 'support' }),
      makeRecord('old_promo', 'promo', { page: 'support' }),
    ],
  };
}

test('actions are sorted by page key, then name in code-unit order, forgets among them', () => {
  const { assets, records } = mixedInput();
  const plan = buildPlan(makeInput(assets, records));
  assert.deepEqual(
    plan.actions.map((a) => `${a.page}/${a.name}:${a.action}`),
    [
      'main/Banner:update',
      'main/_private:create',
      'main/aging:refresh',
      'main/copy_of_aging:create',
      'main/faq:forget',
      'main/gone:forget',
      'main/welcome:noop',
      'main/z_new:create',
      'main/zz_new:create',
      'support/faq:noop',
      'support/old_promo:forget',
      'support/promo:create',
    ],
  );
  assert.equal(plan.actions.find((a) => a.name === 'copy_of_aging')?.reuses, 'aging');
  assert.equal(plan.actions.find((a) => a.name === 'zz_new')?.reuses, 'z_new');
  assert.equal(plan.actions.find((a) => a.name === 'promo')?.reuses, 'old_promo');
});

test('summary counts each kind, noops as unchanged', () => {
  const { assets, records } = mixedInput();
  const plan = buildPlan(makeInput(assets, records));
  assert.deepEqual(plan.summary, { create: 5, update: 1, refresh: 1, forget: 3, unchanged: 2 });
  assert.deepEqual(plan.summary, summarize(plan.actions));
  assert.deepEqual(summarize([]), { create: 0, update: 0, refresh: 0, forget: 0, unchanged: 0 });
});

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

test('determinism: shuffled assets and records give the identical plan, byte for byte', () => {
  const { assets, records } = mixedInput();
  const expected = JSON.stringify(buildPlan(makeInput(assets, records)));
  for (let seed = 1; seed <= 25; seed++) {
    const plan = buildPlan(makeInput(shuffled(assets, seed), shuffled(records, seed * 7)));
    assert.equal(JSON.stringify(plan), expected, `seed ${seed}`);
  }
});

test('buildPlan does not modify its input', () => {
  const { assets, records } = mixedInput();
  const input = makeInput(assets, records);
  const before = JSON.stringify({ assets: input.assets, records: input.state.records, facts: [...input.facts] });
  buildPlan(input);
  assert.equal(JSON.stringify({ assets: input.assets, records: input.state.records, facts: [...input.facts] }), before);
});
