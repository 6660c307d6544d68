// The store reads the whole state in one backend call, never one per record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { StateBackend } from '../../src/state/backend.js';
import { createKeyvStateStore } from '../../src/state/keyv-state-store.js';
import { createSqliteBackend } from '../../src/state/sqlite-backend.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { makeRecord } from './make-record.js';

test('read() is one batch whatever the number of records', async (t) => {
  const backend = createSqliteBackend({ path: join(makeTempDir(t), 'state.sqlite'), displayUrl: 'sqlite://state.sqlite', busyTimeoutMs: 5_000 });
  const calls: string[] = [];
  const counted = new Proxy(backend, {
    get(target, property: keyof StateBackend) {
      const value = target[property];
      if (typeof value !== 'function' || ['serialize', 'deserialize'].includes(property)) return value;
      return (...args: unknown[]) => {
        calls.push(property);
        return (value as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
  const store = createKeyvStateStore(counted, 'sqlite://state.sqlite');
  t.after(() => store.close());
  await Promise.all(Array.from({ length: 300 }, (_, i) => store.putRecord(makeRecord({ name: `a${i}` }))));
  calls.length = 0;
  const state = await store.read();
  assert.equal(state.records.length, 300);
  assert.deepEqual(calls, ['readEntries']);
});
