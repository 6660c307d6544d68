// The conformance suite every state backend passes (Terraform's statemgr.TestFull): records,
// serial, lineage, whole-state replacement, damaged values, the lock and its contention between
// real processes. A backend's test file calls runStateConformance with a function that makes a
// fresh, empty state for one test (and `skip` when its server can't be had here).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test as nodeTest, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { KeyvStateStore } from '../../src/state/keyv-state-store.js';
import { LockHeldError, openKeyvState, openStateBackend, redactStateUrl } from '../../src/state/open-state.js';
import type { LockInfo } from '../../src/state/types.js';
import { UserError } from '../../src/user-error.js';
import { repoRoot } from '../helpers/paths.js';
import { makeRecord } from './make-record.js';

export interface StateTarget {
  url: string;
  baseDir: string;
}

const childScript = join(repoRoot, 'dist', 'test', 'state', 'state-child.js');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ConformanceOptions {
  /** Skip every test, with this reason (a server that can't be had here). */
  skip?: string | false;
}

export function runStateConformance(name: string, makeTarget: (t: TestContext) => Promise<StateTarget>, options: ConformanceOptions = {}): void {
  const test = (title: string, fn: (t: TestContext) => Promise<void>) => nodeTest(title, { skip: options.skip ?? false }, fn);

  /** A store on a fresh state, closed when the test ends; `again()` opens a second one on the same state. */
  async function setup(t: TestContext) {
    const target = await makeTarget(t);
    const stores: KeyvStateStore[] = [];
    const again = async () => {
      const store = await openKeyvState(target.url, { baseDir: target.baseDir });
      stores.push(store);
      return store;
    };
    t.after(async () => {
      for (const store of stores) await store.close();
    });
    return { target, store: await again(), again };
  }

  test(`${name}: a state never written reads empty`, async (t) => {
    const { store } = await setup(t);
    assert.deepEqual(await store.read(), { lineage: '', serial: 0, records: [] });
  });

  test(`${name}: records round-trip, replace and remove`, async (t) => {
    const { store } = await setup(t);
    const welcome = makeRecord({ name: 'welcome' });
    const jingle = makeRecord({
      name: 'jingle',
      type: 'audio',
      contentType: 'audio/mpeg',
      source: { url: 'https://cdn.example.com/jingle.mp3?v="2"' },
      etag: '"abc"',
      lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT',
    });
    const other = makeRecord({ name: 'welcome', page: 'support', pageId: '42' });
    await store.putRecord(welcome);
    await store.putRecord(jingle);
    await store.putRecord(other);
    // Sorted by page id, then name, in code-unit order ('1234567890' < '42').
    assert.deepEqual((await store.read()).records, [jingle, welcome, other]);

    const replaced = { ...welcome, attachmentId: '999', sha256: 'b'.repeat(64) };
    await store.putRecord(replaced);
    assert.deepEqual((await store.read()).records, [jingle, replaced, other]);

    await store.removeRecord(welcome.pageId, 'jingle');
    assert.deepEqual((await store.read()).records, [replaced, other]);
  });

  test(`${name}: only a record's own fields are stored`, async (t) => {
    const { store } = await setup(t);
    const record = makeRecord();
    await store.putRecord({ ...record, token: 'EAAB-secret', extra: 1 } as typeof record);
    assert.deepEqual((await store.read()).records, [record]);
  });

  test(`${name}: every write bumps the serial by one; the lineage is made once and kept`, async (t) => {
    const { store, again } = await setup(t);
    assert.equal(await store.putRecord(makeRecord({ name: 'a' })), 1);
    const { lineage } = await store.read();
    assert.match(lineage, UUID);
    assert.equal(await store.putRecord(makeRecord({ name: 'b' })), 2);
    assert.equal(await store.putRecord(makeRecord({ name: 'a', size: 7 })), 3);
    assert.equal(await store.removeRecord(makeRecord().pageId, 'b'), 4);
    assert.deepEqual(await store.read().then((s) => [s.lineage, s.serial]), [lineage, 4]);
    await store.close();

    const reopened = await again();
    assert.deepEqual(await reopened.read().then((s) => [s.lineage, s.serial, s.records.length]), [lineage, 4, 1]);
    assert.equal(await reopened.putRecord(makeRecord({ name: 'c' })), 5);
    assert.equal((await reopened.read()).lineage, lineage);
  });

  test(`${name}: two fresh states get different lineages`, async (t) => {
    const first = await setup(t);
    const second = await setup(t);
    await first.store.putRecord(makeRecord());
    await second.store.putRecord(makeRecord());
    assert.notEqual((await first.store.read()).lineage, (await second.store.read()).lineage);
  });

  test(`${name}: reads 2,000 records in one batch`, async (t) => {
    const { store } = await setup(t);
    const records = Array.from({ length: 2000 }, (_, i) =>
      makeRecord({ name: `asset_${String(i).padStart(4, '0')}`, attachmentId: String(10_000_000_000_000 + i) }),
    );
    await Promise.all(records.map((record) => store.putRecord(record)));
    const state = await store.read();
    assert.equal(state.serial, 2000);
    assert.deepEqual(state.records, records);
  });

  test(`${name}: replaceState makes the state exactly a snapshot, and writes go on from its serial`, async (t) => {
    const { store, again } = await setup(t);
    await store.putRecord(makeRecord({ name: 'gone' }));
    await store.putRecord(makeRecord({ name: 'kept', size: 1 }));
    const snapshot = {
      lineage: randomUUID(),
      serial: 41,
      records: [makeRecord({ name: 'kept', size: 2 }), makeRecord({ name: 'new', pageId: '42', page: 'support' })],
    };
    await store.replaceState(snapshot);
    assert.deepEqual(await store.read(), snapshot);
    const reopened = await again();
    assert.deepEqual(await reopened.read(), snapshot);
    assert.equal(await reopened.putRecord(makeRecord({ name: 'after' })), 42);
    assert.equal((await reopened.read()).lineage, snapshot.lineage);
  });

  test(`${name}: a value that is not valid JSON is reported with its key, and a damaged meta stops writes`, async (t) => {
    const { store, target } = await setup(t);
    const backend = openStateBackend(target.url, { baseDir: target.baseDir });
    t.after(() => backend.close());
    await store.putRecord(makeRecord({ name: 'welcome' }));
    const displayUrl = redactStateUrl(target.url);
    const damaged = (key: string, problem: RegExp) => (error: unknown) => {
      assert.ok(error instanceof UserError, String(error));
      assert.ok(error.message.includes(displayUrl) && error.message.includes(`"${key}"`), error.message);
      assert.match(error.message, problem);
      assert.match(error.hint ?? '', /backup/);
      return true;
    };

    await backend.transact((tx) => tx.set('record:1234567890:welcome', '{"value": {"name": "wel'));
    await assert.rejects(store.read(), damaged('record:1234567890:welcome', /not valid JSON/));
    const notRecord = await backend.serialize({ name: 'welcome', size: 'big' });
    await backend.transact((tx) => tx.set('record:1234567890:welcome', notRecord));
    await assert.rejects(store.read(), damaged('record:1234567890:welcome', /size is not a number/));

    const welcome = await backend.serialize(makeRecord({ name: 'welcome' }));
    await backend.transact((tx) => tx.set('record:1234567890:welcome', welcome));
    await backend.transact((tx) => tx.set('meta', 'garbage'));
    await assert.rejects(store.read(), damaged('meta', /not valid JSON/));
    await assert.rejects(store.putRecord(makeRecord({ name: 'other' })), damaged('meta', /not valid JSON/));
    await assert.rejects(store.removeRecord('1234567890', 'welcome'), damaged('meta', /not valid JSON/));
    assert.equal(await backend.get('record:1234567890:other'), undefined, 'a failed write wrote its record');
    assert.equal(await backend.get('meta'), 'garbage');
  });

  test(`${name}: a damaged lock entry is reported, not taken over`, async (t) => {
    const { store, target } = await setup(t);
    const backend = openStateBackend(target.url, { baseDir: target.baseDir });
    t.after(() => backend.close());
    assert.equal(await backend.insertIfAbsent('lock', '{not json'), true);
    for (const attempt of [() => store.acquireLock({ operation: 'apply', timeoutMs: 0 }), () => store.forceUnlock(randomUUID())]) {
      await assert.rejects(attempt(), (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(error.message, /lock entry that is not valid/);
        return true;
      });
    }
    assert.equal(await backend.get('lock'), '{not json');
  });

  test(`${name}: the lock is taken, refused to a second holder with its details, and released`, async (t) => {
    const { store, again } = await setup(t);
    const lock = await store.acquireLock({ operation: 'apply', timeoutMs: 0 });
    assert.match(lock.info.id, UUID);
    assert.equal(lock.info.operation, 'apply');
    assert.equal(lock.info.pid, process.pid);
    assert.ok(lock.info.who.length > 0 && lock.info.host.length > 0);
    assert.ok(!Number.isNaN(Date.parse(lock.info.since)));

    const other = await again();
    const refused = await other.acquireLock({ operation: 'state rm', timeoutMs: 0 }).then(
      () => assert.fail('a second holder got the lock'),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof LockHeldError && refused instanceof UserError);
    assert.deepEqual(refused.holder, lock.info);
    for (const part of [lock.info.id, lock.info.who, lock.info.host, String(lock.info.pid), lock.info.since]) {
      assert.ok(refused.message.includes(part), `message names ${part}: ${refused.message}`);
    }
    assert.match(refused.hint ?? '', /--lock-timeout/);
    assert.ok(refused.hint?.includes(`attachform force-unlock ${lock.info.id}`));

    await lock.release();
    await lock.release(); // idempotent
    const next = await other.acquireLock({ operation: 'state rm', timeoutMs: 0 });
    assert.notEqual(next.info.id, lock.info.id);
    await next.release();
  });

  test(`${name}: a waiting acquire gets the lock once the holder releases it`, async (t) => {
    const { store, again } = await setup(t);
    const first = await store.acquireLock({ operation: 'apply', timeoutMs: 0 });
    const other = await again();
    const seen: LockInfo[] = [];
    const second = await other.acquireLock({
      operation: 'apply',
      timeoutMs: 120_000,
      onWait: (holder) => {
        seen.push(holder);
        void first.release();
      },
    });
    assert.deepEqual(seen, [first.info]);
    assert.notEqual(second.info.id, first.info.id);
    await second.release();
  });

  test(`${name}: a lock whose holder was killed is taken over once stale`, async (t) => {
    const { store, target } = await setup(t);
    const staleAfterMs = 500;
    const child = spawnChild(t, ['hold', target.url, target.baseDir, String(staleAfterMs)]);
    const held = JSON.parse(await firstLine(child)) as LockInfo;
    assert.equal(held.pid, child.pid);
    child.kill('SIGKILL');
    await once(child, 'exit');

    const taken: LockInfo[] = [];
    const lock = await store.acquireLock({
      operation: 'apply',
      timeoutMs: 120_000,
      staleAfterMs,
      onTakeover: (previous) => taken.push(previous),
    });
    assert.equal(taken.length, 1);
    assert.equal(taken[0].id, held.id);
    assert.equal(taken[0].pid, held.pid);
    assert.notEqual(lock.info.id, held.id);
    await lock.release();
  });

  test(`${name}: force-unlock breaks only the lock with that id`, async (t) => {
    const { store, again } = await setup(t);
    await assert.rejects(store.forceUnlock('00000000-0000-0000-0000-000000000000'), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /not locked/);
      return true;
    });
    const lock = await store.acquireLock({ operation: 'apply', timeoutMs: 0 });
    const other = await again();
    await assert.rejects(other.forceUnlock('00000000-0000-0000-0000-000000000000'), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.ok(error.message.includes(lock.info.id), error.message);
      return true;
    });
    await other.forceUnlock(lock.info.id);
    const next = await other.acquireLock({ operation: 'apply', timeoutMs: 0 });
    await lock.release(); // the broken holder's release must not free the new holder's lock
    await assert.rejects(store.acquireLock({ operation: 'apply', timeoutMs: 0 }), (error: unknown) => {
      assert.ok(error instanceof LockHeldError);
      assert.equal(error.holder.id, next.info.id);
      return true;
    });
    await next.release();
  });

  test(`${name}: two processes contending take turns under the lock and lose no write`, async (t) => {
    const { store, target } = await setup(t);
    const iterations = 15;
    const children = [0, 1].map(() => spawnChild(t, ['count', target.url, target.baseDir, String(iterations)]));
    const results = await Promise.all(
      children.map(async (child) => {
        const line = await firstLine(child);
        const [code] = (await once(child, 'exit')) as [number | null];
        assert.equal(code, 0);
        return JSON.parse(line) as { violations: number };
      }),
    );
    assert.deepEqual(results, [{ violations: 0 }, { violations: 0 }]);
    const state = await store.read();
    assert.equal(state.serial, 2 * iterations * 3);
    assert.deepEqual(
      state.records.map((r) => [r.name, r.size]),
      [['counter', 2 * iterations]],
    );
  });

  test(`${name}: two processes writing at once lose no write, and every write gets its own serial`, async (t) => {
    const { store, target } = await setup(t);
    const iterations = 40;
    const children = [0, 1].map(() => spawnChild(t, ['write', target.url, target.baseDir, String(iterations)]));
    const serials = (
      await Promise.all(
        children.map(async (child) => {
          const line = await firstLine(child);
          const [code] = (await once(child, 'exit')) as [number | null];
          assert.equal(code, 0);
          return (JSON.parse(line) as { serials: number[] }).serials;
        }),
      )
    ).flat();
    assert.deepEqual(
      serials.sort((a, b) => a - b),
      Array.from({ length: 2 * iterations }, (_, i) => i + 1),
    );
    const state = await store.read();
    assert.equal(state.serial, 2 * iterations);
    assert.equal(state.records.length, 2 * iterations);
  });
}

function spawnChild(t: TestContext, args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [childScript, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) process.stderr.write(`state child failed (${code}): ${stderr}\n`);
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

async function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) return line;
  throw new Error('the child printed nothing');
}
