// kill -9 of a real apply, at two moments, then a re-run: nothing recorded is uploaded again, at
// most the uploads in flight are lost, and the module ends complete with ids the emulator issued
// for each asset's own content.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject, PAGES, readIds, uploadsOf, projectManifest } from '../helpers/project.js';
import { applyCounts, configureEmulator, readStateLock, startMediaServer, startProjectCli, writeDistinctFiles } from '../helpers/reliability.js';
import { countLines } from '../helpers/spawn-cli.js';

const MANIFEST = projectManifest(`  doc:
    glob: media/gen/*.pdf
    name: "doc_{stem}"
`);

const ASSETS = 12;
const CONCURRENCY = 2;
// The killed run's lock goes stale after 2 s without renewal, so the re-run can take it over.
const ENV = { ATTACHFORM_LOCK_STALE_AFTER: '2s' };

async function crashThenResume(t: TestContext, killWhen: (stdout: string) => boolean, moment: string) {
  const project = await makeProject(t, MANIFEST);
  const files = writeDistinctFiles(project, ASSETS);
  await configureEmulator(project, { latencyMs: 150 });

  const first = startProjectCli(t, project, ['apply', '--auto-approve', '--concurrency', String(CONCURRENCY)], ENV);
  await first.waitForStdout(killWhen, moment);
  const killed = await first.kill();
  assert.equal(killed.signal, 'SIGKILL');
  assert.ok(!existsSync(join(project.dir, 'generated/attachments.json')), 'the killed run wrote no outputs');

  // What the state holds now: everything that printed `created` before the kill, at least.
  const plan = await project.cli(['plan', '--json'], ENV);
  assert.equal(plan.code, 0, plan.stderr);
  const { summary } = JSON.parse(plan.stdout) as { summary: { create: number; unchanged: number } };
  assert.equal(summary.create + summary.unchanged, ASSETS);
  assert.ok(summary.unchanged >= countLines(killed.stdout, 'created'), 'every printed success is in the state');

  const second = await project.cli(['apply', '--auto-approve', '--concurrency', String(CONCURRENCY), '--lock-timeout', '60s'], ENV);
  assert.equal(second.code, 0, second.stderr + second.stdout);
  assert.match(second.stderr, new RegExp(`took over an abandoned state lock .* pid ${first.pid} `));
  assert.deepEqual(applyCounts(second.stdout), { created: summary.create, updated: 0, refreshed: 0, forgotten: 0, failed: 0 }, 'the re-run uploads only what was missing');

  const uploads = uploadsOf(await project.requests());
  assert.ok(uploads.length <= ASSETS + CONCURRENCY, `${uploads.length} successful uploads for ${ASSETS} assets`);
  const ids = readIds(project);
  assert.equal(Object.keys(ids.main).length, ASSETS, 'the module is complete');
  const attachments = await project.attachments();
  let uploadedTwice = 0;
  for (const file of files) {
    const name = `doc_${file.slice('media/gen/'.length, -'.pdf'.length)}`;
    const sha256 = project.sha256(file);
    const issued = attachments.find((a) => a.id === ids.main[name]?.id);
    assert.ok(issued, `${name}: its id ${ids.main[name]?.id} was issued by the emulator`);
    assert.equal(issued.pageId, PAGES.main.id, `${name}: issued for its page`);
    assert.equal(issued.sha256, sha256, `${name}: the id is for its own content`);
    const count = uploads.filter((u) => u.sha256 === sha256).length;
    assert.ok(count === 1 || count === 2, `${name} uploaded ${count} times`);
    if (count === 2) uploadedTwice++;
  }
  assert.ok(uploadedTwice <= Math.min(CONCURRENCY, summary.create), `${uploadedTwice} assets uploaded twice: more than the uploads in flight`);
  const after = await project.cli(['plan', '--detailed-exitcode'], ENV);
  assert.equal(after.code, 0, after.stdout);
  return { killed, summary };
}

test('apply killed with SIGKILL after its third success resumes: only the missing are uploaded', { timeout: 60_000 }, async (t) => {
  const { summary } = await crashThenResume(t, (stdout) => countLines(stdout, 'created') >= 3, 'the third created line');
  assert.ok(summary.unchanged >= 3);
});

test('apply killed with SIGKILL right after printing its plan resumes and completes', { timeout: 60_000 }, async (t) => {
  const { killed } = await crashThenResume(t, (stdout) => /^Plan: 12 to create, /m.test(stdout), 'the plan');
  assert.match(killed.stdout, /^Plan: 12 to create, 0 to update, 0 to refresh, 0 to forget, 0 unchanged\.$/m);
});

test('SIGINT (Ctrl-C, a cancelled CI job) stops new uploads, records those in flight, writes outputs and releases the lock', { timeout: 60_000 }, async (t) => {
  const media = await startMediaServer(t);
  media.route('/banner.gif', Buffer.from('GIF89a-banner'), 'image/gif', 'hold');
  const project = await makeProject(
    t,
    `${MANIFEST}  banner:\n    url: ${media.url}/banner.gif\n    type: image\n    allow_private_urls: true\n`,
  );
  writeDistinctFiles(project, 3);
  await configureEmulator(project, { fetchTimeoutMs: 60_000 });
  // One upload at a time: the banner (first in plan order) is in flight, held by the media server.
  const first = startProjectCli(t, project, ['apply', '--auto-approve', '--concurrency', '1']);
  await first.waitForStdout((out) => /^Plan: 4 to create/m.test(out), 'the plan');
  await media.held();
  first.child.kill('SIGINT');
  await first.waitForStderr((err) => /SIGINT: starting no new upload/.test(err), 'the interrupt is acknowledged');
  media.release();
  const stopped = await first.exited;
  assert.equal(stopped.code, 1, stopped.stdout + stopped.stderr);
  assert.match(stopped.stdout, /^created main\/banner → \d+ \(uploaded\)$/m, 'the upload in flight was recorded');
  for (const name of ['doc_01', 'doc_02', 'doc_03']) {
    assert.match(stopped.stdout, new RegExp(`^failed main/${name}: not attempted: apply was interrupted \\(SIGINT\\); run apply again$`, 'm'));
  }
  assert.deepEqual(applyCounts(stopped.stdout), { created: 1, updated: 0, refreshed: 0, forgotten: 0, failed: 3 });
  assert.deepEqual(Object.keys(readIds(project).main), ['banner'], 'the outputs were written');
  assert.equal(await readStateLock(join(project.dir, '.attachform/state.sqlite')), undefined, 'the lock was released');

  const resumed = await project.cli(['apply', '--auto-approve']);
  assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
  assert.doesNotMatch(resumed.stderr, /took over/);
  assert.deepEqual(applyCounts(resumed.stdout), { created: 3, updated: 0, refreshed: 0, forgotten: 0, failed: 0 });
  assert.equal(uploadsOf(await project.requests()).length, 4, 'nothing uploaded twice');
});
