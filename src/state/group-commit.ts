// Group commit for state writes. A backend pays per transaction (SQLite: BEGIN, read the meta,
// write, COMMIT, each a round trip on its one connection), not per change, so writes made while a
// transaction runs wait for it and then all go, in call order, into one next transaction. A write
// made when nothing runs starts its transaction at once (no timers: on the next microtask, so only
// the rest of the same synchronous burst joins it). Each write still settles only with the
// transaction that holds it: resolved once committed, rejected with its error otherwise.
import { createSerialQueue } from './serial-queue.js';

export interface GroupCommit<C, R> {
  /** Adds `change` to the next transaction; resolves with its own result once that one committed. */
  write(change: C): Promise<R>;
  /** Runs `fn` after every write made so far has settled, and before any write made later starts. */
  runAlone<T>(fn: () => Promise<T>): Promise<T>;
}

interface Waiting<C, R> {
  change: C;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * `commit` applies its changes, in order, in one all-or-nothing transaction and returns one result
 * per change (same order).
 */
export function createGroupCommit<C, R>(commit: (changes: C[]) => Promise<R[]>): GroupCommit<C, R> {
  // Transactions (and runAlone's functions) one after another, in the order they were scheduled.
  const schedule = createSerialQueue();
  // The batch scheduled but not started yet: new writes join it until it starts.
  let open: Array<Waiting<C, R>> | undefined;

  async function commitBatch(batch: Array<Waiting<C, R>>): Promise<void> {
    if (open === batch) open = undefined; // it is closed now: later writes form the next batch
    try {
      const results = await commit(batch.map((waiting) => waiting.change));
      batch.forEach((waiting, i) => waiting.resolve(results[i]));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error); // one transaction: none of it landed
    }
  }

  return {
    write(change) {
      return new Promise<R>((resolve, reject) => {
        if (open) {
          open.push({ change, resolve, reject });
          return;
        }
        const batch = [{ change, resolve, reject }];
        open = batch;
        void schedule(() => commitBatch(batch));
      });
    },

    runAlone(fn) {
      open = undefined; // writes made from now on go after fn
      return schedule(fn);
    },
  };
}
