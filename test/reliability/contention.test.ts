// Two real applies on one state. The first is held mid-apply deterministically: its URL asset is
// fetched by the emulator from a media server that keeps the emulator waiting until the test lets
// go. The second fails at once naming the holder, or waits with --lock-timeout; a killed holder's
// lock is broken with force-unlock, or taken over once stale. Every asset is uploaded once.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { makeProject, readIds, uploadsOf, type Project, projectManifest } from '../helpers/project.js';
import { applyCounts, configureEmulator, readStateLock, startMediaServer, startProjectCli, type MediaServer } from '../helpers/reliability.js';
import { openState } from '../../src/state/open-state.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FILES = ['media/welcome.png', 'media/menu.pdf', 'media/jingle.mp3'];
const BANNER = Buffer.from('GIF89a-banner-bytes-for-the-lock-tests');

function manifest(media: MediaServer): string {
  return projectManifest(`  welcome:
    path: media/welcome.png
  menu:
    path: media/menu.pdf
  jingle:
    path: media/jingle.mp3
  banner:
    url: ${media.url}/banner.gif
    type: image
    allow_private_urls: true
`);
}

async function setUp(t: TestContext, others: 'hold' | 'serve') {
  const media = await startMediaServer(t);
  media.route('/banner.gif', BANNER, 'image/gif', others);
  const project = await makeProject(t, manifest(media));
  await configureEmulator(project, { fetchTimeoutMs: 60_000 });
  return { media, project, statePath: join(project.dir, '.attachform/state.sqlite') };
}

/** Each asset reached the emulator in exactly one successful upload, and the module holds all four. */
async function assertEachUploadedOnce(project: Project, media: MediaServer): Promise<void> {
  const uploads = uploadsOf(await project.requests());
  for (const file of FILES) assert.equal(uploads.filter((u) => u.sha256 === project.sha256(file)).length, 1, file);
  assert.equal(uploads.filter((u) => u.url === `${media.url}/banner.gif`).length, 1, 'banner');
  assert.equal(uploads.length, 4);
  assert.deepEqual(Object.keys(readIds(project).main).sort(), ['banner', 'jingle', 'menu', 'welcome']);
}

/** Polls the lock (another process's view of it) until `ready` holds. */
async function waitForLock(statePath: string, ready: (lock: NonNullable<Awaited<ReturnType<typeof readStateLock>>>) => boolean) {
  for (;;) {
    const lock = await readStateLock(statePath);
    if (lock && ready(lock)) return lock;
    await delay(100);
  }
}

test('a second apply fails at once naming the holder — user, host, pid, since, lock id — while the holder keeps renewing', { timeout: 60_000 }, async (t) => {
  const { media, project, statePath } = await setUp(t, 'hold');
  const env = { ATTACHFORM_LOCK_STALE_AFTER: '2s' };
  const first = startProjectCli(t, project, ['apply', '--auto-approve'], env);
  await first.waitForStdout((out) => /^Plan: 4 to create/m.test(out), 'the plan');
  await media.held();
  // Past the point where the lock would be stale had it not been renewed.
  const lock = await waitForLock(statePath, (l) => Date.parse(l.renewedAt) - Date.parse(l.since) > 2_000);
  assert.equal(lock.pid, first.pid);

  const second = await project.cli(['apply', '--auto-approve'], env);
  assert.equal(second.code, 1, second.stdout + second.stderr);
  const message = `by ${userInfo().username} on ${hostname()} (pid ${first.pid}) since ${lock.since}, for "apply" (lock id ${lock.id}).`;
  assert.ok(second.stderr.includes(message), `${second.stderr}\nshould include\n${message}`);
  assert.match(second.stderr, new RegExp(`attachform force-unlock ${lock.id}`));
  assert.doesNotMatch(second.stderr, /took over/);
  assert.doesNotMatch(second.stdout, /^Plan:/m, 'the second apply did not even plan');

  media.release();
  const done = await first.exited;
  assert.equal(done.code, 0, done.stderr + done.stdout);
  await assertEachUploadedOnce(project, media);
  assert.equal(await readStateLock(statePath), undefined, 'the lock is released');
});

test('with --lock-timeout the second apply waits for the first, then finds nothing to do', { timeout: 60_000 }, async (t) => {
  const { media, project } = await setUp(t, 'hold');
  const first = startProjectCli(t, project, ['apply', '--auto-approve']);
  await first.waitForStdout((out) => /^Plan: 4 to create/m.test(out), 'the plan');
  await media.held();
  const second = startProjectCli(t, project, ['apply', '--auto-approve', '--lock-timeout', '30s']);
  await second.waitForStderr((err) => /waiting up to 30s for the state lock/.test(err), 'the second apply waits');
  assert.match(second.stderr, new RegExp(`\\(pid ${first.pid}, apply since `));

  media.release();
  const [a, b] = await Promise.all([first.exited, second.exited]);
  assert.equal(a.code, 0, a.stderr + a.stdout);
  assert.equal(b.code, 0, b.stderr + b.stdout);
  assert.match(b.stdout, /^No changes\.$/m);
  assert.deepEqual(applyCounts(b.stdout), { created: 0, updated: 0, refreshed: 0, forgotten: 0, failed: 0 });
  await assertEachUploadedOnce(project, media);
});

test('force-unlock breaks the lock of a killed apply by its id; a wrong id names the lock that is held', { timeout: 60_000 }, async (t) => {
  const { media, project, statePath } = await setUp(t, 'serve');
  const first = startProjectCli(t, project, ['apply', '--auto-approve']);
  await first.waitForStdout((out) => /^Plan: 4 to create/m.test(out), 'the plan');
  await first.kill();
  const lock = await readStateLock(statePath);
  assert.ok(lock, 'the killed apply left its lock');
  assert.equal(lock.pid, first.pid);

  const blocked = await project.cli(['apply', '--auto-approve']);
  assert.equal(blocked.code, 1);
  assert.match(blocked.stderr, new RegExp(`lock id ${lock.id}`));

  const wrong = await project.cli(['force-unlock', '00000000-0000-0000-0000-000000000000']);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, new RegExp(`^Error: Lock 00000000-0000-0000-0000-000000000000 is not the lock held on state sqlite://\\.attachform/state\\.sqlite: that is ${lock.id}, held by .* \\(pid ${first.pid}\\)`, 'm'));
  assert.deepEqual(await readStateLock(statePath), lock, 'a wrong id breaks nothing');
  const missing = await project.cli(['force-unlock']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /force-unlock takes one argument/);

  const right = await project.cli(['force-unlock', lock.id]);
  assert.equal(right.code, 0, right.stderr);
  assert.match(right.stdout, new RegExp(`Broke lock ${lock.id}`));
  assert.equal(await readStateLock(statePath), undefined);

  const resumed = await project.cli(['apply', '--auto-approve']);
  assert.equal(resumed.code, 0, resumed.stderr + resumed.stdout);
  assert.doesNotMatch(resumed.stderr, /took over/);
  assert.ok(uploadsOf(await project.requests()).length <= 4 + 4, 'at most the uploads in flight were lost');
  assert.deepEqual(Object.keys(readIds(project).main).sort(), ['banner', 'jingle', 'menu', 'welcome']);
});

test('a killed apply\'s lock is taken over with a warning once its holder stopped renewing it', { timeout: 60_000 }, async (t) => {
  const { media, project, statePath } = await setUp(t, 'hold');
  const env = { ATTACHFORM_LOCK_STALE_AFTER: '2s' };
  const first = startProjectCli(t, project, ['apply', '--auto-approve'], env);
  await first.waitForStdout((out) => /^Plan: 4 to create/m.test(out), 'the plan');
  await media.held();
  await first.kill();
  // Stale: not renewed for the stale time (this is real time by nature).
  const lock = await waitForLock(statePath, (l) => Date.now() - Date.parse(l.renewedAt) > 2_000);
  assert.equal(lock.pid, first.pid);
  media.release();

  const second = await project.cli(['apply', '--auto-approve'], env);
  assert.equal(second.code, 0, second.stderr + second.stdout);
  assert.match(second.stderr, new RegExp(`^warning: took over an abandoned state lock ${lock.id} \\(held by .*pid ${first.pid} since ${lock.since}, not renewed since ${lock.renewedAt}\\)$`, 'm'));
  assert.deepEqual(Object.keys(readIds(project).main).sort(), ['banner', 'jingle', 'menu', 'welcome']);
  assert.equal(await readStateLock(statePath), undefined);
  const after = await project.cli(['plan', '--detailed-exitcode'], env);
  assert.equal(after.code, 0, after.stdout);
});

test('an apply stalled past the stale time, whose lock was taken over, starts no further upload when it wakes', { timeout: 60_000 }, async (t) => {
  const { media, project, statePath } = await setUp(t, 'hold');
  const env = { ATTACHFORM_LOCK_STALE_AFTER: '2s' };
  // One upload at a time: the banner (first in plan order) is held, the three files wait behind it.
  const first = startProjectCli(t, project, ['apply', '--auto-approve', '--concurrency', '1'], env);
  await first.waitForStdout((out) => /^Plan: 4 to create/m.test(out), 'the plan');
  await media.held();
  first.child.kill('SIGSTOP');
  t.after(() => first.child.kill('SIGCONT'));
  const lock = await waitForLock(statePath, (l) => Date.now() - Date.parse(l.renewedAt) > 2_000);
  media.release();

  const second = await project.cli(['apply', '--auto-approve'], env);
  assert.equal(second.code, 0, second.stderr + second.stdout);
  assert.match(second.stderr, new RegExp(`took over an abandoned state lock ${lock.id} `));

  first.child.kill('SIGCONT');
  const woken = await first.exited;
  assert.equal(woken.code, 1, woken.stdout + woken.stderr);
  for (const name of ['jingle', 'menu', 'welcome']) {
    assert.match(woken.stdout, new RegExp(`^failed main/${name}: not attempted: this apply no longer holds the state lock`, 'm'));
  }
  const uploads = uploadsOf(await project.requests());
  for (const file of FILES) assert.equal(uploads.filter((u) => u.sha256 === project.sha256(file)).length, 1, `${file} uploaded once, by the second apply`);
  assert.deepEqual(Object.keys(readIds(project).main).sort(), ['banner', 'jingle', 'menu', 'welcome']);
});

test('HeldLock.stillHeld turns false when the lock is broken or released', { timeout: 60_000 }, async (t) => {
  const dir = makeTempDir(t);
  const holder = await openState('sqlite://state.sqlite', { baseDir: dir });
  const other = await openState('sqlite://state.sqlite', { baseDir: dir });
  t.after(async () => {
    await holder.close();
    await other.close();
  });
  const lock = await holder.acquireLock({ operation: 'apply', timeoutMs: 0 });
  assert.equal(await lock.stillHeld(), true);
  await other.forceUnlock(lock.info.id);
  assert.equal(await lock.stillHeld(), false, 'broken by force-unlock');
  const again = await holder.acquireLock({ operation: 'apply', timeoutMs: 0 });
  assert.equal(await again.stillHeld(), true);
  await again.release();
  assert.equal(await again.stillHeld(), false, 'released');
});
