import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers/paths.js';
import { matchesGlob } from '../../src/plan/glob-match.js';
import { targetPlan } from '../../src/plan/target-plan.js';
import type { Plan, PlannedAction } from '../../src/plan/types.js';

test('globs: * ? [set] [^set] {a,b} !(…), page/name when the pattern has a slash', () => {
  const table: Array<[string, string, boolean]> = [
    ['sticker_*', 'sticker_sun', true],
    ['sticker_*', 'stickers', false],
    ['s?n', 'sun', true],
    ['s?n', 'soon', false],
    ['[hl]*', 'heart', true],
    ['[^hl]*', 'heart', false],
    ['[^hl]*', 'sun', true],
    ['{menu,promo}', 'promo', true],
    ['{menu,promo}', 'promos', false],
    ['a.b', 'axb', false],
    ['!(menu)', 'promo', true],
    ['!(menu)', 'menu', false],
    ['*', 'anything', true],
  ];
  for (const [pattern, name, expected] of table) assert.equal(matchesGlob(pattern, 'main', name), expected, `${pattern} ~ ${name}`);
  assert.equal(matchesGlob('support/*', 'support', 'promo'), true);
  assert.equal(matchesGlob('support/*', 'main', 'promo'), false);
  assert.equal(matchesGlob('promo', 'main', 'promo'), true);
});

function action(name: string, fields: Partial<PlannedAction> = {}): PlannedAction {
  return {
    action: 'create', page: 'main', page_id: '1', name, type: 'image', content_type: 'image/png', via: 'file',
    source: { path: `${name}.png` }, sha256: 'a'.repeat(64), size: 10, reason: 'new asset', reuses: null, attachment_id: null, ...fields,
  };
}

function plan(actions: PlannedAction[]): Plan {
  return {
    format_version: 1, manifest: 'assets.yaml', manifest_sha256: 'b'.repeat(64), state_lineage: '', state_serial: 0,
    created_at: '2026-01-01T00:00:00.000Z', attachform_version: '0.0.0', actions, summary: { create: actions.length, update: 0, refresh: 0, forget: 0, unchanged: 0 },
  };
}

test('targetPlan keeps matches, recounts, records the targeting, and makes sharers of a left-out upload upload once', async () => {
  const full = plan([
    action('a'),
    action('b', { reuses: 'a', reason: 'new asset; same content as a, shares its upload' }),
    action('c', { reuses: 'a', reason: 'new asset; same content as a, shares its upload' }),
    action('d', { reuses: 'x', attachment_id: '99', reason: 'new asset; same content as x, reuses its id' }),
    action('old', { action: 'forget' }),
  ]);
  const targeted = await targetPlan(full, { target: ['[b-d]'], exclude: [], onlyExpiring: false });
  assert.deepEqual(targeted.actions.map((a) => [a.name, a.reuses, a.reason]), [
    ['b', null, 'new asset'],
    ['c', 'b', 'new asset; same content as b, shares its upload'],
    ['d', 'x', 'new asset; same content as x, reuses its id'],
  ]);
  assert.deepEqual(targeted.summary, { create: 3, update: 0, refresh: 0, forget: 0, unchanged: 0 });
  assert.deepEqual(targeted.targeting, { target: ['[b-d]'], exclude: [], only_expiring: false, left_out: 2 });
  assert.equal(full.actions[1].reuses, 'a', 'the full plan is not changed');
  assert.equal(await targetPlan(full, { target: [], exclude: [], onlyExpiring: false }), full);
  const expiring = await targetPlan(plan([action('a'), action('r', { action: 'refresh' }), action('n', { action: 'noop' })]), { target: [], exclude: [], onlyExpiring: true });
  assert.deepEqual(expiring.actions.map((a) => a.name), ['r', 'n']);
});

test('picomatch is loaded only for a plan narrowed by patterns: not without targeting, nor for --only-expiring', () => {
  const targetPlanUrl = pathToFileURL(join(repoRoot, 'dist', 'src', 'plan', 'target-plan.js')).href;
  // A fresh process, so no other test has loaded picomatch already; require.cache lists CommonJS modules.
  const script = `
    import { createRequire } from 'node:module';
    const { targetPlan } = await import(${JSON.stringify(targetPlanUrl)});
    const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((path) => /[\\\\/]picomatch[\\\\/]/.test(path));
    const plan = ${JSON.stringify(plan([action('a'), action('b', { action: 'refresh' })]))};
    await targetPlan(plan, { target: [], exclude: [], onlyExpiring: false });
    const untargeted = loaded();
    const expiring = (await targetPlan(plan, { target: [], exclude: [], onlyExpiring: true })).actions.length;
    const afterExpiring = loaded();
    const targeted = (await targetPlan(plan, { target: ['a*'], exclude: [], onlyExpiring: false })).actions.length;
    console.log(JSON.stringify({ untargeted, expiring, afterExpiring, targeted, afterTargeted: loaded() }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), { untargeted: false, expiring: 1, afterExpiring: false, targeted: 1, afterTargeted: true });
});
