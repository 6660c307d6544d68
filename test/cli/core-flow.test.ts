// End to end through the built CLI against the emulator: manifest → plan → apply → state → module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject, PAGES, readIds, uploadsOf, type Project, projectManifest } from '../helpers/project.js';

const MANIFEST = projectManifest(`  welcome:
    path: media/welcome.png
  welcome_again:
    path: media/welcome.png
  jingle:
    path: media/jingle.mp3
  promo:
    path: media/promo.mp4
    pages: [main, support]
  menu:
    path: media/menu.pdf
  sticker:
    glob: media/stickers/*.png
    name: "sticker_{stem}"
`);

const DAY = 86_400_000;

async function applied(t: Parameters<typeof makeProject>[0]): Promise<Project> {
  const project = await makeProject(t, MANIFEST);
  const run = await project.cli(['apply', '--auto-approve']);
  assert.equal(run.code, 0, run.stderr + run.stdout);
  return project;
}

test('a first apply uploads each distinct content once per page, in the right form, and the module holds the issued ids', async (t) => {
  const project = await applied(t);
  const uploads = uploadsOf(await project.requests());
  // Distinct (page, content): main has welcome (twice, one upload), jingle, promo, menu, 3 stickers; support has promo.
  assert.equal(uploads.length, 8);
  const byName = (file: string) => uploads.filter((u) => u.sha256 === project.sha256(`media/${file}`));
  assert.equal(byName('welcome.png').length, 1, 'identical bytes under two names on one page: one upload');
  assert.equal(byName('promo.mp4').length, 2, 'the same bytes on two pages: two uploads');
  assert.deepEqual(new Set(byName('promo.mp4').map((u) => u.pageId)), new Set([PAGES.main.id, PAGES.support.id]));
  for (const upload of uploads) assert.equal(upload.form, 'multipart');
  assert.equal(byName('jingle.mp3')[0].contentType, 'audio/mpeg');
  assert.equal(byName('promo.mp4')[0].contentType, 'video/mp4');
  assert.equal(byName('menu.pdf')[0].contentType, 'application/pdf');
  assert.equal(byName('welcome.png')[0].contentType, 'image/png');

  const attachments = await project.attachments();
  const ids = readIds(project);
  const expected: Array<[string, string, string]> = [
    ['main', 'welcome', 'welcome.png'],
    ['main', 'welcome_again', 'welcome.png'],
    ['main', 'jingle', 'jingle.mp3'],
    ['main', 'promo', 'promo.mp4'],
    ['main', 'menu', 'menu.pdf'],
    ['main', 'sticker_sun', 'stickers/sun.png'],
    ['main', 'sticker_leaf', 'stickers/leaf.png'],
    ['main', 'sticker_heart', 'stickers/heart.png'],
    ['support', 'promo', 'promo.mp4'],
  ];
  assert.deepEqual(Object.keys(ids).sort(), ['main', 'support']);
  assert.equal(Object.keys(ids.main).length + Object.keys(ids.support).length, expected.length);
  for (const [page, name, file] of expected) {
    const entry = ids[page][name];
    const issued = attachments.find((a) => a.id === entry.id);
    assert.ok(issued, `${page}/${name}: ${entry.id} was issued by the emulator`);
    assert.equal(issued.pageId, PAGES[page as keyof typeof PAGES].id);
    assert.equal(issued.sha256, project.sha256(`media/${file}`), `${page}/${name} holds the id of its own content`);
    assert.match(project.read('generated/attachments.ts'), new RegExp(`${name}: \\{ id: "${entry.id}"`));
  }
  assert.equal(ids.main.welcome.id, ids.main.welcome_again.id);
  assert.notEqual(ids.main.promo.id, ids.support.promo.id);
});

test('a second plan says No changes (exit 0 with --detailed-exitcode) and a second apply sends nothing', async (t) => {
  const project = await applied(t);
  const before = (await project.requests()).length;
  const moduleBefore = project.read('generated/attachments.ts');
  const plan = await project.cli(['plan', '--detailed-exitcode']);
  assert.equal(plan.code, 0, plan.stderr);
  assert.equal(plan.stdout.trimEnd().split('\n').at(-1), 'No changes.');
  const again = await project.cli(['apply', '--auto-approve']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Apply complete: 0 created, 0 updated, 0 refreshed, 0 forgotten, 0 failed\./);
  assert.equal((await project.requests()).length, before);
  assert.equal(project.read('generated/attachments.ts'), moduleBefore);
});

test('touching a file changes nothing; changing its bytes is one update and one upload', async (t) => {
  const project = await applied(t);
  const file = join(project.dir, 'media/menu.pdf');
  utimesSync(file, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
  const touched = await project.cli(['plan', '--detailed-exitcode']);
  assert.equal(touched.code, 0, touched.stdout + touched.stderr);
  const cache = JSON.parse(project.read('.attachform/stat-cache.json'));
  assert.equal(cache.entries[file].sha256, project.sha256('media/menu.pdf'), 'the local stat cache holds each file');
  const uncached = await project.cli(['plan', '--detailed-exitcode', '--no-cache']);
  assert.equal(uncached.code, 0, uncached.stdout + uncached.stderr);

  const oldId = readIds(project).main.menu.id;
  appendFileSync(file, '% a changed menu\n');
  const plan = await project.cli(['plan', '--detailed-exitcode']);
  assert.equal(plan.code, 2);
  assert.match(plan.stdout, /update\s+main\/menu .*content changed/);
  assert.equal(plan.stdout.trimEnd().split('\n').at(-1), 'Plan: 0 to create, 1 to update, 0 to refresh, 0 to forget, 8 unchanged.');
  const before = uploadsOf(await project.requests()).length;
  const run = await project.cli(['apply', '--auto-approve']);
  assert.equal(run.code, 0, run.stderr);
  const uploads = uploadsOf(await project.requests());
  assert.equal(uploads.length, before + 1);
  assert.equal(uploads.at(-1)!.sha256, project.sha256('media/menu.pdf'));
  const newId = readIds(project).main.menu.id;
  assert.notEqual(newId, oldId);
  assert.equal(newId, uploads.at(-1)!.attachmentId);
});

test('past the refresh window every id is refreshed, one upload per distinct content and page', async (t) => {
  const project = await applied(t);
  const before = uploadsOf(await project.requests()).length;
  const later = new Date(Date.now() + 80 * DAY).toISOString(); // 10 days left < refresh_before 14d
  const plan = await project.cli(['plan'], { ATTACHFORM_NOW: later });
  assert.equal(plan.stdout.trimEnd().split('\n').at(-1), 'Plan: 0 to create, 0 to update, 9 to refresh, 0 to forget, 0 unchanged.');
  const run = await project.cli(['apply', '--auto-approve'], { ATTACHFORM_NOW: later });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(uploadsOf(await project.requests()).length, before + 8);
  for (const page of Object.values(readIds(project))) {
    for (const entry of Object.values(page)) assert.equal(Date.parse(entry.expiresAt), Date.parse(later) + 90 * DAY);
  }
  const after = await project.cli(['plan', '--detailed-exitcode'], { ATTACHFORM_NOW: later });
  assert.equal(after.code, 0);
});

test('a removed asset is forgotten: dropped from state and module with no request; a renamed one uploads nothing', async (t) => {
  const project = await applied(t);
  const before = (await project.requests()).length;
  const ids = readIds(project);
  project.writeManifest(MANIFEST.replace('  menu:\n    path: media/menu.pdf\n', '').replace('  jingle:\n', '  theme_song:\n'));
  const plan = await project.cli(['plan']);
  assert.match(plan.stdout, /forget\s+main\/menu/);
  assert.match(plan.stdout, /forget\s+main\/jingle/);
  assert.match(plan.stdout, /create\s+main\/theme_song .*reuses jingle/);
  assert.equal(plan.stdout.trimEnd().split('\n').at(-1), 'Plan: 1 to create, 0 to update, 0 to refresh, 2 to forget, 7 unchanged.');
  const run = await project.cli(['apply', '--auto-approve']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal((await project.requests()).length, before, 'neither forget nor rename sends a request');
  const after = readIds(project);
  assert.equal(after.main.menu, undefined);
  assert.equal(after.main.jingle, undefined);
  assert.equal(after.main.theme_song.id, ids.main.jingle.id);
  assert.doesNotMatch(project.read('generated/attachments.ts'), /\bmenu\b/);
});

test('the token appears nowhere: output, errors, plan JSON, state, generated files', async (t) => {
  const project = await applied(t);
  const outputs = [
    await project.cli(['plan', '--json']),
    await project.cli(['plan']),
    await project.cli(['apply', '--auto-approve']),
    await project.cli(['plan'], { MAIN_PAGE_TOKEN: '' }),
    await project.cli(['codegen']),
  ];
  const files = ['generated/attachments.ts', 'generated/attachments.json', ...readdirSync(join(project.dir, '.attachform')).map((f) => `.attachform/${f}`)];
  const everything = [...outputs.flatMap((o) => [o.stdout, o.stderr]), ...files.map((f) => readFileSync(join(project.dir, f), 'latin1')), JSON.stringify(await project.requests())];
  for (const page of Object.values(PAGES)) {
    for (const text of everything) assert.ok(!text.includes(page.token), 'a token leaked');
  }
  assert.match(outputs[3].stderr, /MAIN_PAGE_TOKEN is not set/);
  assert.equal(outputs[3].code, 1);
});

test('plan --json is one document with the spec fields, and apply without a TTY or --auto-approve refuses', async (t) => {
  const project = await makeProject(t, MANIFEST);
  const run = await project.cli(['plan', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const plan = JSON.parse(run.stdout);
  assert.equal(plan.format_version, 1);
  assert.equal(plan.manifest_sha256, project.sha256('assets.yaml'));
  assert.equal(plan.state_serial, 0);
  assert.deepEqual(plan.summary, { create: 9, update: 0, refresh: 0, forget: 0, unchanged: 0 });
  for (const key of ['action', 'page', 'page_id', 'name', 'type', 'source', 'sha256', 'size', 'reason', 'reuses']) {
    assert.ok(plan.actions.every((a: Record<string, unknown>) => key in a), key);
  }
  const refused = await project.cli(['apply']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /--auto-approve/);
  assert.equal(uploadsOf(await project.requests()).length, 0);
});

test('codegen rewrites the module from state, and --check fails when the committed module differs', async (t) => {
  const project = await applied(t);
  assert.equal((await project.cli(['codegen', '--check'])).code, 0);
  appendFileSync(join(project.dir, 'generated/attachments.ts'), '// edited by hand\n');
  const check = await project.cli(['codegen', '--check']);
  assert.equal(check.code, 1);
  assert.match(check.stdout, /generated\/attachments\.ts differs/);
  assert.equal((await project.cli(['codegen'])).code, 0);
  assert.doesNotMatch(readFileSync(join(project.dir, 'generated/attachments.ts'), 'utf8'), /edited by hand/);
});
