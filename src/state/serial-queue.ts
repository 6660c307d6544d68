// Runs async functions one at a time, in the order they were queued: what keeps one connection's
// statements (a transaction especially) from interleaving in each backend, and the state store's
// transactions in turn (group-commit.ts). No driver is imported here, so the store can use it
// before its backend loads.

/** Runs each queued function alone, after everything queued before it (failures don't stop the queue). */
/** Runs each queued function alone, after everything queued before it (failures don't stop the queue). */
export function createSerialQueue(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}
