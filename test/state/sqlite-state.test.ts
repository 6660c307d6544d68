// What only the sqlite:// backend does: paths, lazy creation, keyv's own format, and the clear
// errors for a damaged, busy or unreachable file.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import { openState } from '../../src/state/open-state.js';
import type { StateStore } from '../../src/state/types.js';
import { UserError } from '../../src/user-error.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { makeRecord } from './make-record.js';

async function open(t: TestContext, url: string, baseDir: string, busyTimeoutMs?: number): Promise<StateStore> {
  const store = await openState(url, { baseDir, busyTimeoutMs });
  t.after(() => store.close());
  return store;
}

/** A second, independent connection to the same file, as another program would have. */
function rawConnection(t: TestContext, path: string): KeyvSqlite {
  const adapter = new KeyvSqlite({ uri: `sqlite://${path}` });
  t.after(() => adapter.close());
  return adapter;
}

function isUserErrorNaming(url: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof UserError, `a UserError, not ${String(error)}`);
    assert.ok(error.message.includes(url), `names ${url}: ${error.message}`);
    assert.match(error.message, pattern);
    assert.ok(error.hint);
    return true;
  };
}

test('a relative path resolves against baseDir, and its folder is made by the first write only', async (t) => {
  const dir = makeTempDir(t);
  const store = await open(t, 'sqlite://deep/er/state.sqlite', dir);
  assert.equal(store.displayUrl, 'sqlite://deep/er/state.sqlite');
  await store.read();
  await store.acquireLock({ operation: 'plan', timeoutMs: 0 }).then((lock) => lock.release());
  assert.ok(existsSync(join(dir, 'deep', 'er', 'state.sqlite')));
});

test('reading a state never written creates nothing', async (t) => {
  const dir = makeTempDir(t);
  const store = await open(t, 'sqlite://.attachform/state.sqlite', dir);
  assert.equal((await store.read()).serial, 0);
  assert.equal(existsSync(join(dir, '.attachform')), false);
  await store.putRecord(makeRecord());
  assert.ok(existsSync(join(dir, '.attachform', 'state.sqlite')));
});

test('an absolute path is used as is', async (t) => {
  const dir = makeTempDir(t);
  const path = join(dir, 'abs.sqlite');
  const store = await open(t, `sqlite://${path}`, join(dir, 'elsewhere'));
  await store.putRecord(makeRecord());
  assert.ok(existsSync(path));
});

test('values are stored in keyv\'s own format: a plain Keyv reads them', async (t) => {
  const dir = makeTempDir(t);
  const store = await open(t, 'sqlite://state.sqlite', dir);
  const record = makeRecord();
  await store.putRecord(record);
  const keyv = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${join(dir, 'state.sqlite')}` }), namespace: 'attachform' });
  t.after(() => keyv.disconnect());
  assert.deepEqual(await keyv.get(`record:${record.pageId}:${record.name}`), record);
  assert.deepEqual(await keyv.get('meta'), { lineage: (await store.read()).lineage, serial: 1 });
});

test('a write is all-or-nothing: when the serial cannot be written, the record is not either', async (t) => {
  const dir = makeTempDir(t);
  const path = join(dir, 'state.sqlite');
  const store = await open(t, 'sqlite://state.sqlite', dir);
  await store.putRecord(makeRecord({ name: 'first' }));
  const before = await store.read();
  const other = rawConnection(t, path);
  await other.query(
    `CREATE TRIGGER refuse_meta BEFORE UPDATE ON keyv WHEN NEW.key = 'attachform:meta' BEGIN SELECT RAISE(ABORT, 'refused'); END`,
  );
  await assert.rejects(store.putRecord(makeRecord({ name: 'second' })));
  await assert.rejects(store.removeRecord(makeRecord().pageId, 'first'));
  assert.deepEqual(await store.read(), before);
});

test('a file that is not a SQLite database is a UserError naming the state, and is left alone', async (t) => {
  const dir = makeTempDir(t);
  const bytes = 'this is not a database, just some text that happens to be here\n'.repeat(64);
  writeFileSync(join(dir, 'state.sqlite'), bytes);
  const store = await open(t, 'sqlite://state.sqlite', dir);
  await assert.rejects(store.read(), isUserErrorNaming('sqlite://state.sqlite', /not a valid SQLite database/));
  await assert.rejects(store.putRecord(makeRecord()), isUserErrorNaming('sqlite://state.sqlite', /not a valid SQLite database/));
  await assert.rejects(store.acquireLock({ operation: 'apply', timeoutMs: 0 }), UserError);
  assert.equal(readFileSync(join(dir, 'state.sqlite'), 'utf8'), bytes);
});

test('a stored value that is not valid JSON is a UserError, and nothing is written', async (t) => {
  const dir = makeTempDir(t);
  const store = await open(t, 'sqlite://state.sqlite', dir);
  await store.putRecord(makeRecord({ name: 'first' }));
  const other = rawConnection(t, join(dir, 'state.sqlite'));
  await other.query(`INSERT INTO keyv (key, value) VALUES ('attachform:record:1:broken', '{"value": {oops')`);
  await assert.rejects(store.read(), isUserErrorNaming('sqlite://state.sqlite', /record:1:broken.*not valid JSON/));

  await other.query(`UPDATE keyv SET value = 'garbage' WHERE key = 'attachform:meta'`);
  await assert.rejects(store.putRecord(makeRecord({ name: 'second' })), isUserErrorNaming('sqlite://state.sqlite', /meta/));
  const rows = (await other.query(`SELECT key FROM keyv WHERE key LIKE '%second%'`)) as unknown[];
  assert.deepEqual(rows, []);
});

test('a stored record missing its fields is a UserError', async (t) => {
  const dir = makeTempDir(t);
  const store = await open(t, 'sqlite://state.sqlite', dir);
  await store.putRecord(makeRecord());
  const other = rawConnection(t, join(dir, 'state.sqlite'));
  await other.query(`INSERT INTO keyv (key, value) VALUES ('attachform:record:1:x', '{"value":{"name":"x"}}')`);
  await assert.rejects(store.read(), isUserErrorNaming('sqlite://state.sqlite', /attachmentId is not a string/));
});

test('a file held by another program past the busy timeout is a UserError; the write lands once it lets go', async (t) => {
  const dir = makeTempDir(t);
  const store = await open(t, 'sqlite://state.sqlite', dir, 100);
  await store.putRecord(makeRecord({ name: 'first' }));
  const other = rawConnection(t, join(dir, 'state.sqlite'));
  await other.query('BEGIN EXCLUSIVE');
  await assert.rejects(store.putRecord(makeRecord({ name: 'second' })), isUserErrorNaming('sqlite://state.sqlite', /locked by another program/));
  await other.query('ROLLBACK');
  assert.equal(await store.putRecord(makeRecord({ name: 'second' })), 2);
  assert.deepEqual((await store.read()).records.map((r) => r.name), ['first', 'second']);
});

test('a path that cannot be made is a UserError naming the state', async (t) => {
  const dir = makeTempDir(t);
  writeFileSync(join(dir, 'file'), 'a file, not a folder');
  const store = await open(t, 'sqlite://file/state.sqlite', dir);
  await assert.rejects(store.putRecord(makeRecord()), isUserErrorNaming('sqlite://file/state.sqlite', /Cannot open state/));
  const folder = await open(t, 'sqlite://.', dir);
  await assert.rejects(folder.read(), isUserErrorNaming('sqlite://.', /Cannot open state/));
});
