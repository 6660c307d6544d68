// The conformance suite every state backend passes (Terraform's statemgr.TestFull): records,
// serial, lineage, whole-state replacement, damaged values, the lock and its contention between
// real processes (the lock half is in conformance-locks.ts). A backend's test file calls
// runStateConformance with a function that makes a fresh, empty state for one test (and `skip`
// when its server can't be had here).
import { test as nodeTest, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { KeyvStateStore } from '../../src/state/keyv-state-store.js';
import { openKeyvState, openStateBackend, redactStateUrl } from '../../src/state/open-state.js';
import { UserError } from '../../src/user-error.js';
import { defineLockConformance, UUID } from './conformance-locks.js';
import { makeRecord } from './make-record.js';

export interface StateTarget {
  url: string;
  baseDir: string;
}


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
    const backend = await openStateBackend(target.url, { baseDir: target.baseDir });
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
    const backend = await openStateBackend(target.url, { baseDir: target.baseDir });
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

  defineLockConformance(name, test, setup);
}
