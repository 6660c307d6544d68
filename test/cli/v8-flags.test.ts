// The CLI changes a V8 flag (the WebAssembly tiering budget, for undici's HTTP parser) only in
// apply, after the hash workers have started and before the first connection. Once V8's flags
// change, node's cached code of its own modules no longer matches them, and every built-in module
// loaded afterwards — a hash worker's whole start among them — is compiled afresh. These runs record,
// in order, each flag set, each worker started and each socket connected, through a preload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject, projectManifest } from '../helpers/project.js';

const PRELOAD = `const { appendFileSync } = require('node:fs');
const v8 = require('node:v8');
const net = require('node:net');
const workerThreads = require('node:worker_threads');
const record = (event) => appendFileSync(process.env.EVENTS_FILE, event + '\\n');
const setFlags = v8.setFlagsFromString;
v8.setFlagsFromString = (flags) => { record('flag ' + flags); return setFlags(flags); };
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) { record('connect'); return connect.apply(this, args); };
const Worker = workerThreads.Worker;
workerThreads.Worker = class extends Worker { constructor(...args) { record('worker'); super(...args); } };
`;

// Three files of 23 MiB (under the 25 MB limit): enough bytes for the hash pool (64 MiB of work); the
// same content, so one upload.
const NAMES = ['first', 'second', 'third'];
const MANIFEST = projectManifest(NAMES.map((name) => `  ${name}:\n    path: big/${name}.bin\n    type: file\n`).join(''));

test('plan hashes in the pool and sets no V8 flag; apply sets the tiering budget once, after the workers and before the first connection', async (t) => {
  const project = await makeProject(t, MANIFEST);
  mkdirSync(join(project.dir, 'big'));
  const bytes = Buffer.alloc(23 * 1024 * 1024, 7);
  for (const name of NAMES) writeFileSync(join(project.dir, 'big', `${name}.bin`), bytes);
  const preload = join(project.dir, 'record-events.cjs');
  writeFileSync(preload, PRELOAD);
  const recorded = async (args: string[], name: string) => {
    const eventsFile = join(project.dir, `${name}.events`);
    writeFileSync(eventsFile, '');
    const run = await project.cli(args, { NODE_OPTIONS: `--require "${preload}"`, EVENTS_FILE: eventsFile });
    assert.equal(run.code, 0, run.stderr + run.stdout);
    return readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean);
  };

  const plan = await recorded(['plan', '--no-cache'], 'plan');
  assert.ok(plan.includes('worker'), `plan hashed in the pool: ${plan.join(', ')}`);
  assert.deepEqual(plan.filter((e) => e.startsWith('flag')), [], 'plan sets no V8 flag');

  rmSync(join(project.dir, '.attachform', 'stat-cache.json'), { force: true }); // apply hashes again
  const apply = await recorded(['apply', '--auto-approve'], 'apply');
  const flags = apply.filter((e) => e.startsWith('flag'));
  assert.deepEqual(flags, ['flag --wasm-tiering-budget=1000000000'], apply.join(', '));
  const flagAt = apply.indexOf(flags[0]!);
  assert.ok(apply.indexOf('worker') >= 0 && apply.indexOf('worker') < flagAt, `the hash worker starts before the flag: ${apply.join(', ')}`);
  assert.ok(apply.indexOf('connect') > flagAt, `the flag is set before the first connection: ${apply.join(', ')}`);
});
