// What the CLI does first, in order, recorded through a preload: each V8 flag set, each worker
// started, each socket connected, and the manifest's reading.
// - A V8 flag (the WebAssembly tiering budget, for undici's HTTP parser) is set only in apply, after
//   the hash workers have started and before the first connection: once V8's flags change, node's
//   cached code of its own modules no longer matches them, and every built-in module loaded
//   afterwards — a hash worker's whole start among them — is compiled afresh.
// - When every file will be hashed (no stat cache yet), the hash worker starts before the manifest
//   is read, so it boots meanwhile; with a stat cache, none starts ahead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject, projectManifest, type Project } from '../helpers/project.js';

const PRELOAD = `const { appendFileSync } = require('node:fs');
const v8 = require('node:v8');
const net = require('node:net');
const workerThreads = require('node:worker_threads');
const fsPromises = require('node:fs/promises');
const record = (event) => appendFileSync(process.env.EVENTS_FILE, event + '\\n');
const setFlags = v8.setFlagsFromString;
v8.setFlagsFromString = (flags) => { record('flag ' + flags); return setFlags(flags); };
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) { record('connect'); return connect.apply(this, args); };
const Worker = workerThreads.Worker;
workerThreads.Worker = class extends Worker { constructor(...args) { record('worker'); super(...args); } };
const readFile = fsPromises.readFile;
fsPromises.readFile = function (path, ...rest) { if (String(path).endsWith('assets.yaml')) record('read manifest'); return readFile.call(this, path, ...rest); };
`;

// Three files of 23 MiB (under the 25 MB limit): enough bytes for the hash pool (64 MiB of work); the
// same content, so one upload.
const NAMES = ['first', 'second', 'third'];
const MANIFEST = projectManifest(NAMES.map((name) => `  ${name}:\n    path: big/${name}.bin\n    type: file\n`).join(''));

/** Runs the CLI in the project with the preload; the events it recorded, in order. */
async function recordedRun(project: Project, args: string[]): Promise<string[]> {
  const preload = join(project.dir, 'record-events.cjs');
  writeFileSync(preload, PRELOAD);
  const eventsFile = join(project.dir, 'run.events');
  writeFileSync(eventsFile, '');
  const run = await project.cli(args, { NODE_OPTIONS: `--require "${preload}"`, EVENTS_FILE: eventsFile });
  assert.equal(run.code, 0, run.stderr + run.stdout);
  return readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean);
}

test('plan hashes in the pool and sets no V8 flag; apply sets the tiering budget once, after the workers and before the first connection', async (t) => {
  const project = await makeProject(t, MANIFEST);
  mkdirSync(join(project.dir, 'big'));
  const bytes = Buffer.alloc(23 * 1024 * 1024, 7);
  for (const name of NAMES) writeFileSync(join(project.dir, 'big', `${name}.bin`), bytes);

  const plan = await recordedRun(project, ['plan', '--no-cache']);
  assert.deepEqual(plan.filter((e) => e === 'worker'), ['worker'], `one hash worker: ${plan.join(', ')}`);
  assert.deepEqual(plan.filter((e) => e.startsWith('flag')), [], 'plan sets no V8 flag');

  rmSync(join(project.dir, '.attachform', 'stat-cache.json'), { force: true }); // apply hashes again
  const apply = await recordedRun(project, ['apply', '--auto-approve']);
  const flags = apply.filter((e) => e.startsWith('flag'));
  assert.deepEqual(flags, ['flag --wasm-tiering-budget=1000000000'], apply.join(', '));
  const flagAt = apply.indexOf(flags[0]!);
  assert.ok(apply.indexOf('worker') >= 0 && apply.indexOf('worker') < flagAt, `the hash worker starts before the flag: ${apply.join(', ')}`);
  assert.ok(apply.indexOf('connect') > flagAt, `the flag is set before the first connection: ${apply.join(', ')}`);
});

test('with no stat cache the hash worker starts before the manifest is read, even for a few small files; with one, none starts', async (t) => {
  const project = await makeProject(t, projectManifest('  welcome:\n    path: media/welcome.png\n  menu:\n    path: media/menu.pdf\n'));
  const first = await recordedRun(project, ['plan']);
  assert.deepEqual(first, ['worker', 'read manifest'], 'started ahead, then closed unused (two files do not pay for a pool)');
  const second = await recordedRun(project, ['plan']);
  assert.deepEqual(second, ['read manifest'], 'the stat cache written by the first plan may spare the hashing: no worker');
  const noCache = await recordedRun(project, ['plan', '--no-cache']);
  assert.deepEqual(noCache, ['worker', 'read manifest'], '--no-cache hashes every file again');
});
