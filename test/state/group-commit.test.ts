// Group commit on a real SQLite state: writes made while a transaction runs go together into the
// next one, yet each keeps its own serial, settles with its own transaction, and a failed or bad
// write takes down only what shared its transaction (or only itself).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { BackendTransaction, StateBackend } from '../../src/state/backend.js';
import { createKeyvStateStore, type KeyvStateStore } from '../../src/state/keyv-state-store.js';
import { createSqliteBackend } from '../../src/state/sqlite-backend.js';
import type { AssetRecord } from '../../src/state/types.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { makeRecord } from './make-record.js';

const DISPLAY_URL = 'sqlite://state.sqlite';

/**
 * Called as each transaction starts (1, 2, …) and after its changes are made, still inside it:
 * may wait (to hold the transaction open) or throw (to make it fail and roll back).
 */
type TransactionHook = (index: number) => Promise<void> | void;

/** A store on a fresh SQLite file whose backend counts transactions and runs `hook` inside each. */
function openStore(t: TestContext, hook: TransactionHook = () => undefined) {
  const path = join(makeTempDir(t), 'state.sqlite');
  const backend = createSqliteBackend({ path, displayUrl: DISPLAY_URL, busyTimeoutMs: 5_000 });
  const counter = { transactions: 0 };
  const hooked = new Proxy(backend, {
    get(target, property: keyof StateBackend) {
      if (property !== 'transact') return target[property];
      return <T>(fn: (tx: BackendTransaction) => Promise<T>) => {
        const index = ++counter.transactions;
        return target.transact(async (tx) => {
          const result = await fn(tx);
          await hook(index);
          return result;
        });
      };
    },
  });
  const store = createKeyvStateStore(hooked, DISPLAY_URL);
  t.after(() => store.close());
  const reopen = () => {
    const again = createKeyvStateStore(createSqliteBackend({ path, displayUrl: DISPLAY_URL, busyTimeoutMs: 5_000 }), DISPLAY_URL);
    t.after(() => again.close());
    return again;
  };
  return { store, counter, reopen };
}

/** A promise with its resolve, to hold a transaction open until the test lets it go. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const names = (store: KeyvStateStore) => store.read().then((state) => state.records.map((r) => r.name).sort());

test('50 concurrent writes: every record, serials 1..50 one each, in far fewer transactions', async (t) => {
  const { store, counter } = openStore(t);
  const records = Array.from({ length: 50 }, (_, i) => makeRecord({ name: `asset_${String(i).padStart(2, '0')}` }));
  const serials = await Promise.all(records.map((record) => store.putRecord(record)));
  assert.deepEqual(
    [...serials].sort((a, b) => a - b),
    Array.from({ length: 50 }, (_, i) => i + 1),
  );
  const state = await store.read();
  assert.equal(state.serial, 50);
  assert.deepEqual(state.records, records);
  assert.ok(counter.transactions >= 1 && counter.transactions < 50, `${counter.transactions} transactions`);
});

test('writes made while a transaction runs go into the next one, in call order, each with its own serial', async (t) => {
  const first = gate();
  const held = gate();
  const { store, counter } = openStore(t, async (index) => {
    if (index !== 1) return;
    first.open();
    await held.opened;
  });
  const a = store.putRecord(makeRecord({ name: 'a' }));
  await first.opened; // the first transaction is running and holds its change
  const later = [
    store.putRecord(makeRecord({ name: 'b', size: 1 })),
    store.removeRecord(makeRecord().pageId, 'a'),
    store.putRecord(makeRecord({ name: 'b', size: 2 })),
    store.putRecord(makeRecord({ name: 'c' })),
  ];
  held.open();
  assert.equal(await a, 1);
  assert.deepEqual(await Promise.all(later), [2, 3, 4, 5]);
  assert.equal(counter.transactions, 2);
  const state = await store.read();
  assert.equal(state.serial, 5);
  // Applied in call order: 'a' removed after it was written, the second 'b' replaced the first.
  assert.deepEqual(
    state.records.map((r) => [r.name, r.size]),
    [['b', 2], ['c', 1024]],
  );
});

test('a failed transaction rejects every write in it, writes none of them, and later writes go on', async (t) => {
  const first = gate();
  const held = gate();
  const failure = new Error('disk on fire');
  const { store, counter } = openStore(t, async (index) => {
    if (index === 1) {
      first.open();
      await held.opened;
    }
    if (index === 2) throw failure; // after its changes were made: the rollback must undo them
  });
  const a = store.putRecord(makeRecord({ name: 'a' }));
  await first.opened;
  const doomed = ['b', 'c', 'd'].map((name) => store.putRecord(makeRecord({ name })));
  held.open();
  assert.equal(await a, 1);
  for (const write of doomed) await assert.rejects(write, (error) => error === failure);
  assert.equal(counter.transactions, 2);
  assert.deepEqual(await store.read().then((s) => [s.serial, s.records.map((r) => r.name)]), [1, ['a']]);

  assert.equal(await store.putRecord(makeRecord({ name: 'e' })), 2);
  assert.deepEqual(await names(store), ['a', 'e']);
});

test('in a burst where one transaction fails, exactly the writes it held are lost, and serials stay one each', async (t) => {
  const failure = new Error('lock timeout');
  const { store } = openStore(t, (index) => {
    if (index === 1) throw failure;
  });
  const records = Array.from({ length: 20 }, (_, i) => makeRecord({ name: `asset_${String(i).padStart(2, '0')}` }));
  const outcomes = await Promise.allSettled(records.map((record) => store.putRecord(record)));
  const written = records.filter((_, i) => outcomes[i].status === 'fulfilled').map((r) => r.name);
  const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  assert.ok(rejected.length >= 1);
  for (const outcome of rejected) assert.equal(outcome.reason, failure);
  const serials = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : [])).sort((a, b) => a - b);
  assert.deepEqual(
    serials,
    written.map((_, i) => i + 1),
  );
  assert.deepEqual(await names(store), written);
  assert.equal(await store.putRecord(makeRecord({ name: 'after' })), written.length + 1);
});

test('a bad record in a burst rejects alone with its TypeError; the others are written', async (t) => {
  const { store } = openStore(t);
  const bad = { ...makeRecord({ name: 'bad' }), size: '1024' } as unknown as AssetRecord;
  const outcomes = await Promise.allSettled([
    store.putRecord(makeRecord({ name: 'one' })),
    store.putRecord(bad),
    store.putRecord(makeRecord({ name: 'two' })),
  ]);
  assert.equal(outcomes[1].status, 'rejected');
  assert.ok(outcomes[1].reason instanceof TypeError);
  assert.match(outcomes[1].reason.message, /^putRecord: not a record/);
  const serials = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  assert.deepEqual(serials.sort(), [1, 2]);
  assert.deepEqual(await names(store), ['one', 'two']);
  assert.equal((await store.read()).serial, 2);
});

test('replaceState runs after the writes already made, never between its read and its write', async (t) => {
  const { store } = openStore(t);
  const pending = [store.putRecord(makeRecord({ name: 'x' })), store.putRecord(makeRecord({ name: 'y' }))];
  const snapshot = { lineage: '6f1d0c1e-4d0b-4c4e-9d6a-0c2f3b7a9e11', serial: 10, records: [makeRecord({ name: 'kept' })] };
  await store.replaceState(snapshot);
  assert.deepEqual((await Promise.all(pending)).sort(), [1, 2]);
  assert.deepEqual(await store.read(), snapshot);
  assert.equal(await store.putRecord(makeRecord({ name: 'next' })), 11);
});

test('close waits for the writes already made; a write after close is refused and writes nothing', async (t) => {
  const { store, reopen } = openStore(t);
  const pending = ['a', 'b', 'c'].map((name) => store.putRecord(makeRecord({ name })));
  const closing = store.close();
  await assert.rejects(store.putRecord(makeRecord({ name: 'late' })), /putRecord: state sqlite:\/\/state\.sqlite is closed/);
  await assert.rejects(store.removeRecord(makeRecord().pageId, 'a'), /removeRecord: .* is closed/);
  assert.deepEqual((await Promise.all(pending)).sort(), [1, 2, 3]);
  await closing;
  const state = await reopen().read();
  assert.equal(state.serial, 3);
  assert.deepEqual(
    state.records.map((r) => r.name),
    ['a', 'b', 'c'],
  );
});
