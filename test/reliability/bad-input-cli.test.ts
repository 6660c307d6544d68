// Bad input through the real CLI: a sample of the manifest stage's bad-input cases run through
// `plan` and `apply --auto-approve` print the same FILE:LINE:COL lines, send nothing and write
// nothing; a missing token variable is named, never a value; and seeded random corruptions of a
// valid manifest never make `attachform validate` crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { badCases } from '../manifest/bad-input-cases.js';
import { makeProject as makeManifestProject } from '../manifest/helpers.js';
import { makeProject, PAGES, PAGES_YAML } from '../helpers/project.js';
import { startEmulator } from '../../src/emulator/index.js';
import { runCli, type CliRun } from '../helpers/exec.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const SAMPLE = [
  "a YAML syntax error, at the yaml library's position",
  'a duplicate key',
  'a tab in the indentation',
  'an unknown key in an asset, with did-you-mean (and then no source)',
  'a wrong type: state as a number, assets as a list',
  'version 2',
  'a page id that is not digits',
  'an asset with both path and glob',
  'an unknown page in page:',
  'a bad duration',
  'an unknown type, with did-you-mean',
  'type: image on an .mp3',
  'a missing file',
  'an empty file',
  'a glob that matches nothing',
  'names that collide after glob expansion',
  'a path escaping with ../',
  'a symlink pointing outside',
  'a non-http(s) URL',
  'a URL at a link-local address',
];

/** Every file under `dir` with a hash of its bytes (symlinks as their target text). */
function treeOf(dir: string, prefix = ''): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(tree, treeOf(dir, rel));
    else if (entry.isSymbolicLink()) tree[rel] = 'symlink';
    else tree[rel] = `${statSync(join(dir, rel)).size}:${createHash('sha256').update(readFileSync(join(dir, rel))).digest('hex')}`;
  }
  return tree;
}

function assertNoStack(run: CliRun, context: string): void {
  assert.doesNotMatch(run.stderr, /internal error|\n\s+at [\w.<]/, `a stack trace ${context}`);
}

test(`${SAMPLE.length} bad manifests through plan and apply: exit 1, FILE:LINE:COL, nothing sent, nothing written`, { timeout: 120_000 }, async (t) => {
  const emulator = await startEmulator({ port: 0, pages: [{ id: '1234567890', token: 'EAAbadinputMAINtoken000000' }] });
  t.after(() => emulator.close());
  const env = { MAIN_TOKEN: 'EAAbadinputMAINtoken000000', SUPPORT_TOKEN: 'EAAbadinputSUPPORTtoken0000', T: 'EAAbadinputTtoken000000000', ATTACHFORM_STATE: undefined };
  // Two cases share the name "an empty file" (the manifest, then an asset's file): take the last.
  const cases = SAMPLE.map((name) => badCases.filter((c) => c.name === name).at(-1));
  assert.ok(cases.every(Boolean), 'every sampled case exists');
  for (const c of cases.map((x) => x!)) {
    const project = makeManifestProject(t, '', c.files);
    writeFileSync(project.manifest, typeof c.yaml === 'function' ? c.yaml(project) : c.yaml);
    c.setup?.(project);
    const expected = typeof c.expect === 'function' ? c.expect(project) : c.expect;
    const before = treeOf(project.base);
    const runs = await Promise.all([
      runCli(['plan', '--graph-url', emulator.url], { cwd: project.dir, env }),
      runCli(['apply', '--auto-approve', '--graph-url', emulator.url], { cwd: project.dir, env }),
    ]);
    for (const run of runs) {
      const context = `(${c.name})\n${run.stderr}`;
      assert.equal(run.code, 1, context);
      assert.match(run.stderr, /^assets\.yaml:\d+:\d+: error: /m, `a FILE:LINE:COL line ${context}`);
      for (const line of expected) assert.ok(run.stderr.includes(`${line}\n`), `missing "${line}" ${context}`);
      assert.match(run.stderr, /^Error: assets\.yaml has \d+ errors?; nothing was read from the network or written$/m, context);
      assert.equal(run.stdout, '', context);
      assertNoStack(run, context);
    }
    assert.deepEqual(treeOf(project.base), before, `nothing written (${c.name})`);
  }
  const log = (await (await fetch(`${emulator.url}/__emulator/requests`)).json()) as { requests: unknown[] };
  assert.deepEqual(log.requests, [], 'no request reached the Graph API');
});

test('a missing token variable at plan and apply is named, with its position, and no token is printed', { timeout: 60_000 }, async (t) => {
  const project = await makeProject(t, `version: 1\n${PAGES_YAML}defaults:\n  page: main\noutputs:\n  json: generated/attachments.json\nassets:\n  welcome:\n    path: media/welcome.png\n    pages: [main, support]\n`);
  for (const args of [['plan'], ['apply', '--auto-approve']]) {
    const run = await project.cli(args, { [PAGES.support.env]: undefined });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^assets\.yaml:8:16: error: pages\.support\.token_env: the environment variable SUPPORT_PAGE_TOKEN is not set; it must hold the page access token of page support \(id 2222222222\)$/m);
    assert.match(run.stderr, /^Error: 1 page token is missing$/m);
    assert.ok(!run.stderr.includes(PAGES.main.token) && !run.stdout.includes(PAGES.main.token), 'no token value');
    assertNoStack(run, run.stderr);
  }
  assert.deepEqual(await project.requests(), []);
  assert.deepEqual(readdirSync(project.dir).sort(), ['assets.yaml', 'media']);
});

/** mulberry32, so a failing corruption can be replayed from its seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const NOISE = ['\t', ':', ': ', '"', "'", '[', '{', '}', '- ', '#', '&x ', '*x', '!!str ', '? ', '|', '>', '\n', '   ', '%YAML 9\n', '@', '`', ',', '\u0000', '\ufeff', '\u202e', 'ü', '../', '/etc/', '{stem}', '99999999999999999999'];

function corrupt(text: string, random: () => number): string {
  const pick = (n: number) => Math.floor(random() * n);
  let out = text;
  for (let round = 0, rounds = 1 + pick(4); round < rounds; round++) {
    const at = pick(out.length + 1);
    const lines = out.split('\n');
    const line = pick(lines.length);
    switch (pick(6)) {
      case 0: out = out.slice(0, at) + out.slice(at + 1 + pick(8)); break;
      case 1: out = out.slice(0, at) + NOISE[pick(NOISE.length)] + out.slice(at); break;
      case 2: lines.splice(line, 1); out = lines.join('\n'); break;
      case 3: lines.splice(pick(lines.length), 0, lines[line]); out = lines.join('\n'); break;
      case 4: lines[line] = lines[line].replace(/^ */, (spaces) => ' '.repeat(Math.max(0, spaces.length + pick(5) - 2))); out = lines.join('\n'); break;
      default: out = out.slice(0, at) + out.slice(at, at + pick(12)).split('').reverse().join('') + out.slice(at + pick(12)); break;
    }
  }
  return out;
}

test('50 seeded corruptions of a valid manifest through `attachform validate`: exit 0 or 1, never a crash', { timeout: 120_000 }, async (t) => {
  const dir = makeTempDir(t, 'manifests/basic');
  const original = readFileSync(join(dir, 'assets.yaml'), 'utf8');
  const valid = await runCli(['validate'], { cwd: dir });
  assert.equal(valid.code, 0, valid.stderr);
  let failed = 0;
  const seeds = Array.from({ length: 50 }, (_, i) => i + 1);
  for (let i = 0; i < seeds.length; i += 5) {
    const batch = seeds.slice(i, i + 5);
    const runs = await Promise.all(
      batch.map((seed) => {
        const file = `fuzz-${seed}.yaml`;
        writeFileSync(join(dir, file), corrupt(original, seeded(seed)));
        return runCli(['validate', '-f', file], { cwd: dir }).then((run) => ({ seed, file, run }));
      }),
    );
    for (const { seed, file, run } of runs) {
      const context = `(seed ${seed})\n${readFileSync(join(dir, file), 'utf8')}\n--- stderr\n${run.stderr}`;
      assert.ok(run.code === 0 || run.code === 1, `exit ${run.code} ${context}`);
      assertNoStack(run, context);
      const escaped = file.replace('.', '\\.');
      const allowed = [
        new RegExp(`^${escaped}:\\d+:\\d+: (error|warning): \\S`),
        new RegExp(`^${escaped}: (error|warning): \\S`),
        new RegExp(`^Error: ${escaped} has \\d+ errors?$`),
        /^ {2}fix them and run `attachform validate` again$/,
      ];
      for (const line of run.stderr.trimEnd().split('\n').filter((l) => l !== '')) {
        assert.ok(allowed.some((re) => re.test(line)), `an unexpected line "${line}" ${context}`);
      }
      if (run.code === 1) {
        failed++;
        assert.match(run.stderr, new RegExp(`^${escaped}(:\\d+:\\d+)?: error: `, 'm'), context);
      } else {
        assert.match(run.stdout, new RegExp(`^${escaped} is valid: \\d+ assets? on \\d pages?\\.$`, 'm'), context);
      }
    }
  }
  assert.ok(failed >= 25, `only ${failed} of 50 corruptions were errors: the fuzz proves little`);
});
