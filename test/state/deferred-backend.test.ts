// A backend that loads on first use: opening a state loads no driver, the first call loads it once,
// calls made meanwhile run in their order, and a failed load fails the calls, not close().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BackendTransaction, StateBackend } from '../../src/state/backend.js';
import { deferBackend } from '../../src/state/deferred-backend.js';
import { repoRoot } from '../helpers/paths.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** A backend that notes each call it receives, in order. */
function recordingBackend(calls: string[]): StateBackend {
  const tx: BackendTransaction = { get: async () => undefined, set: async () => undefined, delete: async () => undefined };
  return {
    readEntries: async () => (calls.push('readEntries'), []),
    transact: async (fn) => (calls.push('transact'), fn(tx)),
    get: async (key) => (calls.push(`get ${key}`), undefined),
    insertIfAbsent: async (key) => (calls.push(`insertIfAbsent ${key}`), true),
    replaceIf: async (key) => (calls.push(`replaceIf ${key}`), true),
    deleteIf: async (key) => (calls.push(`deleteIf ${key}`), true),
    serialize: async (value) => JSON.stringify({ value }),
    deserialize: async (text) => (JSON.parse(text) as { value: unknown }).value,
    close: async () => void calls.push('close'),
  };
}

test('the backend loads once, at the first call, and calls made while it loads keep their order', async () => {
  const calls: string[] = [];
  let loads = 0;
  const backend = deferBackend(async () => {
    loads++;
    return recordingBackend(calls);
  });
  assert.equal(loads, 0, 'nothing is loaded before the first call');
  const results = await Promise.all([backend.get('a'), backend.insertIfAbsent('lock', 'x'), backend.readEntries(), backend.transact(async () => 7), backend.deleteIf('lock', 'x')]);
  assert.equal(loads, 1);
  assert.deepEqual(calls, ['get a', 'insertIfAbsent lock', 'readEntries', 'transact', 'deleteIf lock']);
  assert.deepEqual(results, [undefined, true, [], 7, true]);
  assert.equal(await backend.deserialize(await backend.serialize({ n: 1 })).then((v) => JSON.stringify(v)), '{"n":1}');
  await backend.close();
  assert.equal(calls.at(-1), 'close');
  assert.equal(loads, 1);
});

test('closing a backend never used loads nothing', async () => {
  let loads = 0;
  const backend = deferBackend(async () => {
    loads++;
    return recordingBackend([]);
  });
  await backend.close();
  assert.equal(loads, 0);
});

test('a failed load rejects the calls that needed it, and close still resolves', async () => {
  const backend = deferBackend(async () => {
    throw new Error('driver missing');
  });
  await assert.rejects(backend.readEntries(), /driver missing/);
  await assert.rejects(backend.get('meta'), /driver missing/);
  await backend.close();
});

test('opening a sqlite state loads no sqlite3, nor does reading one never written; its first write does', (t) => {
  const dir = makeTempDir(t);
  const openState = pathToFileURL(join(repoRoot, 'dist', 'src', 'state', 'open-state.js')).href;
  // A fresh process, so no other test has loaded sqlite3 already; require.cache lists CommonJS modules.
  const script = `
    import { createRequire } from 'node:module';
    const { openState } = await import(${JSON.stringify(openState)});
    const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((path) => /[\\\\/]sqlite3[\\\\/]/.test(path));
    const store = await openState('sqlite://state.sqlite', { baseDir: ${JSON.stringify(dir)} });
    const atOpen = loaded();
    const { records } = await store.read();
    const afterRead = loaded();
    const lock = await store.acquireLock({ operation: 'apply', timeoutMs: 0 });
    await lock.release();
    console.log(JSON.stringify({ atOpen, records: records.length, afterRead, afterWrite: loaded() }));
    await store.close();`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), { atOpen: false, records: 0, afterRead: false, afterWrite: true });
});
