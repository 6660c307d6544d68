// A separate process working on a state, for the lock tests: `node state-child.js MODE URL BASEDIR …`.
//   hold STALE_MS        acquire the lock, print its info as one JSON line, then stay alive (to be killed)
//   count ITERATIONS     ITERATIONS times: lock, check nobody else is inside, bump the `counter` record, unlock
//   write ITERATIONS     without the lock, put ITERATIONS records named after this process
import { openState } from '../../src/state/open-state.js';
import type { AssetRecord, StateStore } from '../../src/state/types.js';
import { makeRecord } from './make-record.js';

const [mode, url, baseDir, arg] = process.argv.slice(2);
const store = await openState(url, { baseDir, busyTimeoutMs: 30_000 });

if (mode === 'hold') {
  const lock = await store.acquireLock({ operation: 'hold', timeoutMs: 0, staleAfterMs: Number(arg) });
  process.stdout.write(`${JSON.stringify(lock.info)}\n`);
  setInterval(() => undefined, 1_000); // stay alive until killed
} else if (mode === 'count') {
  let violations = 0;
  for (let i = 0; i < Number(arg); i++) violations += await countOnce(store);
  await store.close();
  process.stdout.write(`${JSON.stringify({ violations })}\n`);
} else if (mode === 'write') {
  const serials: number[] = [];
  for (let i = 0; i < Number(arg); i++) serials.push(await store.putRecord(makeRecord({ name: `p${process.pid}_${i}` })));
  await store.close();
  process.stdout.write(`${JSON.stringify({ serials })}\n`);
} else {
  throw new Error(`unknown mode ${mode}`);
}

async function countOnce(state: StateStore): Promise<number> {
  const lock = await state.acquireLock({ operation: 'count', timeoutMs: 120_000 });
  const find = (records: AssetRecord[], name: string) => records.find((r) => r.name === name);
  const before = await state.read();
  const violation = find(before.records, 'inside') ? 1 : 0;
  await state.putRecord(makeRecord({ name: 'inside', attachmentId: String(process.pid) }));
  const counter = find((await state.read()).records, 'counter');
  await state.putRecord(makeRecord({ name: 'counter', size: (counter?.size ?? 0) + 1 }));
  await state.removeRecord(makeRecord().pageId, 'inside');
  await lock.release();
  return violation;
}
