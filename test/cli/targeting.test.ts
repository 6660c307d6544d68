// --target, --exclude and --only-expiring through the real CLI against the emulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeProject, PAGES, readIds, uploadsOf, projectManifest } from '../helpers/project.js';

const MANIFEST = projectManifest(`  welcome:
    path: media/welcome.png
  welcome_again:
    path: media/welcome.png
  menu:
    path: media/menu.pdf
  sticker:
    glob: media/stickers/*.png
    name: "sticker_{stem}"
`);

const DAY = 86_400_000;

test('plan and apply with --target/--exclude touch only matching assets; a sharer of a left-out upload uploads itself', async (t) => {
  const project = await makeProject(t, MANIFEST);
  const plan = await project.cli(['plan', '--target', 'sticker_*', '--exclude', 'sticker_s?n']);
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /^Targeting --target sticker_\* --exclude sticker_s\?n: 4 other changes left out\./);
  assert.match(plan.stdout, /create\s+main\/sticker_heart/);
  assert.doesNotMatch(plan.stdout, /sticker_sun|main\/menu|main\/welcome/);
  assert.equal(plan.stdout.trimEnd().split('\n').at(-1), 'Plan: 2 to create, 0 to update, 0 to refresh, 0 to forget, 0 unchanged.');

  // welcome_again shares welcome's upload in the full plan; targeted alone, it uploads.
  const run = await project.cli(['apply', '--auto-approve', '--target', 'welcome_again', '--target', 'main/sticker_[hl]*']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /Apply complete: 3 created, 0 updated, 0 refreshed, 0 forgotten, 0 failed\./);
  const uploads = uploadsOf(await project.requests());
  assert.equal(uploads.length, 3);
  assert.deepEqual(new Set(uploads.map((u) => u.sha256)), new Set(['media/welcome.png', 'media/stickers/heart.png', 'media/stickers/leaf.png'].map((f) => project.sha256(f))));
  const ids = readIds(project);
  assert.deepEqual(Object.keys(ids.main).sort(), ['sticker_heart', 'sticker_leaf', 'welcome_again']);

  // Forgets are targeted too: drop two assets from the manifest, forget only one of them.
  project.writeManifest(MANIFEST.replace('  sticker:\n    glob: media/stickers/*.png\n    name: "sticker_{stem}"\n', ''));
  const forget = await project.cli(['apply', '--auto-approve', '--target', 'sticker_leaf']);
  assert.equal(forget.code, 0, forget.stderr);
  assert.match(forget.stdout, /Apply complete: 0 created, 0 updated, 0 refreshed, 1 forgotten, 0 failed\./);
  assert.deepEqual(Object.keys(readIds(project).main).sort(), ['sticker_heart', 'welcome_again']);
  assert.equal(uploadsOf(await project.requests()).length, 3);
});

test('apply --only-expiring refreshes what is about to expire and nothing else; a plan file keeps its targeting', async (t) => {
  const project = await makeProject(t, MANIFEST);
  assert.equal((await project.cli(['apply', '--auto-approve', '--target', 'menu'])).code, 0);
  const later = new Date(Date.now() + 80 * DAY).toISOString();
  const planned = await project.cli(['plan', '--only-expiring', '--out', 'refresh.json'], { ATTACHFORM_NOW: later });
  assert.equal(planned.code, 0, planned.stderr);
  assert.equal(planned.stdout.trimEnd().split('\n').at(-1), 'Plan: 0 to create, 0 to update, 1 to refresh, 0 to forget, 0 unchanged.');
  const saved = JSON.parse(project.read('refresh.json'));
  assert.deepEqual(saved.targeting, { target: [], exclude: [], only_expiring: true, left_out: 5 });

  const shown = await project.cli(['show', 'refresh.json'], { ATTACHFORM_NOW: later });
  assert.match(shown.stdout, /Targeting --only-expiring: 5 other changes left out\./);
  const refused = await project.cli(['apply', 'refresh.json', '--target', 'x']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /a saved plan carries its own targeting/);

  const before = uploadsOf(await project.requests()).length;
  const applied = await project.cli(['apply', 'refresh.json'], { ATTACHFORM_NOW: later });
  assert.equal(applied.code, 0, applied.stderr);
  assert.match(applied.stdout, /Apply complete: 0 created, 0 updated, 1 refreshed, 0 forgotten, 0 failed\./);
  const uploads = uploadsOf(await project.requests());
  assert.equal(uploads.length, before + 1);
  assert.equal(uploads.at(-1)!.sha256, project.sha256('media/menu.pdf'));
  assert.equal(uploads.at(-1)!.pageId, PAGES.main.id);

  const direct = await project.cli(['apply', '--auto-approve', '--only-expiring'], { ATTACHFORM_NOW: later });
  assert.equal(direct.code, 0);
  assert.match(direct.stdout, /No changes\./);
  assert.equal(uploadsOf(await project.requests()).length, before + 1, 'the five new assets were left alone');
});
