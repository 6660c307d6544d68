// Copying a state whole: exact lineage, serial and records; refusals (non-empty target, empty
// source, same state); both locks held; the read-back check; and a round trip through every
// backend (sqlite → postgres → redis → sqlite) on real servers.
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { KeyvStateStore } from '../../src/state/keyv-state-store.js';
import { copyState, isSameState, migrateState } from '../../src/state/migrate-state.js';
import { LockHeldError, openKeyvState } from '../../src/state/open-state.js';
import { UserError } from '../../src/user-error.js';
import { postgresUnavailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { redisUnavailable, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { skipUnlessAvailable } from '../helpers/server-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { makeRecord } from './make-record.js';

async function open(t: TestContext, url: string, baseDir: string): Promise<KeyvStateStore> {
  const store = await openKeyvState(url, { baseDir });
  t.after(() => store.close());
  return store;
}

/** A source state with three writes (serial 3) and two records. */
async function seed(t: TestContext, url: string, baseDir: string) {
  const store = await open(t, url, baseDir);
  await store.putRecord(makeRecord({ name: 'welcome' }));
  await store.putRecord(makeRecord({ name: 'jingle', type: 'audio', contentType: 'audio/mpeg', source: { url: 'https://cdn.example.com/j.mp3' }, etag: '"e1"' }));
  await store.putRecord(makeRecord({ name: 'welcome', pageId: '42', page: 'support' }));
  return { store, snapshot: await store.read() };
}

test('migrate copies lineage, serial and records exactly, and the copy goes on from that serial', async (t) => {
  const dir = makeTempDir(t);
  const { snapshot } = await seed(t, 'sqlite://old.sqlite', dir);
  const result = await migrateState('sqlite://old.sqlite', 'sqlite://new.sqlite', { baseDir: dir, lockTimeoutMs: 0 });
  assert.deepEqual(result, { from: 'sqlite://old.sqlite', to: 'sqlite://new.sqlite', lineage: snapshot.lineage, serial: 3, records: 3 });
  const copy = await open(t, 'sqlite://new.sqlite', dir);
  assert.deepEqual(await copy.read(), snapshot);
  assert.equal(await copy.putRecord(makeRecord({ name: 'after' })), 4);
  const source = await open(t, 'sqlite://old.sqlite', dir);
  assert.deepEqual(await source.read(), snapshot, 'the source is left as it was');
});

test('migrate refuses a target that holds a state unless forced, and then replaces it whole', async (t) => {
  const dir = makeTempDir(t);
  const { snapshot } = await seed(t, 'sqlite://old.sqlite', dir);
  const target = await open(t, 'sqlite://new.sqlite', dir);
  await target.putRecord(makeRecord({ name: 'stale_only_here' }));
  const before = await target.read();
  await assert.rejects(migrateState('sqlite://old.sqlite', 'sqlite://new.sqlite', { baseDir: dir, lockTimeoutMs: 0 }), (error: unknown) => {
    assert.ok(error instanceof UserError);
    assert.match(error.message, /sqlite:\/\/new\.sqlite is not empty \(lineage .+, serial 1, 1 record\)/);
    assert.match(error.hint ?? '', /--force/);
    return true;
  });
  assert.deepEqual(await target.read(), before, 'a refused migrate writes nothing');

  const result = await migrateState('sqlite://old.sqlite', 'sqlite://new.sqlite', { baseDir: dir, lockTimeoutMs: 0, force: true });
  assert.deepEqual(result.replaced, { lineage: before.lineage, serial: 1, records: 1 });
  assert.deepEqual(await target.read(), snapshot);
});

test('migrate refuses a source never written, and a target that is the source', async (t) => {
  const dir = makeTempDir(t);
  await assert.rejects(migrateState('sqlite://none.sqlite', 'sqlite://new.sqlite', { baseDir: dir, lockTimeoutMs: 0 }), /has never been written: there is nothing to migrate/);
  await seed(t, 'sqlite://old.sqlite', dir);
  await assert.rejects(migrateState('sqlite://old.sqlite', `sqlite://${join(dir, 'old.sqlite')}`, { baseDir: dir, lockTimeoutMs: 0 }), /is the state to migrate from/);
});

test('isSameState compares files by path and servers by host, port and database, not credentials', () => {
  assert.equal(isSameState('sqlite://a.sqlite', 'sqlite:///repo/a.sqlite', '/repo'), true);
  assert.equal(isSameState('sqlite://a.sqlite', 'sqlite://b.sqlite', '/repo'), false);
  assert.equal(isSameState('postgres://u:p1@db:5432/x', 'postgresql://v@db:5432/x/', '/repo'), true);
  assert.equal(isSameState('postgres://db:5432/x', 'postgres://db:5432/y', '/repo'), false);
  assert.equal(isSameState('redis://cache:6379/0', 'redis://cache:6379/1', '/repo'), false);
  assert.equal(isSameState('redis://cache:6379/0', 'sqlite://cache', '/repo'), false);
});

test('migrate holds both locks: a held one stops it before anything is written', async (t) => {
  const dir = makeTempDir(t);
  await seed(t, 'sqlite://old.sqlite', dir);
  for (const locked of ['sqlite://old.sqlite', 'sqlite://new.sqlite']) {
    const holder = await open(t, locked, dir);
    const lock = await holder.acquireLock({ operation: 'apply', timeoutMs: 0 });
    await assert.rejects(migrateState('sqlite://old.sqlite', 'sqlite://new.sqlite', { baseDir: dir, lockTimeoutMs: 0 }), (error: unknown) => {
      assert.ok(error instanceof LockHeldError);
      assert.equal(error.holder.id, lock.info.id);
      return true;
    });
    await lock.release();
  }
  assert.equal((await (await open(t, 'sqlite://new.sqlite', dir)).read()).serial, 0);
  await migrateState('sqlite://old.sqlite', 'sqlite://new.sqlite', { baseDir: dir, lockTimeoutMs: 0 });
  // …and releases them: both can be locked again.
  for (const url of ['sqlite://old.sqlite', 'sqlite://new.sqlite']) {
    const lock = await (await open(t, url, dir)).acquireLock({ operation: 'apply', timeoutMs: 0 });
    assert.equal(lock.info.operation, 'apply');
    await lock.release();
  }
});

test('a copy that does not read back the same is reported, naming what differs', async (t) => {
  const dir = makeTempDir(t);
  const { store: from } = await seed(t, 'sqlite://old.sqlite', dir);
  const real = await open(t, 'sqlite://new.sqlite', dir);
  // A target that loses one record on the way, as a concurrent writer or a faulty store would.
  const lossy: KeyvStateStore = {
    ...real,
    read: async () => {
      const state = await real.read();
      return { ...state, records: state.records.slice(1) };
    },
  };
  await assert.rejects(copyState(from, lossy, { lockTimeoutMs: 0 }), (error: unknown) => {
    assert.ok(error instanceof UserError);
    assert.match(error.message, /does not match sqlite:\/\/old\.sqlite: 1 record\(s\) missing/);
    assert.match(error.hint ?? '', /unchanged/);
    return true;
  });
});

const serversSkip = skipUnlessAvailable(postgresUnavailable() ?? redisUnavailable());
let servers: Promise<[PostgresServer, RedisServer]> | undefined;
after(async () => {
  const started = await servers?.catch(() => undefined);
  await Promise.all((started ?? []).map((server) => server.stop()));
});

test('a state goes sqlite → postgres → redis → sqlite and comes back the same', { skip: serversSkip }, async (t) => {
  servers ??= Promise.all([startPostgres(), startRedis()]);
  const [pg, redis] = await servers;
  const dir = makeTempDir(t);
  const { snapshot } = await seed(t, 'sqlite://old.sqlite', dir);
  const chain = ['sqlite://old.sqlite', await pg.createDatabase(), redis.nextDatabase(), 'sqlite://back.sqlite'];
  for (let i = 1; i < chain.length; i++) {
    const result = await migrateState(chain[i - 1], chain[i], { baseDir: dir, lockTimeoutMs: 0 });
    assert.equal(result.serial, snapshot.serial);
    assert.deepEqual(await (await open(t, chain[i], dir)).read(), snapshot, chain[i]);
  }
});
