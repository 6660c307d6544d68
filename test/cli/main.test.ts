import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/exec.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test('--help lists the commands and exits 0', async (t) => {
  const run = await runCli(['--help'], { cwd: makeTempDir(t) });
  assert.equal(run.code, 0);
  for (const name of ['validate', 'plan', 'apply', 'codegen', 'emulator']) {
    assert.match(run.stdout, new RegExp(`^  ${name} `, 'm'));
  }
});

test('an unknown command suggests the closest one and exits 1', async (t) => {
  const run = await runCli(['plam'], { cwd: makeTempDir(t) });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /unknown command "plam"/);
  assert.match(run.stderr, /did you mean `attachform plan`\?/);
});

test('an unknown flag is an error that names the command, exit 1', async (t) => {
  const run = await runCli(['plan', '--detailed-exitcod'], { cwd: makeTempDir(t) });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /plan: Unknown option '--detailed-exitcod'/);
  assert.doesNotMatch(run.stderr, /at .*\.js:\d+/, 'no stack trace for a user error');
});
