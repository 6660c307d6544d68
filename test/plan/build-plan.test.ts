import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/plan/build-plan.js';
import { needsUpload, type PlannedAction } from '../../src/plan/types.js';
import type { Asset } from '../../src/manifest/types.js';
import type { AssetRecord } from '../../src/state/types.js';
import type { PageConfig } from '../../src/manifest/types.js';
import { DAY, HOUR, MAIN_ID, NOW, REFRESH_BEFORE, SUPPORT_ID, makeAsset, makeInput, makeRecord, makeUrlAsset, sha } from './builders.js';

const short = (content: string) => `${sha(content).slice(0, 8)}…`;

function only(assets: Array<[Asset, string]>, records: AssetRecord[] = []): PlannedAction {
  const plan = buildPlan(makeInput(assets, records));
  assert.equal(plan.actions.length, 1, JSON.stringify(plan.actions));
  return plan.actions[0];
}

interface Row {
  title: string;
  asset: Asset;
  content: string;
  record?: AssetRecord;
  action: PlannedAction['action'];
  reason: string;
}

const rows: Row[] = [
  { title: 'no record', asset: makeAsset('welcome'), content: 'hello', action: 'create', reason: 'new asset' },
  {
    title: 'new bytes',
    asset: makeAsset('welcome'),
    content: 'v2',
    record: makeRecord('welcome', 'v1'),
    action: 'update',
    reason: `content changed (sha256 ${short('v1')} -> ${short('v2')})`,
  },
  {
    title: 'new type',
    asset: makeAsset('welcome', { type: 'file' }),
    content: 'v1',
    record: makeRecord('welcome', 'v1'),
    action: 'update',
    reason: 'type changed (image -> file)',
  },
  {
    title: 'new via',
    asset: makeUrlAsset('welcome', { via: 'file' }),
    content: 'v1',
    record: makeRecord('welcome', 'v1', { via: 'url' }),
    action: 'update',
    reason: 'via changed (url -> file)',
  },
  {
    title: 'a path asset whose record says url',
    asset: makeAsset('welcome', { via: 'url' }),
    content: 'v1',
    record: makeRecord('welcome', 'v1', { via: 'url' }),
    action: 'update',
    reason: 'via changed (url -> file)',
  },
  {
    title: 'everything at once',
    asset: makeAsset('welcome', { type: 'video' }),
    content: 'v2',
    record: makeRecord('welcome', 'v1', { via: 'url' }),
    action: 'update',
    reason: `content changed (sha256 ${short('v1')} -> ${short('v2')}), type changed (image -> video), via changed (url -> file)`,
  },
  {
    title: 'expiring',
    asset: makeAsset('welcome'),
    content: 'v1',
    record: makeRecord('welcome', 'v1', { expiresInMs: 3 * DAY + 4 * HOUR + 5 * 60_000 }),
    action: 'refresh',
    reason: 'expires in 3d 4h',
  },
  {
    title: 'expired',
    asset: makeAsset('welcome'),
    content: 'v1',
    record: makeRecord('welcome', 'v1', { expiresInMs: -(2 * DAY + 30 * 60_000) }),
    action: 'refresh',
    reason: 'expired 2d ago',
  },
  {
    title: 'expiry unreadable',
    asset: makeAsset('welcome'),
    content: 'v1',
    record: makeRecord('welcome', 'v1', { expiresAt: 'soon' }),
    action: 'refresh',
    reason: 'expiry unknown (expiresAt "soon")',
  },
  {
    title: 'unchanged',
    asset: makeAsset('welcome'),
    content: 'v1',
    record: makeRecord('welcome', 'v1'),
    action: 'noop',
    reason: 'unchanged',
  },
  {
    title: 'unchanged URL asset',
    asset: makeUrlAsset('jingle', { type: 'audio' }),
    content: 'v1',
    record: makeRecord('jingle', 'v1', { type: 'audio', via: 'url', source: { url: 'https://cdn.example.com/jingle.png' } }),
    action: 'noop',
    reason: 'unchanged',
  },
];

for (const row of rows) {
  test(`action table: ${row.title} -> ${row.action} (${row.reason})`, () => {
    const action = only([[row.asset, row.content]], row.record ? [row.record] : []);
    assert.equal(action.action, row.action);
    assert.equal(action.reason, row.reason);
    assert.equal(action.reuses, null);
    assert.equal(action.attachment_id, row.action === 'noop' ? row.record?.attachmentId : null);
    assert.equal(needsUpload(action), row.action !== 'noop');
    assert.equal(action.sha256, sha(row.content));
    assert.equal(action.size, row.content.length);
  });
}

test('an action carries the asset and its bytes, spelled as the plan document spells them', () => {
  const asset = makeUrlAsset('jingle', { type: 'audio', contentType: 'audio/mpeg', via: 'file' });
  assert.deepEqual(only([[asset, 'la la']]), {
    action: 'create',
    page: 'main',
    page_id: MAIN_ID,
    name: 'jingle',
    type: 'audio',
    content_type: 'audio/mpeg',
    via: 'file',
    source: { url: 'https://cdn.example.com/jingle.png' },
    sha256: sha('la la'),
    size: 5,
    reason: 'new asset',
    reuses: null,
    attachment_id: null,
  });
  assert.deepEqual(only([[makeAsset('logo'), 'x']]).source, { path: 'media/logo.png' });
});

test('a record whose asset left the manifest is forgotten, with the record\'s fields', () => {
  const gone = makeRecord('old_banner', 'banner', { source: { url: 'https://cdn.example.com/b.png' }, via: 'url', contentType: 'image/jpeg' });
  const plan = buildPlan(makeInput([[makeAsset('welcome'), 'w']], [makeRecord('welcome', 'w'), gone]));
  const forget = plan.actions.find((a) => a.action === 'forget');
  assert.deepEqual(forget, {
    action: 'forget',
    page: 'main',
    page_id: MAIN_ID,
    name: 'old_banner',
    type: 'image',
    content_type: 'image/jpeg',
    via: 'url',
    source: { url: 'https://cdn.example.com/b.png' },
    sha256: sha('banner'),
    size: 6,
    reason: 'removed from the manifest',
    reuses: null,
    attachment_id: gone.attachmentId,
  });
  assert.equal(needsUpload(forget!), false);
});

test('a record on a page no asset uses any more: "page no longer in the manifest"', () => {
  const plan = buildPlan(makeInput([[makeAsset('welcome'), 'w']], [makeRecord('welcome', 'w'), makeRecord('faq', 'f', { page: 'support' })]));
  const forget = plan.actions.find((a) => a.action === 'forget');
  assert.equal(forget?.name, 'faq');
  assert.equal(forget?.page_id, SUPPORT_ID);
  assert.equal(forget?.reason, 'page no longer in the manifest');
});

test('with the pages given, a declared page with no assets left says "removed from the manifest"', () => {
  const pages: PageConfig[] = [
    { key: 'main', id: MAIN_ID, tokenEnv: 'MAIN', position: { line: 1, column: 1 }, tokenEnvPosition: { line: 1, column: 20 } },
    { key: 'support', id: SUPPORT_ID, tokenEnv: 'SUPPORT', position: { line: 2, column: 1 }, tokenEnvPosition: { line: 2, column: 20 } },
  ];
  const input = makeInput([[makeAsset('welcome'), 'w']], [makeRecord('faq', 'f', { page: 'support' })], { pages });
  assert.equal(buildPlan(input).actions.find((a) => a.action === 'forget')?.reason, 'removed from the manifest');
});

test('a page whose id changed: the old id\'s records are forgotten, the assets created', () => {
  const record = makeRecord('welcome', 'w', { pageId: '5555' });
  const plan = buildPlan(makeInput([[makeAsset('welcome'), 'w']], [record]));
  assert.deepEqual(
    plan.actions.map((a) => [a.action, a.page_id, a.name, a.reason]),
    [
      ['create', MAIN_ID, 'welcome', 'new asset'],
      ['forget', '5555', 'welcome', 'page no longer in the manifest'],
    ],
  );
});

test('refresh boundary: exactly refresh_before left is a noop, 1 ms less is a refresh, 0 left is expired', () => {
  const cases: Array<[number, string, string]> = [
    [REFRESH_BEFORE, 'noop', 'unchanged'],
    [REFRESH_BEFORE + 1, 'noop', 'unchanged'],
    [REFRESH_BEFORE - 1, 'refresh', 'expires in 13d 23h'],
    [1000, 'refresh', 'expires in 1s'],
    [0, 'refresh', 'expired 0s ago'],
    [-1, 'refresh', 'expired 0s ago'],
  ];
  for (const [left, action, reason] of cases) {
    const planned = only([[makeAsset('welcome'), 'w']], [makeRecord('welcome', 'w', { expiresInMs: left })]);
    assert.deepEqual([planned.action, planned.reason], [action, reason], `with ${left} ms left`);
  }
});

test('refresh_before of the input is the window: 30 days makes a 20-day id a refresh', () => {
  const input = makeInput([[makeAsset('welcome'), 'w']], [makeRecord('welcome', 'w', { expiresInMs: 20 * DAY })], { refreshBeforeMs: 30 * DAY });
  assert.equal(buildPlan(input).actions[0].action, 'refresh');
});

test('the plan document: header fields from the input, actions, summary', () => {
  const plan = buildPlan(makeInput([[makeAsset('welcome'), 'w']]));
  assert.equal(plan.format_version, 1);
  assert.equal(plan.manifest, 'assets.yaml');
  assert.equal(plan.manifest_sha256, sha('manifest'));
  assert.equal(plan.state_lineage, 'lineage-1');
  assert.equal(plan.state_serial, 7);
  assert.equal(plan.created_at, NOW.toISOString());
  assert.equal(plan.attachform_version, '0.1.0');
  assert.deepEqual(plan.summary, { create: 1, update: 0, refresh: 0, forget: 0, unchanged: 0 });
});

test('an asset without facts for its source is a bug, said plainly', () => {
  const input = makeInput([[makeAsset('welcome'), 'w']]);
  input.facts.clear();
  assert.throws(() => buildPlan(input), /no source facts for asset welcome on page main/);
});
