// The TTY path under a real pseudo-terminal (util-linux `script`): the live display renders, the
// cursor is hidden while it runs and restored at the end, and the run ends with its summary line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { makeProject, PAGES, PAGES_YAML, type Project } from '../helpers/project.js';
import { binPath } from '../helpers/paths.js';

const MANIFEST = `version: 1
${PAGES_YAML}defaults:
  page: main
outputs:
  typescript: generated/attachments.ts
assets:
  welcome:
    path: media/welcome.png
  menu:
    path: media/menu.pdf
  sticker:
    glob: media/stickers/*.png
`;

const HIDE = '\x1b[?25l';
const SHOW = '\x1b[?25h';

function quote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Runs the CLI with stdin, stdout and stderr on a pseudo-terminal; returns everything it drew. */
function runInPty(project: Project, args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, binPath, ...args, '--graph-url', project.emulator.url].map(quote).join(' ');
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, [PAGES.main.env]: PAGES.main.token, [PAGES.support.env]: PAGES.support.token, TERM: 'xterm', ...env })) {
    if (v !== undefined) childEnv[k] = v;
  }
  delete childEnv.NO_COLOR;
  if (env.NO_COLOR) childEnv.NO_COLOR = env.NO_COLOR;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: project.dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The last line of text: trailing cursor-control sequences (the cursor shown again at exit) are not text. */
function lastLine(output: string): string {
  return output.replaceAll('\r', '').replace(/(\x1b\[\?[\d;]*[hl])+$/, '').trimEnd().split('\n').at(-1)!;
}

test('apply on a TTY draws a live status line, restores the cursor and ends with the summary', async (t) => {
  const project = await makeProject(t, MANIFEST);
  const run = await runInPty(project, ['apply', '--auto-approve'], {});
  assert.equal(run.code, 0, run.output);
  assert.ok(run.output.includes(HIDE), 'the cursor is hidden while the display runs');
  assert.ok(run.output.lastIndexOf(SHOW) > run.output.lastIndexOf(HIDE), 'and shown again at the end');
  assert.match(run.output, /⠋ 0\/5 done/);
  assert.match(run.output, /5\/5 done · [\d.]+ kB of [\d.]+ kB/);
  assert.match(run.output, /\x1b\[32mcreated\x1b\[39m main\/sticker_sun → \d+ \(uploaded\)/, 'in colour on a terminal');
  assert.equal(lastLine(run.output), 'Apply complete: 5 created, 0 updated, 0 refreshed, 0 forgotten, 0 failed.');
  const afterShow = run.output.slice(run.output.lastIndexOf(SHOW));
  assert.doesNotMatch(afterShow, /done ·/, 'no status line is left after the end');
});

test('NO_COLOR on a TTY keeps the live display but no colours; plan shows a transient line while reading sources', async (t) => {
  const project = await makeProject(t, MANIFEST);
  const plan = await runInPty(project, ['plan'], { NO_COLOR: '1' });
  assert.equal(plan.code, 0, plan.output);
  assert.match(plan.output, /Reading 5 asset sources…[\s\S]*?\x1b\[2K/, 'the transient line is drawn, then erased');
  assert.equal(lastLine(plan.output), 'Plan: 5 to create, 0 to update, 0 to refresh, 0 to forget, 0 unchanged.');
  const run = await runInPty(project, ['apply', '--auto-approve', '--no-color'], {});
  assert.equal(run.code, 0, run.output);
  assert.doesNotMatch(run.output, /\x1b\[3\d?m/, 'no colour codes');
  assert.match(run.output, /5\/5 done/);
  assert.ok(run.output.lastIndexOf(SHOW) > run.output.lastIndexOf(HIDE));
  assert.equal(lastLine(run.output), 'Apply complete: 5 created, 0 updated, 0 refreshed, 0 forgotten, 0 failed.');
});
