// A StateBackend whose module (and its driver) loads on first use rather than when the state is
// opened. Opening a state is then instant, so `plan` starts its hash workers first and the main
// thread loads sqlite3 (~40 ms, a native addon) while they boot on the other cores. Calls made
// before the load finishes wait for it and run in the order they were made.
import type { StateBackend } from './backend.js';

export function deferBackend(load: () => Promise<StateBackend>): StateBackend {
  let loading: Promise<StateBackend> | undefined;
  const backend = () => (loading ??= load());
  return {
    readEntries: async () => (await backend()).readEntries(),
    transact: async (fn) => (await backend()).transact(fn),
    get: async (key) => (await backend()).get(key),
    insertIfAbsent: async (key, value, expireAfterMs) => (await backend()).insertIfAbsent(key, value, expireAfterMs),
    replaceIf: async (key, expected, value, expireAfterMs) => (await backend()).replaceIf(key, expected, value, expireAfterMs),
    deleteIf: async (key, expected) => (await backend()).deleteIf(key, expected),
    serialize: async (value) => (await backend()).serialize(value),
    deserialize: async (text) => (await backend()).deserialize(text),
    // Never loaded: nothing to close. A load that failed was reported to the calls that met it.
    close: async () => {
      if (!loading) return;
      const loaded = await loading.catch(() => undefined);
      await loaded?.close();
    },
  };
}
