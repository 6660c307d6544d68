// state list / show / rm / mv / import through the real CLI against the emulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeProject, PAGES, readIds, uploadsOf, type Project, projectManifest } from '../helpers/project.js';
import { schemaErrors, validateStateList, validateStateRecord } from '../helpers/plan-schema.js';

const MANIFEST = projectManifest(`  welcome:
    path: media/welcome.png
  menu:
    path: media/menu.pdf
  promo:
    path: media/promo.mp4
    pages: [main, support]
`);

const DAY = 86_400_000;

async function applied(t: Parameters<typeof makeProject>[0]): Promise<Project> {
  const project = await makeProject(t, MANIFEST);
  const run = await project.cli(['apply', '--auto-approve']);
  assert.equal(run.code, 0, run.stderr);
  return project;
}

test('state list and show, as text and as JSON valid against the schema; unknown and ambiguous names are clear errors', async (t) => {
  const project = await applied(t);
  const ids = readIds(project);
  const list = await project.cli(['state', 'list']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^State sqlite:\/\/\.attachform\/state\.sqlite \(serial 4\): 4 records\./);
  assert.match(list.stdout, new RegExp(`main/menu\\s+file\\s+${ids.main.menu.id}\\s+expires in 89d\\s+media/menu\\.pdf`));
  const json = JSON.parse((await project.cli(['state', 'list', '--json'])).stdout);
  assert.equal(schemaErrors(validateStateList, json), '');
  assert.deepEqual(json.records.map((r: { page: string; name: string }) => `${r.page}/${r.name}`), ['main/menu', 'main/promo', 'main/welcome', 'support/promo']);

  const show = await project.cli(['state', 'show', 'menu']);
  assert.match(show.stdout, new RegExp(`attachment_id +${ids.main.menu.id}`));
  assert.match(show.stdout, new RegExp(`sha256 +${project.sha256('media/menu.pdf')}`));
  const record = JSON.parse((await project.cli(['state', 'show', 'promo', '--page', 'support', '--json'])).stdout);
  assert.equal(schemaErrors(validateStateRecord, record), '');
  assert.equal(record.attachment_id, ids.support.promo.id);
  assert.equal(record.page_id, PAGES.support.id);

  const typo = await project.cli(['state', 'show', 'welcom']);
  assert.equal(typo.code, 1);
  assert.match(typo.stderr, /no asset "welcom" in the state \(did you mean "welcome"\?\)/);
  const ambiguous = await project.cli(['state', 'rm', 'promo']);
  assert.equal(ambiguous.code, 1);
  assert.match(ambiguous.stderr, /"promo" is in the state on 2 pages \(main, support\)/);
  assert.match(ambiguous.stderr, /--page main/);
  const sub = await project.cli(['state', 'lst']);
  assert.match(sub.stderr, /unknown state subcommand "lst" \(did you mean "list"\?\)/);
});

test('state mv renames a record keeping its id (the next plan has nothing to upload); state rm drops one and the outputs follow', async (t) => {
  const project = await applied(t);
  const ids = readIds(project);
  const requests = (await project.requests()).length;
  project.writeManifest(MANIFEST.replace('  menu:\n', '  dinner_menu:\n'));
  const moved = await project.cli(['state', 'mv', 'menu', 'dinner_menu']);
  assert.equal(moved.code, 0, moved.stderr);
  assert.match(moved.stdout, /Moved main\/menu to main\/dinner_menu/);
  assert.equal(readIds(project).main.dinner_menu.id, ids.main.menu.id);
  assert.equal(readIds(project).main.menu, undefined);
  const plan = await project.cli(['plan', '--detailed-exitcode']);
  assert.equal(plan.code, 0, plan.stdout);
  const clash = await project.cli(['state', 'mv', 'welcome', 'promo']);
  assert.equal(clash.code, 1);
  assert.match(clash.stderr, /"promo" is already in the state on page main/);

  const removed = await project.cli(['state', 'rm', 'promo', '--page', 'support']);
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stdout, /Removed support\/promo/);
  assert.match(removed.stdout, /the next apply uploads it again/);
  assert.equal(readIds(project).support, undefined);
  assert.equal(readIds(project).main.promo.id, ids.main.promo.id);
  assert.equal((await project.requests()).length, requests, 'no request for any of it');
  assert.match((await project.cli(['plan'])).stdout, /create\s+support\/promo/);
});

test('state import adopts an id with the source hashed now and expiry from --uploaded-at; plan then sees it', async (t) => {
  const project = await makeProject(t, MANIFEST);
  // An id uploaded "before attachform": straight to the emulator.
  const form = new FormData();
  form.set('message', JSON.stringify({ attachment: { type: 'file', payload: { is_reusable: true } } }));
  form.set('filedata', new Blob([project.read('media/menu.pdf')], { type: 'application/pdf' }), 'menu.pdf');
  const answer = await fetch(`${project.emulator.url}/v21.0/me/message_attachments?access_token=${PAGES.main.token}`, { method: 'POST', body: form });
  assert.equal(answer.status, 200);
  const { attachment_id: id } = (await answer.json()) as { attachment_id: string };
  const uploadedAt = new Date(Date.now() - 80 * DAY);

  const imported = await project.cli(['state', 'import', 'menu', id, '--uploaded-at', uploadedAt.toISOString()]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, new RegExp(`Imported main/menu as attachment ${id}`));
  const record = JSON.parse((await project.cli(['state', 'show', 'menu', '--json'])).stdout);
  assert.equal(record.sha256, project.sha256('media/menu.pdf'));
  assert.equal(record.uploaded_at, uploadedAt.toISOString());
  assert.equal(Date.parse(record.expires_at), uploadedAt.getTime() + 90 * DAY);
  assert.equal(readIds(project).main.menu.id, id);
  const plan = await project.cli(['plan']);
  assert.match(plan.stdout, /refresh\s+main\/menu .*expires in 9d/, 'imported 80 days ago: due for a refresh');

  const again = await project.cli(['state', 'import', 'menu', '123']);
  assert.match(again.stderr, /main\/menu is already in the state/);
  const onTwo = await project.cli(['state', 'import', 'promo', '123']);
  assert.match(onTwo.stderr, /"promo" is declared on 2 pages \(main, support\)/);
  const unknown = await project.cli(['state', 'import', 'welcom', '123']);
  assert.match(unknown.stderr, /no asset "welcom" in assets\.yaml \(did you mean "welcome"\?\)/);
  const badId = await project.cli(['state', 'import', 'welcome', 'abc']);
  assert.match(badId.stderr, /"abc" is not an attachment id/);
  const future = await project.cli(['state', 'import', 'welcome', '123', '--uploaded-at', new Date(Date.now() + DAY).toISOString()]);
  assert.match(future.stderr, /is in the future/);
  const ok = await project.cli(['state', 'import', 'promo', '456', '--page', 'support']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(readIds(project).support.promo.id, '456');
  assert.equal(uploadsOf(await project.requests()).length, 1, 'import uploads nothing');
});

test('state rm, mv and import hold the state lock: while another holder has it they fail naming it, and change nothing', async (t) => {
  const project = await applied(t);
  const { openState } = await import('../../src/state/open-state.js');
  const state = await openState('sqlite://.attachform/state.sqlite', { baseDir: project.dir });
  t.after(() => state.close());
  const lock = await state.acquireLock({ operation: 'apply', timeoutMs: 0 });
  const serial = (await state.read()).serial;
  for (const args of [['state', 'rm', 'menu'], ['state', 'mv', 'menu', 'carte'], ['state', 'import', 'welcome', '1']]) {
    const run = await project.cli(args);
    assert.equal(run.code, 1, args.join(' '));
    assert.match(run.stderr, new RegExp(`is locked .*for "apply" \\(lock id ${lock.info.id}\\)`));
  }
  assert.equal((await state.read()).serial, serial);
  await lock.release();
  const run = await project.cli(['state', 'rm', 'menu']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal((await state.read()).serial, serial + 1);
});
