// `attachform validate` end to end: the built CLI in a temp copy of a fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/exec.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function listAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

test('validate on a good manifest: counts assets and pages, exit 0, nothing written', async (t) => {
  const dir = makeTempDir(t, 'manifests/basic');
  const before = listAll(dir);
  const run = await runCli(['validate'], { cwd: dir });
  assert.equal(run.stderr, '');
  assert.equal(run.stdout, 'assets.yaml is valid: 9 assets on 2 pages.\n');
  assert.equal(run.code, 0);
  assert.deepEqual(listAll(dir), before, 'no state, no outputs');
});

test('validate -f names the manifest as given, relative to the working folder', async (t) => {
  const base = makeTempDir(t);
  const dir = makeTempDir(t, 'manifests/basic');
  const bots = join(base, 'bots');
  mkdirSync(bots);
  renameSync(dir, join(bots, 'shop'));
  const run = await runCli(['validate', '-f', 'bots/shop/assets.yaml'], { cwd: base });
  assert.equal(run.stdout, 'bots/shop/assets.yaml is valid: 9 assets on 2 pages.\n');
  assert.equal(run.code, 0);
});

test('validate prints every problem as FILE:LINE:COL, then a count, exit 1, no stack', async (t) => {
  const dir = makeTempDir(t, 'manifests/basic');
  writeFileSync(
    join(dir, 'bad.yaml'),
    'version: 1\npages:\n  main: {id: "12x", token_env: T}\nassets:\n  welcome: {pth: media/welcome.png}\n  menu: {path: docs/menu.pfd}\n',
  );
  const run = await runCli(['validate', '--file', 'bad.yaml'], { cwd: dir });
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.equal(
    run.stderr,
    [
      'bad.yaml:3:14: error: pages.main.id: must be a Page id: digits only, not "12x"',
      'bad.yaml:5:13: error: assets.welcome.pth: unknown key "pth" (did you mean "path"?)',
      'Error: bad.yaml has 2 errors',
      '  fix them and run `attachform validate` again',
      '',
    ].join('\n'),
  );
});

test('validate reports file problems found while expanding (after the shape is right)', async (t) => {
  const dir = makeTempDir(t, 'manifests/basic');
  writeFileSync(join(dir, 'bad.yaml'), 'version: 1\npages:\n  main: {id: "1", token_env: T}\nassets:\n  menu: {path: docs/menu.pfd}\n  pics: {glob: "media/*.gif"}\n');
  const run = await runCli(['validate', '-f', 'bad.yaml'], { cwd: dir });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^bad\.yaml:5:16: error: assets\.menu\.path: no such file: docs\/menu\.pfd /m);
  assert.match(run.stderr, /^bad\.yaml:6:16: error: assets\.pics\.glob: media\/\*\.gif matches no files /m);
  assert.match(run.stderr, /^Error: bad\.yaml has 2 errors$/m);
});

test('validate without a manifest names the file and suggests -f', async (t) => {
  const dir = makeTempDir(t);
  const run = await runCli(['validate'], { cwd: dir });
  assert.equal(run.code, 1);
  assert.equal(run.stderr, 'Error: assets.yaml: no such manifest\n  run it in the folder holding assets.yaml, or point at the manifest with -f FILE\n');
});

test('validate --help explains the command and the error format', async (t) => {
  const run = await runCli(['validate', '--help'], { cwd: makeTempDir(t) });
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^Usage: attachform validate \[-f MANIFEST\]/);
  assert.match(run.stdout, /FILE:LINE:COL: error: PATH: message/);
  assert.match(run.stdout, /-f, --file MANIFEST/);
});
