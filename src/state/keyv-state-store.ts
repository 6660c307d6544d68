// The state store over any backend: records, the serial every write bumps, the lineage made by
// the first write, and the lock. A record never holds a token: only AssetRecord's typed fields
// are stored.
import { randomUUID } from 'node:crypto';
import { UserError } from '../user-error.js';
import type { StateBackend } from './backend.js';
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

  /** One all-or-nothing write: `change` plus the serial bump (and the lineage, on the first write). */
  function write(change: (tx: { set(key: string, value: unknown): Promise<void>; delete(key: string): Promise<void> }) => Promise<void>) {
    return backend.transact(async (tx) => {
      const meta = await decodeMeta(await tx.get(META_KEY));
      const next: StateMeta = { lineage: meta?.lineage || randomUUID(), serial: (meta?.serial ?? 0) + 1 };
      await change({
        set: async (key, value) => tx.set(key, await backend.serialize(value)),
        delete: (key) => tx.delete(key),
      });
      await tx.set(META_KEY, await backend.serialize(next));
      return next.serial;
    });
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
      const problems = checkRecord(record);
      if (problems.length > 0) throw new TypeError(`putRecord: not a record (${problems.join(', ')})`);
      const stored = pickRecordFields(record);
      return write((tx) => tx.set(recordKey(stored.pageId, stored.name), stored));
    },

    removeRecord(pageId, name) {
      return write((tx) => tx.delete(recordKey(pageId, name)));
    },

    async replaceState(snapshot) {
      if (snapshot.lineage === '' || !isStateMeta(snapshot) || snapshot.serial < 1) {
        throw new TypeError('replaceState: a snapshot of a written state (lineage, serial ≥ 1) is needed');
      }
      const stored = snapshot.records.map((record) => {
        const problems = checkRecord(record);
        if (problems.length > 0) throw new TypeError(`replaceState: not a record (${problems.join(', ')})`);
        return pickRecordFields(record);
      });
      // The caller holds the lock, so no record appears between this read and the write.
      const existing = (await backend.readEntries()).filter(({ key }) => isRecordKey(key));
      await backend.transact(async (tx) => {
        for (const { key } of existing) await tx.delete(key);
        for (const record of stored) await tx.set(recordKey(record.pageId, record.name), await backend.serialize(record));
        const meta: StateMeta = { lineage: snapshot.lineage, serial: snapshot.serial };
        await tx.set(META_KEY, await backend.serialize(meta));
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
      await Promise.allSettled([...held].map((lock) => lock.release()));
      await backend.close();
    },
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
