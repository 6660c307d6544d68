// What a state backend provides: a key/value table of keyv-serialised strings with one-round-trip
// reads, transactions, and compare-and-set on single keys (for the lock). Everything above this —
// records, serial, lineage, the lock protocol — lives in keyv-state-store.ts and state-lock.ts,
// so each backend (sqlite, postgres, redis) is one file implementing this interface.

/** Raw entry: `key` without the namespace prefix, `value` as keyv serialised it. */
export interface RawEntry {
  key: string;
  value: string;
}

export interface BackendTransaction {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface StateBackend {
  /** Every entry of this state, in one round trip. */
  readEntries(): Promise<RawEntry[]>;
  /** Runs `fn` in one transaction: either all its writes land or none do. */
  transact<T>(fn: (tx: BackendTransaction) => Promise<T>): Promise<T>;
  get(key: string): Promise<string | undefined>;
  /**
   * Writes `value` only when `key` is absent; true when written. `expireAfterMs`, when given, lets a
   * backend with native expiry (Redis) drop the entry by itself after that long; others ignore it.
   */
  insertIfAbsent(key: string, value: string, expireAfterMs?: number): Promise<boolean>;
  /** Replaces the value only when it is still exactly `expected`; true when replaced. `expireAfterMs` as above. */
  replaceIf(key: string, expected: string, value: string, expireAfterMs?: number): Promise<boolean>;
  /** Deletes the key only when its value is still exactly `expected`; true when deleted. */
  deleteIf(key: string, expected: string): Promise<boolean>;
  /** keyv's serialisation of a value (`{"value": …}`), so keyv itself can read what we write. */
  serialize(value: unknown): Promise<string>;
  /** The inverse of serialize; throws on text that is not keyv JSON. */
  deserialize(text: string): Promise<unknown>;
  close(): Promise<void>;
}
