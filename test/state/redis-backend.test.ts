// The redis:// backend against a real Redis started for this file: the shared conformance suite
// (each test on a database number of its own), then what only Redis does — one hash per state,
// the lock as its own key with a native expiry, and clear errors.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '@keyv/redis';
import { openState, openStateBackend, redactStateUrl } from '../../src/state/open-state.js';
import { UserError } from '../../src/user-error.js';
import { redisUnavailable, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { skipUnlessAvailable } from '../helpers/server-process.js';
import { runStateConformance } from './conformance.js';
import { makeRecord } from './make-record.js';

const skip = skipUnlessAvailable(redisUnavailable());
let server: Promise<RedisServer> | undefined;
const useServer = () => (server ??= startRedis());
after(async () => {
  await (await server?.catch(() => undefined))?.stop();
});

runStateConformance('redis', async () => ({ url: (await useServer()).nextDatabase(), baseDir: '/nonexistent' }), { skip });

async function rawClient(url: string, t: { after(fn: () => Promise<unknown>): void }) {
  const client = createClient({ url });
  await client.connect();
  t.after(() => client.close());
  return client;
}

test('redis: a state is one hash of keyv values, read whole by one HGETALL', { skip }, async (t) => {
  const url = (await useServer()).nextDatabase();
  const store = await openState(url, { baseDir: '/' });
  t.after(() => store.close());
  const record = makeRecord();
  await store.putRecord(record);
  const client = await rawClient(url, t);
  assert.deepEqual(await client.keys('*'), ['attachform:state']);
  const hash = await client.hGetAll('attachform:state');
  assert.deepEqual(Object.keys(hash).sort(), ['meta', 'record:1234567890:welcome']);
  assert.deepEqual(JSON.parse(hash['record:1234567890:welcome']), { value: record });
  assert.equal(JSON.parse(hash.meta).value.serial, 1);
});

test('redis: the lock is its own key with an expiry, renewed while held and gone once released', { skip }, async (t) => {
  const url = (await useServer()).nextDatabase();
  const store = await openState(url, { baseDir: '/' });
  t.after(() => store.close());
  const staleAfterMs = 400;
  const lock = await store.acquireLock({ operation: 'apply', timeoutMs: 0, staleAfterMs });
  const client = await rawClient(url, t);
  const first = await client.get('attachform:lock');
  assert.equal(JSON.parse(first!).value.id, lock.info.id);
  const ttl = await client.pTTL('attachform:lock');
  assert.ok(ttl > staleAfterMs, `expires after it is stale, not before (pttl ${ttl})`);

  // Renewal rewrites the value (a new renewedAt): wait for that change, as Redis announces it.
  await client.configSet('notify-keyspace-events', 'K$');
  const subscriber = client.duplicate();
  await subscriber.connect();
  t.after(() => subscriber.close());
  const database = new URL(url).pathname.slice(1);
  let announce!: () => void;
  const renewed = new Promise<void>((resolve) => (announce = resolve));
  await subscriber.subscribe(`__keyspace@${database}__:attachform:lock`, () => announce());
  await renewed;
  const second = JSON.parse((await client.get('attachform:lock'))!).value;
  assert.equal(second.id, lock.info.id);
  assert.ok(Date.parse(second.renewedAt) > Date.parse(lock.info.renewedAt));
  assert.ok((await client.pTTL('attachform:lock')) > staleAfterMs);

  await lock.release();
  assert.equal(await client.exists('attachform:lock'), 0);
});

test('redis: an abandoned lock nobody came back for expires by itself', { skip }, async (t) => {
  const url = (await useServer()).nextDatabase();
  const backend = await openStateBackend(url, { baseDir: '/' });
  t.after(() => backend.close());
  assert.equal(await backend.insertIfAbsent('lock', 'left behind', 60_000), true);
  assert.equal(await backend.insertIfAbsent('lock', 'second', 60_000), false);
  const client = await rawClient(url, t);
  const ttl = await client.pTTL('attachform:lock');
  assert.ok(ttl > 0 && ttl <= 60_000, `pttl ${ttl}`);

  // Renewed with a short expiry and then left: Redis announces the expiry, and the key is free.
  await client.configSet('notify-keyspace-events', 'Kx');
  const subscriber = client.duplicate();
  await subscriber.connect();
  t.after(() => subscriber.close());
  let announce!: (event: string) => void;
  const expired = new Promise<string>((resolve) => (announce = resolve));
  await subscriber.subscribe(`__keyspace@${new URL(url).pathname.slice(1)}__:attachform:lock`, (event) => announce(event));
  assert.equal(await backend.replaceIf('lock', 'left behind', 'renewed once', 20), true);
  assert.equal(await expired, 'expired');
  assert.equal(await backend.get('lock'), undefined);
  assert.equal(await backend.insertIfAbsent('lock', 'next holder', 60_000), true);
});

test('redis: a key of another type where the state should be is a UserError', { skip }, async (t) => {
  const url = (await useServer()).nextDatabase();
  const client = await rawClient(url, t);
  await client.set('attachform:state', 'somebody else uses this key');
  const store = await openState(url, { baseDir: '/' });
  t.after(() => store.close());
  for (const attempt of [() => store.read(), () => store.putRecord(makeRecord())]) {
    await assert.rejects(attempt(), (error: unknown) => {
      assert.ok(error instanceof UserError, String(error));
      assert.match(error.message, /cannot be used: WRONGTYPE/);
      assert.match(error.hint ?? '', /database of its own/);
      return true;
    });
  }
});

test('redis: a wrong or missing password is a UserError that never shows a password', { skip }, async (t) => {
  const server = await useServer();
  const good = new URL(server.nextDatabase());
  const wrong = new URL(good);
  wrong.password = 'wr0ng-pw';
  const none = new URL(good);
  none.password = '';
  for (const url of [wrong.href, none.href]) {
    const store = await openState(url, { baseDir: '/' });
    t.after(() => store.close());
    await assert.rejects(store.read(), (error: unknown) => {
      assert.ok(error instanceof UserError, String(error));
      assert.match(error.message, /refused the login/);
      assert.ok(error.message.includes(redactStateUrl(url)), error.message);
      const shown = `${error.message}\n${error.hint}`;
      for (const secret of ['wr0ng-pw', server.password, encodeURIComponent(server.password)]) assert.ok(!shown.includes(secret), shown);
      return true;
    });
  }
});
