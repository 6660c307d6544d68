// A state that cannot be used — garbage bytes, a folder, a path that cannot be created, a file
// another program holds locked — stops plan and apply with one clear error naming the state and
// what to do: exit 1, no stack trace, no request to the Graph API, and nothing written.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject, type Project, projectManifest } from '../helpers/project.js';
import type { CliRun } from '../helpers/exec.js';
import { holdExclusively } from '../helpers/sqlite-holder.js';

const MANIFEST = projectManifest(`  welcome:
    path: media/welcome.png
  menu:
    path: media/menu.pdf
`);

const STATE = '.attachform/state.sqlite';

function snapshotFile(project: Project, rel: string): string | undefined {
  const path = join(project.dir, rel);
  return existsSync(path) ? readFileSync(path).toString('base64') : undefined;
}

/** Runs plan and apply; both must fail cleanly and leave the given files and the emulator untouched. */
async function expectCleanFailure(
  project: Project,
  stateUrl: string | undefined,
  pattern: RegExp,
  watched: string[],
  commands: string[][] = [['plan'], ['apply', '--auto-approve']],
): Promise<CliRun[]> {
  const before = watched.map((rel) => snapshotFile(project, rel));
  const requestsBefore = (await project.requests()).length;
  const extra = stateUrl ? ['--state', stateUrl] : [];
  const runs: CliRun[] = [];
  for (const command of commands) runs.push(await project.cli([...command, ...extra]));
  for (const run of runs) {
    const context = `\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
    assert.equal(run.code, 1, context);
    assert.match(run.stderr, pattern, context);
    assert.match(run.stderr, /^Error: .*\bsqlite:\/\/\S+/m, `the error names the state URL${context}`);
    assert.doesNotMatch(run.stderr, /internal error|\n\s+at /, `no stack trace${context}`);
    const lines = run.stderr.trimEnd().split('\n');
    assert.ok(lines.length <= 2, `one error and one hint line${context}`);
    assert.match(lines.at(-1)!, /^ {2}\S/, `ends with what to do${context}`);
    assert.doesNotMatch(run.stdout, /^(created|Apply complete)/m, context);
  }
  assert.deepEqual(watched.map((rel) => snapshotFile(project, rel)), before, 'nothing written');
  assert.equal((await project.requests()).length, requestsBefore, 'no request reached the Graph API');
  return runs;
}

async function freshProject(t: TestContext) {
  return makeProject(t, MANIFEST);
}

test('a state file of garbage bytes: a clear error, the file untouched', { timeout: 60_000 }, async (t) => {
  const project = await freshProject(t);
  mkdirSync(join(project.dir, '.attachform'));
  writeFileSync(join(project.dir, STATE), Buffer.from('this is not SQLite at all \u0000\u0001\u0002'.repeat(200)));
  await expectCleanFailure(project, undefined, /is not a valid SQLite database[\s\S]*Restore the file from a backup/, [STATE, 'generated/attachments.ts', 'generated/attachments.json']);
});

test('a state path that is a folder: a clear error naming it', { timeout: 60_000 }, async (t) => {
  const project = await freshProject(t);
  mkdirSync(join(project.dir, 'state-folder'));
  await expectCleanFailure(project, 'sqlite://state-folder', /Cannot open state sqlite:\/\/state-folder[\s\S]*Check the path/, ['generated/attachments.ts', 'generated/attachments.json']);
});

// plan only reads, and a state that does not exist yet reads as empty; apply must create it.
test('apply with a state whose folder cannot be created or written: a clear error', { timeout: 60_000 }, async (t) => {
  const project = await freshProject(t);
  const outputs = ['generated/attachments.ts', 'generated/attachments.json'];
  // Under a regular file no folder can be made, whoever runs the test (root ignores chmod).
  await expectCleanFailure(project, 'sqlite://assets.yaml/state.sqlite', /Cannot open state sqlite:\/\/assets\.yaml\/state\.sqlite[\s\S]*Check the path/, outputs, [
    ['apply', '--auto-approve'],
  ]);
  if (process.getuid?.() !== 0) {
    const folder = join(project.dir, 'read-only');
    mkdirSync(folder);
    chmodSync(folder, 0o555);
    t.after(() => chmodSync(folder, 0o755));
    await expectCleanFailure(project, 'sqlite://read-only/state.sqlite', /Cannot open state sqlite:\/\/read-only\/state\.sqlite/, [...outputs, 'read-only/state.sqlite'], [
      ['apply', '--auto-approve'],
    ]);
  }
});

// The state is a write-ahead-log database: another program's exclusive transaction blocks writers,
// not readers, so plan (which only reads) still works while apply fails cleanly.
test('a state file another program holds locked (BEGIN EXCLUSIVE): plan still reads it, apply is a clear error, then it works once released', { timeout: 60_000 }, async (t) => {
  const project = await freshProject(t);
  const first = await project.cli(['apply', '--auto-approve']);
  assert.equal(first.code, 0, first.stderr);
  project.writeManifest(`${MANIFEST}  jingle:\n    path: media/jingle.mp3\n`);
  const holder = await holdExclusively(t, join(project.dir, STATE));
  const plan = await project.cli(['plan']);
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /^Plan: 1 to create, /m);
  await expectCleanFailure(project, undefined, /is locked by another program[\s\S]*Close the program holding the file/, [STATE, 'generated/attachments.ts', 'generated/attachments.json'], [
    ['apply', '--auto-approve'],
  ]);
  await holder.release();
  const again = await project.cli(['apply', '--auto-approve']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^Apply complete: 1 created, /m);
});
