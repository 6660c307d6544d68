// Copying a state whole to another backend (`attachform state migrate`): the lineage, the serial
// and every record, so plans saved against the old state stay valid against the new one. Both
// locks are held throughout; a target that already holds a state is refused unless `force`; the
// copy is read back and compared before it is reported done.
import { isDeepStrictEqual } from 'node:util';
import { UserError } from '../user-error.js';
import type { KeyvStateStore } from './keyv-state-store.js';
import { openKeyvState } from './open-state.js';
import { parseStateUrl } from './state-url.js';
import type { LockInfo, LockOptions, StateSnapshot } from './types.js';

export interface MigrateStateOptions {
  /** Replace a target that already holds a state. */
  force?: boolean;
  /** How long to wait for either lock; 0 fails at once. */
  lockTimeoutMs: number;
  /** Told when a lock is held by someone else and we start waiting (per state). */
  onWait?: (holder: LockInfo, displayUrl: string) => void;
  /** Told when an abandoned lock was taken over (per state). */
  onTakeover?: (previous: LockInfo, displayUrl: string) => void;
}

export interface MigrateStateResult {
  from: string;
  to: string;
  lineage: string;
  serial: number;
  records: number;
  /** What the target held before, when `force` replaced it. */
  replaced?: { lineage: string; serial: number; records: number };
}

/** Opens both states by URL (sqlite paths relative to baseDir), copies, verifies and closes them. */
export async function migrateState(fromUrl: string, toUrl: string, options: MigrateStateOptions & { baseDir: string }): Promise<MigrateStateResult> {
  if (isSameState(fromUrl, toUrl, options.baseDir)) {
    throw new UserError('The state to migrate to is the state to migrate from.', { hint: 'Give --to the URL of another state (e.g. postgres://… or redis://…).' });
  }
  const from = await openKeyvState(fromUrl, { baseDir: options.baseDir });
  try {
    const to = await openKeyvState(toUrl, { baseDir: options.baseDir });
    try {
      return await copyState(from, to, options);
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}

/** The copy itself, on open stores. */
export async function copyState(from: KeyvStateStore, to: KeyvStateStore, options: MigrateStateOptions): Promise<MigrateStateResult> {
  const lockOptions = (store: KeyvStateStore): LockOptions => ({
    operation: 'state migrate',
    timeoutMs: options.lockTimeoutMs,
    onWait: (holder) => options.onWait?.(holder, store.displayUrl),
    onTakeover: (previous) => options.onTakeover?.(previous, store.displayUrl),
  });
  const sourceLock = await from.acquireLock(lockOptions(from));
  try {
    const targetLock = await to.acquireLock(lockOptions(to));
    try {
      const source = await from.read();
      if (source.serial === 0) {
        throw new UserError(`State ${from.displayUrl} has never been written: there is nothing to migrate.`, {
          hint: 'Check which state is the source: --from, else --state, ATTACHFORM_STATE or `state:` in the manifest.',
        });
      }
      const before = await to.read();
      const targetHoldsState = before.serial > 0 || before.records.length > 0;
      if (targetHoldsState && !options.force) {
        throw new UserError(`State ${to.displayUrl} is not empty (${describe(before)}); migrate will not overwrite it.`, {
          hint: `Migrate to an empty state, or replace this one with a copy of ${from.displayUrl} by adding --force.`,
        });
      }
      await to.replaceState(source);
      const copy = await to.read();
      if (!isDeepStrictEqual(copy, source)) {
        throw new UserError(`The copy in ${to.displayUrl} does not match ${from.displayUrl}: ${differences(source, copy)}.`, {
          hint: `${from.displayUrl} is unchanged; keep using it, and check what else writes to ${to.displayUrl}.`,
        });
      }
      return {
        from: from.displayUrl,
        to: to.displayUrl,
        lineage: source.lineage,
        serial: source.serial,
        records: source.records.length,
        ...(targetHoldsState ? { replaced: { lineage: before.lineage, serial: before.serial, records: before.records.length } } : {}),
      };
    } finally {
      await targetLock.release();
    }
  } finally {
    await sourceLock.release();
  }
}

/** Whether two state URLs name the same state (the same file, or the same server and database). */
export function isSameState(a: string, b: string, baseDir: string): boolean {
  const [x, y] = [parseStateUrl(a, baseDir), parseStateUrl(b, baseDir)];
  if (x.scheme === 'sqlite' || y.scheme === 'sqlite') return x.scheme === y.scheme && 'path' in x && 'path' in y && x.path === y.path;
  if (x.scheme !== y.scheme) return false;
  const where = (url: string) => {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port}${parsed.pathname.replace(/\/$/, '')}`;
  };
  return where(x.url) === where(y.url);
}

function describe(state: StateSnapshot): string {
  return `lineage ${state.lineage || '(none)'}, serial ${state.serial}, ${state.records.length} record${state.records.length === 1 ? '' : 's'}`;
}

function differences(expected: StateSnapshot, actual: StateSnapshot): string {
  const found: string[] = [];
  if (actual.lineage !== expected.lineage) found.push(`lineage ${actual.lineage} instead of ${expected.lineage}`);
  if (actual.serial !== expected.serial) found.push(`serial ${actual.serial} instead of ${expected.serial}`);
  const key = (r: { pageId: string; name: string }) => `${r.pageId}/${r.name}`;
  const copied = new Map(actual.records.map((r) => [key(r), r]));
  const missing = expected.records.filter((r) => !copied.has(key(r))).length;
  const extra = actual.records.length - (expected.records.length - missing);
  const changed = expected.records.filter((r) => copied.has(key(r)) && !isDeepStrictEqual(copied.get(key(r)), r)).length;
  if (missing > 0) found.push(`${missing} record(s) missing`);
  if (extra > 0) found.push(`${extra} record(s) extra`);
  if (changed > 0) found.push(`${changed} record(s) differ`);
  return found.join(', ') || 'the records differ';
}
