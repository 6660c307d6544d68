// `state migrate`'s command, run in-process with captured streams: which state is the source, what
// it prints, and that passwords in URLs never show.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandArgs } from '../../../src/cli/arguments.js';
import { migrateCommand, runStateMigrate } from '../../../src/cli/commands/state-migrate.js';
import type { CliDeps } from '../../../src/cli/deps.js';
import { openState } from '../../../src/state/open-state.js';
import { UserError } from '../../../src/user-error.js';
import { findFreePort } from '../../helpers/server-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { makeRecord } from '../../state/make-record.js';

function fakeDeps(cwd: string, env: NodeJS.ProcessEnv = {}) {
  const out = { stdout: '', stderr: '' };
  const deps: CliDeps = {
    env,
    cwd,
    stdout: { write: (chunk: string) => (out.stdout += chunk) },
    stderr: { write: (chunk: string) => (out.stderr += chunk) },
    stdin: process.stdin,
    now: () => new Date(),
  };
  return { deps, out };
}

const run = (argv: string[], deps: CliDeps) => migrateCommand.run(parseCommandArgs('state migrate', argv, migrateCommand.options), deps);

/** A project folder whose manifest names `state`, holding a state of two writes there. */
async function project(t: TestContext, state = 'sqlite://.attachform/state.sqlite') {
  const dir = makeTempDir(t);
  writeFileSync(join(dir, 'assets.yaml'), `version: 1\nstate: ${state}\npages:\n  main:\n    id: "1234567890"\n    token_env: MAIN_TOKEN\nassets: {}\n`);
  const store = await openState(state, { baseDir: dir });
  await store.putRecord(makeRecord({ name: 'welcome' }));
  await store.putRecord(makeRecord({ name: 'promo' }));
  const snapshot = await store.read();
  await store.close();
  return { dir, snapshot };
}

async function readState(t: TestContext, url: string, baseDir: string) {
  const store = await openState(url, { baseDir });
  t.after(() => store.close());
  return store.read();
}

test('migrate copies the manifest\'s state to --to and says so', async (t) => {
  const { dir, snapshot } = await project(t);
  const { deps, out } = fakeDeps(dir);
  assert.equal(migrateCommand.name, 'migrate');
  assert.equal(await run(['--to', 'sqlite://copy.sqlite'], deps), 'ok');
  assert.deepEqual(await readState(t, 'sqlite://copy.sqlite', dir), snapshot);
  assert.equal(
    out.stdout,
    `Copied 2 records from sqlite://.attachform/state.sqlite to sqlite://copy.sqlite (lineage ${snapshot.lineage}, serial 2) and verified the copy.\n` +
      'To use it, set `state: sqlite://copy.sqlite` in the manifest (or ATTACHFORM_STATE); sqlite://.attachform/state.sqlite is unchanged.\n',
  );
  assert.equal(out.stderr, '');
});

test('the source is --from, else --state, else ATTACHFORM_STATE, else the manifest', async (t) => {
  const { dir } = await project(t);
  const other = await openState('sqlite://other.sqlite', { baseDir: dir });
  await other.putRecord(makeRecord({ name: 'only_in_other' }));
  await other.close();
  const cases: Array<[string[], NodeJS.ProcessEnv]> = [
    [['--from', 'sqlite://other.sqlite'], { ATTACHFORM_STATE: 'sqlite://.attachform/state.sqlite' }],
    [['--state', 'sqlite://other.sqlite'], { ATTACHFORM_STATE: 'sqlite://.attachform/state.sqlite' }],
    [[], { ATTACHFORM_STATE: 'sqlite://other.sqlite' }],
  ];
  for (const [i, [argv, env]] of cases.entries()) {
    const { deps } = fakeDeps(dir, env);
    await run([...argv, '--to', `sqlite://copy${i}.sqlite`], deps);
    assert.deepEqual((await readState(t, `sqlite://copy${i}.sqlite`, dir)).records.map((r) => r.name), ['only_in_other'], argv.join(' '));
  }
});

test('a non-empty target needs --force, and the output says what was replaced', async (t) => {
  const { dir, snapshot } = await project(t);
  const target = await openState('sqlite://copy.sqlite', { baseDir: dir });
  await target.putRecord(makeRecord({ name: 'old' }));
  const before = await target.read();
  await target.close();
  const { deps, out } = fakeDeps(dir);
  await assert.rejects(run(['--to', 'sqlite://copy.sqlite'], deps), (error: unknown) => error instanceof UserError && /--force/.test(error.hint ?? ''));
  assert.equal(await run(['--to', 'sqlite://copy.sqlite', '--force'], deps), 'ok');
  assert.match(out.stdout, new RegExp(`^Replaced the state in sqlite://copy\\.sqlite \\(lineage ${before.lineage}, serial 1, 1 record\\)\\.\\n`));
  assert.deepEqual(await readState(t, 'sqlite://copy.sqlite', dir), snapshot);
});

test('without --to, with a stray argument, or with --emulator it is a UserError', async (t) => {
  const { dir } = await project(t);
  const { deps } = fakeDeps(dir);
  await assert.rejects(run([], deps), (error: unknown) => error instanceof UserError && /needs the state to copy to: --to URL/.test(error.message));
  await assert.rejects(run(['postgres://db/x'], deps), (error: unknown) => error instanceof UserError && /unexpected argument/.test(error.message) && /--to/.test(error.hint ?? ''));
  await assert.rejects(run(['--to', 'sqlite://x.sqlite', '--emulator'], deps), (error: unknown) => error instanceof UserError && /emulator/.test(error.message));
  // The dispatcher may leave the subcommand's own name in front.
  assert.equal(await runStateMigrate(parseCommandArgs('state migrate', ['migrate', '--to', 'sqlite://y.sqlite'], migrateCommand.options), deps), 'ok');
});

test('a password in --to never shows, even when the target cannot be reached', async (t) => {
  const { dir } = await project(t);
  const { deps, out } = fakeDeps(dir);
  const port = await findFreePort();
  await assert.rejects(run(['--to', `postgres://bot:hunter2-secret@127.0.0.1:${port}/attachform`], deps), (error: unknown) => {
    assert.ok(error instanceof UserError);
    assert.ok(error.message.includes(`postgres://bot:***@127.0.0.1:${port}/attachform`), error.message);
    assert.ok(!`${error.message}${error.hint}${out.stdout}${out.stderr}`.includes('hunter2'));
    return true;
  });
  // The source was locked and released: it can be locked again.
  const store = await openState('sqlite://.attachform/state.sqlite', { baseDir: dir });
  t.after(() => store.close());
  await (await store.acquireLock({ operation: 'apply', timeoutMs: 0 })).release();
});
