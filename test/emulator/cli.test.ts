import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { binPath } from '../helpers/paths.js';
import { runCli } from '../helpers/exec.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { imageFile, PAGE, postForm, reusableMessage, getJson } from './support.js';

test('`attachform emulator` prints its address first, serves, and exits 0 on SIGTERM', async (t) => {
  const child = spawn(process.execPath, [binPath, 'emulator', '--port', '0', '--page', `${PAGE.id}=${PAGE.token}`], {
    cwd: makeTempDir(t),
    env: { ...process.env, NO_COLOR: '1', ATTACHFORM_NOW: '2026-02-01T00:00:00Z' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.setEncoding('utf8');
  const firstLine = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      stdout += d;
      if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before listening: ${stderr}`)));
  });
  const match = /^attachform emulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(firstLine);
  assert.ok(match, firstLine);
  assert.notEqual(match[2], '0', 'port 0 prints the real port');
  const url = match[1];

  const answer = await postForm(`${url}/v21.0/me/message_attachments?access_token=${PAGE.token}`, { message: reusableMessage('image') }, [imageFile()]);
  assert.equal(answer.status, 200);
  const [stored] = (await getJson(`${url}/__emulator/attachments`)).json.attachments;
  assert.match(stored.createdAt, /^2026-02-01T00:00:/, 'the clock starts at ATTACHFORM_NOW');

  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0, stderr);
  assert.ok(!stdout.includes(PAGE.token) && !stderr.includes(PAGE.token), 'no token printed');
});

test('a bad --page is a user error with a hint, and the value is not echoed', async (t) => {
  const run = await runCli(['emulator', '--port', '0', '--page', 'main=secret-token-value'], { cwd: makeTempDir(t) });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /--page #1 is not ID=TOKEN/);
  assert.match(run.stderr, /--page 1234567890=/);
  assert.ok(!run.stderr.includes('secret-token-value') && !run.stdout.includes('secret-token-value'));
});

test('bad --rate-limit and --error-rate values are user errors', async (t) => {
  const rate = await runCli(['emulator', '--rate-limit', 'ten'], { cwd: makeTempDir(t) });
  assert.equal(rate.code, 1);
  assert.match(rate.stderr, /--rate-limit must be CALLS\/WINDOW_SECONDS/);
  const errors = await runCli(['emulator', '--error-rate', '1.5'], { cwd: makeTempDir(t) });
  assert.equal(errors.code, 1);
  assert.match(errors.stderr, /--error-rate must be a number from 0 to 1/);
});
