// The state store over any backend: records, the serial every write bumps, the lineage made by
// the first write, and the lock. A record never holds a token: only AssetRecord's typed fields
// are stored.
import { randomUUID } from 'node:crypto';
import { UserError } from '../user-error.js';
import type { StateBackend } from './backend.js';
import { createGroupCommit } from './group-commit.js';
import { acquireStateLock, forceUnlockState } from './state-lock.js';
import { checkRecord, isRecordKey, isStateMeta, META_KEY, pickRecordFields, recordKey, type StateMeta } from './state-keys.js';
import type { AssetRecord, HeldLock, StateSnapshot, StateStore } from './types.js';

/** The store as this stage builds it: the StateStore contract plus what `state migrate` needs. */
export interface KeyvStateStore extends StateStore {
  /**
   * Makes the state exactly `snapshot` — its lineage, its serial, its records and no others — in
   * one all-or-nothing write. Only for copying a state whole (`state migrate`), under its lock.
   */
  replaceState(snapshot: StateSnapshot): Promise<void>;
}

export function createKeyvStateStore(backend: StateBackend, displayUrl: string): KeyvStateStore {
  const held = new Set<HeldLock>();

  const corrupt = (key: string, problem: string) =>
    new UserError(`State ${displayUrl} holds a value that is not valid at "${key}": ${problem}.`, {
      hint: 'The state was damaged or edited by something other than attachform; restore it from a backup. Nothing was written.',
    });

  async function decode(key: string, raw: string): Promise<unknown> {
    try {
      return await backend.deserialize(raw);
    } catch {
      throw corrupt(key, 'not valid JSON');
    }
  }

  async function decodeMeta(raw: string | undefined): Promise<StateMeta | undefined> {
    if (raw === undefined) return undefined;
    const meta = await decode(META_KEY, raw);
    if (!isStateMeta(meta)) throw corrupt(META_KEY, 'expected {lineage, serial}');
    return meta;
  }

  /**
   * One all-or-nothing transaction for a batch of changes, in order: the serial goes up by one per
   * change, each change getting its own (the lineage is made by the first write ever).
   */
  function commitChanges(changes: RecordChange[]): Promise<number[]> {
    return backend.transact(async (tx) => {
      const meta = await decodeMeta(await tx.get(META_KEY));
      const base = meta?.serial ?? 0;
      for (const { key, record } of changes) {
        if (record) await tx.set(key, await backend.serialize(record));
        else await tx.delete(key);
      }
      const next: StateMeta = { lineage: meta?.lineage || randomUUID(), serial: base + changes.length };
      await tx.set(META_KEY, await backend.serialize(next));
      return changes.map((_, i) => base + i + 1);
    });
  }

  // Writes made while a transaction runs are committed together in the next one (group-commit.ts).
  const writes = createGroupCommit(commitChanges);
  let closed = false;

  /** A write after close() would reopen the backend outside any lock: it is a bug, so refuse it. */
  function refuseIfClosed(operation: string): void {
    if (closed) throw new Error(`${operation}: state ${displayUrl} is closed; nothing was written`);
  }

  return {
    displayUrl,

    async read(): Promise<StateSnapshot> {
      const entries = await backend.readEntries();
      let meta: StateMeta | undefined;
      const records: AssetRecord[] = [];
      for (const { key, value } of entries) {
        if (key === META_KEY) meta = await decodeMeta(value);
        else if (isRecordKey(key)) {
          const record = await decode(key, value);
          const problems = checkRecord(record);
          if (problems.length > 0) throw corrupt(key, problems.join(', '));
          records.push(record as AssetRecord);
        }
      }
      records.sort((a, b) => compare(a.pageId, b.pageId) || compare(a.name, b.name));
      return { lineage: meta?.lineage ?? '', serial: meta?.serial ?? 0, records };
    },

    async putRecord(record) {
      refuseIfClosed('putRecord');
      const problems = checkRecord(record);
      if (problems.length > 0) throw new TypeError(`putRecord: not a record (${problems.join(', ')})`);
      const stored = pickRecordFields(record);
      // Queued before any await, so changes apply in the order the calls were made.
      return writes.write({ key: recordKey(stored.pageId, stored.name), record: stored });
    },

    async removeRecord(pageId, name) {
      refuseIfClosed('removeRecord');
      return writes.write({ key: recordKey(pageId, name) });
    },

    async replaceState(snapshot) {
      refuseIfClosed('replaceState');
      if (snapshot.lineage === '' || !isStateMeta(snapshot) || snapshot.serial < 1) {
        throw new TypeError('replaceState: a snapshot of a written state (lineage, serial ≥ 1) is needed');
      }
      const stored = snapshot.records.map((record) => {
        const problems = checkRecord(record);
        if (problems.length > 0) throw new TypeError(`replaceState: not a record (${problems.join(', ')})`);
        return pickRecordFields(record);
      });
      // Alone: after the writes already made (so none lands between the read and the transaction)
      // and before later ones. The caller holds the lock, so no other process writes meanwhile.
      await writes.runAlone(async () => {
        const existing = (await backend.readEntries()).filter(({ key }) => isRecordKey(key));
        await backend.transact(async (tx) => {
          for (const { key } of existing) await tx.delete(key);
          for (const record of stored) await tx.set(recordKey(record.pageId, record.name), await backend.serialize(record));
          const meta: StateMeta = { lineage: snapshot.lineage, serial: snapshot.serial };
          await tx.set(META_KEY, await backend.serialize(meta));
        });
      });
    },

    acquireLock(options) {
      return acquireStateLock(backend, displayUrl, options, (lock) => {
        held.add(lock);
        return () => held.delete(lock);
      });
    },

    forceUnlock(lockId) {
      return forceUnlockState(backend, displayUrl, lockId);
    },

    async close() {
      // Writes already made still commit (and under the lock, released only after them).
      closed = true;
      await writes.runAlone(async () => {
        await Promise.allSettled([...held].map((lock) => lock.release()));
        await backend.close();
      });
    },
  };
}

/** One queued write: `key` set to `record`, or deleted when there is no record. */
interface RecordChange {
  key: string;
  record?: AssetRecord;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
