// Saved plans end to end: plan --out, apply FILE (exactly that plan, refused when stale), show FILE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject, PAGES, readIds, uploadsOf, projectManifest } from '../helpers/project.js';

const MANIFEST = projectManifest(`  welcome:
    path: media/welcome.png
  menu:
    path: media/menu.pdf
  promo:
    path: media/promo.mp4
    pages: [main, support]
`);

test('plan --out saves the plan document (no token); apply FILE applies exactly it without asking', async (t) => {
  const project = await makeProject(t, MANIFEST);
  const planned = await project.cli(['plan', '--out', 'plan.json']);
  assert.equal(planned.code, 0, planned.stderr);
  assert.equal(planned.stdout.trimEnd().split('\n').at(-1), 'Plan: 4 to create, 0 to update, 0 to refresh, 0 to forget, 0 unchanged.');
  const text = project.read('plan.json');
  for (const page of Object.values(PAGES)) assert.ok(!text.includes(page.token), 'no token in the plan file');
  const saved = JSON.parse(text);
  assert.equal(saved.format_version, 1);
  assert.equal(saved.state_serial, 0);
  assert.equal(saved.state_lineage, '');
  assert.equal(saved.manifest, 'assets.yaml');
  assert.equal(saved.manifest_sha256, project.sha256('assets.yaml'));
  assert.equal(saved.actions.find((a: { name: string }) => a.name === 'menu').sha256, project.sha256('media/menu.pdf'));

  // No --auto-approve, no TTY: a saved plan needs no confirmation.
  const applied = await project.cli(['apply', 'plan.json']);
  assert.equal(applied.code, 0, applied.stderr);
  assert.match(applied.stdout, /Applying the saved plan plan\.json/);
  assert.match(applied.stdout, /Apply complete: 4 created, 0 updated, 0 refreshed, 0 forgotten, 0 failed\./);
  assert.equal(uploadsOf(await project.requests()).length, 4);
  assert.ok(readIds(project).main.menu.id);

  // The same plan again: the state it was made against is gone (serial 0, lineage '' -> written).
  const again = await project.cli(['apply', 'plan.json']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /the saved plan plan\.json is stale; nothing was applied/);
  assert.match(again.stderr, /it was empty when planned/);
  assert.match(again.stderr, /attachform plan --out plan\.json/);
  assert.equal(uploadsOf(await project.requests()).length, 4, 'nothing uploaded');
});

test('apply FILE refuses when the state serial changed or a source changed, uploading nothing', async (t) => {
  const project = await makeProject(t, MANIFEST);
  assert.equal((await project.cli(['apply', '--auto-approve'])).code, 0);
  const later = new Date(Date.now() + 80 * 86_400_000).toISOString();

  // A source changes after the plan.
  appendFileSync(join(project.dir, 'media/menu.pdf'), '% new menu\n');
  const shaAfter = project.sha256('media/menu.pdf');
  assert.equal((await project.cli(['plan', '--out', 'plan.json'])).code, 0);
  appendFileSync(join(project.dir, 'media/menu.pdf'), '% and again\n');
  const before = (await project.requests()).length;
  const refused = await project.cli(['apply', 'plan.json']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`main/menu: media/menu\\.pdf changed: sha256 ${shaAfter.slice(0, 8)}… -> ${project.sha256('media/menu.pdf').slice(0, 8)}…`));
  assert.equal((await project.requests()).length, before);

  // Another apply writes the state after the plan.
  assert.equal((await project.cli(['plan', '--out', 'plan.json'], { ATTACHFORM_NOW: later })).code, 0);
  const serial = JSON.parse(project.read('plan.json')).state_serial;
  assert.equal((await project.cli(['apply', '--auto-approve', '--target', 'menu'])).code, 0);
  const afterTargeted = (await project.requests()).length;
  const stale = await project.cli(['apply', 'plan.json'], { ATTACHFORM_NOW: later });
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, new RegExp(`serial ${serial} -> ${serial + 1}`));

  // The manifest changes.
  assert.equal((await project.cli(['plan', '--out', 'plan.json'])).code, 0);
  appendFileSync(join(project.dir, 'assets.yaml'), '# a comment\n');
  const edited = await project.cli(['apply', 'plan.json']);
  assert.equal(edited.code, 1);
  assert.match(edited.stderr, /assets\.yaml changed: sha256/);
  assert.equal((await project.requests()).length, afterTargeted);
});

test('show FILE renders a saved plan, --json gives the document, and a stale plan is a warning only', async (t) => {
  const project = await makeProject(t, MANIFEST);
  assert.equal((await project.cli(['plan', '--out', 'plan.json'])).code, 0);
  const shown = await project.cli(['show', 'plan.json']);
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(shown.stderr, '');
  assert.match(shown.stdout, /create\s+main\/menu/);
  assert.equal(shown.stdout.trimEnd().split('\n').at(-1), 'Plan: 4 to create, 0 to update, 0 to refresh, 0 to forget, 0 unchanged.');
  const json = await project.cli(['show', 'plan.json', '--json']);
  assert.deepEqual(JSON.parse(json.stdout), JSON.parse(project.read('plan.json')));

  appendFileSync(join(project.dir, 'media/welcome.png'), 'x');
  const stale = await project.cli(['show', 'plan.json']);
  assert.equal(stale.code, 0);
  assert.match(stale.stderr, /warning: the saved plan plan\.json is stale/);
  assert.match(stale.stderr, /main\/welcome: media\/welcome\.png changed/);
});

test('a malformed or foreign plan file is a clear error and nothing is uploaded', async (t) => {
  const project = await makeProject(t, MANIFEST);
  const cases: Array<[string, RegExp]> = [
    ['{"format_version": 1, "actions": [', /is not an attachform plan file: it is not JSON/],
    ['{"terraform_version": "1.9.0", "resource_changes": []}', /is not an attachform plan file/],
    ['{"format_version": 2}', /format_version is 2; this attachform reads format_version 1/],
  ];
  for (const [content, message] of cases) {
    writeFileSync(join(project.dir, 'bad.json'), content);
    for (const command of [['apply', 'bad.json'], ['show', 'bad.json']]) {
      const run = await project.cli(command);
      assert.equal(run.code, 1, content);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /internal error/);
    }
  }
  const missing = await project.cli(['apply', 'nope.json']);
  assert.match(missing.stderr, /no such plan file: nope\.json/);
  // A valid plan with an action edited to carry an extra key (say, a token) is refused too.
  assert.equal((await project.cli(['plan', '--out', 'plan.json'])).code, 0);
  const plan = JSON.parse(readFileSync(join(project.dir, 'plan.json'), 'utf8'));
  plan.actions[0].access_token = 'x';
  writeFileSync(join(project.dir, 'plan.json'), JSON.stringify(plan));
  const edited = await project.cli(['apply', 'plan.json']);
  assert.equal(edited.code, 1);
  assert.match(edited.stderr, /actions\.0 must NOT have additional properties/);
  assert.equal(uploadsOf(await project.requests()).length, 0);
});
