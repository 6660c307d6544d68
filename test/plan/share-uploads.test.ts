import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/plan/build-plan.js';
import { needsUpload, type Plan } from '../../src/plan/types.js';
import { DAY, makeAsset, makeInput, makeRecord } from './builders.js';

/** [action, page, name, reuses, attachment_id, uploads?] per action: the shape sharing decides. */
function shape(plan: Plan) {
  return plan.actions.map((a) => [a.action, a.page, a.name, a.reuses, a.attachment_id, needsUpload(a)]);
}

test('a new asset whose content has a valid id on the page reuses it: no upload', () => {
  const welcome = makeRecord('welcome', 'same bytes');
  const plan = buildPlan(makeInput([[makeAsset('welcome'), 'same bytes'], [makeAsset('hello'), 'same bytes']], [welcome]));
  assert.deepEqual(shape(plan), [
    ['create', 'main', 'hello', 'welcome', welcome.attachmentId, false],
    ['noop', 'main', 'welcome', null, welcome.attachmentId, false],
  ]);
  assert.equal(plan.actions[0].reason, 'new asset; same content as welcome, reuses its id');
});

test('an id due for refresh is not reused: the first action in order uploads, the other shares it', () => {
  const welcome = makeRecord('welcome', 'same bytes', { expiresInMs: 1 * DAY });
  const plan = buildPlan(makeInput([[makeAsset('welcome'), 'same bytes'], [makeAsset('hello'), 'same bytes']], [welcome]));
  assert.deepEqual(shape(plan), [
    ['create', 'main', 'hello', null, null, true],
    ['refresh', 'main', 'welcome', 'hello', null, false],
  ]);
  assert.equal(plan.actions[0].reason, 'new asset');
  assert.equal(plan.actions[1].reason, 'expires in 1d; same content as hello, shares its upload');
});

test('an expired id is not reused either', () => {
  const old = makeRecord('old', 'bytes', { expiresInMs: -DAY });
  const plan = buildPlan(makeInput([[makeAsset('fresh'), 'bytes']], [old]));
  assert.deepEqual(shape(plan), [
    ['create', 'main', 'fresh', null, null, true],
    ['forget', 'main', 'old', null, old.attachmentId, false],
  ]);
});

test('a record with an empty attachment id is never reused', () => {
  const broken = makeRecord('broken', 'bytes', { attachmentId: '' });
  const plan = buildPlan(makeInput([[makeAsset('broken'), 'bytes'], [makeAsset('other'), 'bytes']], [broken]));
  assert.equal(plan.actions.find((a) => a.name === 'other')?.reuses, null);
  assert.equal(needsUpload(plan.actions.find((a) => a.name === 'other')!), true);
});

test('a refresh reuses another record\'s valid id of the same content', () => {
  const aging = makeRecord('aging', 'bytes', { expiresInMs: 2 * DAY });
  const young = makeRecord('young', 'bytes', { expiresInMs: 80 * DAY });
  const plan = buildPlan(makeInput([[makeAsset('aging'), 'bytes'], [makeAsset('young'), 'bytes']], [aging, young]));
  assert.deepEqual(shape(plan), [
    ['refresh', 'main', 'aging', 'young', young.attachmentId, false],
    ['noop', 'main', 'young', null, young.attachmentId, false],
  ]);
  assert.equal(plan.actions[0].reason, 'expires in 2d; same content as young, reuses its id');
});

test('among several valid ids, the one expiring last is reused', () => {
  const a = makeRecord('a', 'bytes', { expiresInMs: 40 * DAY });
  const b = makeRecord('b', 'bytes', { expiresInMs: 70 * DAY });
  const plan = buildPlan(makeInput([[makeAsset('a'), 'bytes'], [makeAsset('b'), 'bytes'], [makeAsset('c'), 'bytes']], [a, b]));
  assert.equal(plan.actions.find((x) => x.name === 'c')?.reuses, 'b');
  assert.equal(plan.actions.find((x) => x.name === 'c')?.attachment_id, b.attachmentId);
});

test('an update never reuses its own record: a via change uploads again', () => {
  const record = makeRecord('welcome', 'bytes', { via: 'url' });
  const plan = buildPlan(makeInput([[makeAsset('welcome'), 'bytes']], [record]));
  assert.deepEqual(shape(plan), [['update', 'main', 'welcome', null, null, true]]);
});

test('two assets swapping contents reuse each other\'s ids: no upload', () => {
  const a = makeRecord('a', 'first');
  const b = makeRecord('b', 'second');
  const plan = buildPlan(makeInput([[makeAsset('a'), 'second'], [makeAsset('b'), 'first']], [a, b]));
  assert.deepEqual(shape(plan), [
    ['update', 'main', 'a', 'b', b.attachmentId, false],
    ['update', 'main', 'b', 'a', a.attachmentId, false],
  ]);
});

test('same bytes under three new names on one page: one upload, shared by the others', () => {
  const plan = buildPlan(makeInput([[makeAsset('zeta'), 'x'], [makeAsset('alpha'), 'x'], [makeAsset('mid'), 'x']]));
  assert.deepEqual(shape(plan), [
    ['create', 'main', 'alpha', null, null, true],
    ['create', 'main', 'mid', 'alpha', null, false],
    ['create', 'main', 'zeta', 'alpha', null, false],
  ]);
  assert.equal(plan.actions[1].reason, 'new asset; same content as alpha, shares its upload');
  assert.equal(plan.actions.filter(needsUpload).length, 1);
});

test('same bytes with a different type are two uploads', () => {
  const plan = buildPlan(makeInput([[makeAsset('pic'), 'x'], [makeAsset('doc', { type: 'file' }), 'x']]));
  assert.equal(plan.actions.filter(needsUpload).length, 2);
});

test('rename: the new name takes the forgotten record\'s id, nothing is uploaded', () => {
  const old = makeRecord('old_name', 'logo');
  const plan = buildPlan(makeInput([[makeAsset('new_name'), 'logo']], [old]));
  assert.deepEqual(shape(plan), [
    ['create', 'main', 'new_name', 'old_name', old.attachmentId, false],
    ['forget', 'main', 'old_name', null, old.attachmentId, false],
  ]);
  assert.equal(plan.actions[0].reason, 'new asset; same content as old_name, reuses its id');
  assert.deepEqual(plan.summary, { create: 1, update: 0, refresh: 0, forget: 1, unchanged: 0 });
});

test('same bytes on two pages are two uploads; an id on one page is never reused on another', () => {
  const plan = buildPlan(makeInput([[makeAsset('promo'), 'video'], [makeAsset('promo', { page: 'support' }), 'video']]));
  assert.deepEqual(shape(plan), [
    ['create', 'main', 'promo', null, null, true],
    ['create', 'support', 'promo', null, null, true],
  ]);
  const held = makeRecord('promo', 'video');
  const withRecord = buildPlan(makeInput([[makeAsset('promo'), 'video'], [makeAsset('promo', { page: 'support' }), 'video']], [held]));
  assert.deepEqual(shape(withRecord), [
    ['noop', 'main', 'promo', null, held.attachmentId, false],
    ['create', 'support', 'promo', null, null, true],
  ]);
});
