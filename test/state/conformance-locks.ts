// The lock half of the conformance suite: taken, refused with the holder's details, waited for,
// taken over from a killed process, broken by id, and contended by two real processes.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyvStateStore } from '../../src/state/keyv-state-store.js';
import { LockHeldError } from '../../src/state/open-state.js';
import type { LockInfo } from '../../src/state/types.js';
import { UserError } from '../../src/user-error.js';
import { repoRoot } from '../helpers/paths.js';
import type { StateTarget } from './conformance.js';

const childScript = join(repoRoot, 'dist', 'test', 'state', 'state-child.js');
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Setup = (t: TestContext) => Promise<{ target: StateTarget; store: KeyvStateStore; again: () => Promise<KeyvStateStore> }>;

export function defineLockConformance(name: string, test: (title: string, fn: (t: TestContext) => Promise<void>) => void, setup: Setup): void {
  test(`${name}: the lock is taken, refused to a second holder with its details, and released`, async (t) => {
    const { store, again } = await setup(t);
    const lock = await store.acquireLock({ operation: 'apply', timeoutMs: 0 });
    assert.match(lock.info.id, UUID);
    assert.equal(lock.info.operation, 'apply');
    assert.equal(lock.info.pid, process.pid);
    assert.ok(lock.info.who.length > 0 && lock.info.host.length > 0);
    assert.ok(!Number.isNaN(Date.parse(lock.info.since)));

    const other = await again();
    const refused = await other.acquireLock({ operation: 'state rm', timeoutMs: 0 }).then(
      () => assert.fail('a second holder got the lock'),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof LockHeldError && refused instanceof UserError);
    assert.deepEqual(refused.holder, lock.info);
    for (const part of [lock.info.id, lock.info.who, lock.info.host, String(lock.info.pid), lock.info.since]) {
      assert.ok(refused.message.includes(part), `message names ${part}: ${refused.message}`);
    }
    assert.match(refused.hint ?? '', /--lock-timeout/);
    assert.ok(refused.hint?.includes(`attachform force-unlock ${lock.info.id}`));

    await lock.release();
    await lock.release(); // idempotent
    const next = await other.acquireLock({ operation: 'state rm', timeoutMs: 0 });
    assert.notEqual(next.info.id, lock.info.id);
    await next.release();
  });

  test(`${name}: a waiting acquire gets the lock once the holder releases it`, async (t) => {
    const { store, again } = await setup(t);
    const first = await store.acquireLock({ operation: 'apply', timeoutMs: 0 });
    const other = await again();
    const seen: LockInfo[] = [];
    const second = await other.acquireLock({
      operation: 'apply',
      timeoutMs: 120_000,
      onWait: (holder) => {
        seen.push(holder);
        void first.release();
      },
    });
    assert.deepEqual(seen, [first.info]);
    assert.notEqual(second.info.id, first.info.id);
    await second.release();
  });

  test(`${name}: a lock whose holder was killed is taken over once stale`, async (t) => {
    const { store, target } = await setup(t);
    const staleAfterMs = 500;
    const child = spawnChild(t, ['hold', target.url, target.baseDir, String(staleAfterMs)]);
    const held = JSON.parse(await firstLine(child)) as LockInfo;
    assert.equal(held.pid, child.pid);
    child.kill('SIGKILL');
    await once(child, 'exit');

    const taken: LockInfo[] = [];
    const lock = await store.acquireLock({
      operation: 'apply',
      timeoutMs: 120_000,
      staleAfterMs,
      onTakeover: (previous) => taken.push(previous),
    });
    assert.equal(taken.length, 1);
    assert.equal(taken[0].id, held.id);
    assert.equal(taken[0].pid, held.pid);
    assert.notEqual(lock.info.id, held.id);
    await lock.release();
  });

  test(`${name}: force-unlock breaks only the lock with that id`, async (t) => {
    const { store, again } = await setup(t);
    await assert.rejects(store.forceUnlock('00000000-0000-0000-0000-000000000000'), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /not locked/);
      return true;
    });
    const lock = await store.acquireLock({ operation: 'apply', timeoutMs: 0 });
    const other = await again();
    await assert.rejects(other.forceUnlock('00000000-0000-0000-0000-000000000000'), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.ok(error.message.includes(lock.info.id), error.message);
      return true;
    });
    await other.forceUnlock(lock.info.id);
    const next = await other.acquireLock({ operation: 'apply', timeoutMs: 0 });
    await lock.release(); // the broken holder's release must not free the new holder's lock
    await assert.rejects(store.acquireLock({ operation: 'apply', timeoutMs: 0 }), (error: unknown) => {
      assert.ok(error instanceof LockHeldError);
      assert.equal(error.holder.id, next.info.id);
      return true;
    });
    await next.release();
  });

  test(`${name}: two processes contending take turns under the lock and lose no write`, async (t) => {
    const { store, target } = await setup(t);
    const iterations = 15;
    const children = [0, 1].map(() => spawnChild(t, ['count', target.url, target.baseDir, String(iterations)]));
    const results = await Promise.all(
      children.map(async (child) => {
        const line = await firstLine(child);
        const [code] = (await once(child, 'exit')) as [number | null];
        assert.equal(code, 0);
        return JSON.parse(line) as { violations: number };
      }),
    );
    assert.deepEqual(results, [{ violations: 0 }, { violations: 0 }]);
    const state = await store.read();
    assert.equal(state.serial, 2 * iterations * 3);
    assert.deepEqual(
      state.records.map((r) => [r.name, r.size]),
      [['counter', 2 * iterations]],
    );
  });

  test(`${name}: two processes writing at once lose no write, and every write gets its own serial`, async (t) => {
    const { store, target } = await setup(t);
    const iterations = 40;
    const children = [0, 1].map(() => spawnChild(t, ['write', target.url, target.baseDir, String(iterations)]));
    const serials = (
      await Promise.all(
        children.map(async (child) => {
          const line = await firstLine(child);
          const [code] = (await once(child, 'exit')) as [number | null];
          assert.equal(code, 0);
          return (JSON.parse(line) as { serials: number[] }).serials;
        }),
      )
    ).flat();
    assert.deepEqual(
      serials.sort((a, b) => a - b),
      Array.from({ length: 2 * iterations }, (_, i) => i + 1),
    );
    const state = await store.read();
    assert.equal(state.serial, 2 * iterations);
    assert.equal(state.records.length, 2 * iterations);
  });
}

function spawnChild(t: TestContext, args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [childScript, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) process.stderr.write(`state child failed (${code}): ${stderr}\n`);
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

async function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) return line;
  throw new Error('the child printed nothing');
}
