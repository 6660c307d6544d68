// The state lock (SPEC §5) over any backend's compare-and-set: taken by inserting the lock key only
// when absent; renewed by its holder every staleAfterMs/4; a lock not renewed for staleAfterMs is
// abandoned and taken over by replacing it only if it is still exactly the value we judged stale
// (same id, same renewedAt). Timing uses the real wall clock, never ATTACHFORM_NOW.
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../user-error.js';
import type { StateBackend } from './backend.js';
import { LockHeldError } from './lock-held-error.js';
import { isLockInfo, LOCK_KEY } from './state-keys.js';
import type { HeldLock, LockInfo, LockOptions } from './types.js';

export const DEFAULT_STALE_AFTER_MS = 60_000;
/**
 * On a backend with native expiry (Redis) the lock entry also expires by itself this long after it
 * was last renewed — well after it is judged stale, so a waiting command still sees the holder and
 * takes over with a warning; the expiry only clears up a lock nobody came back for.
 */
const EXPIRY_AFTER_STALE_MS = 60_000;
const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 1_000;

export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

/** The current lock, or undefined when none is held. */
export async function readLock(backend: StateBackend, displayUrl: string): Promise<{ info: LockInfo; raw: string } | undefined> {
  const raw = await backend.get(LOCK_KEY);
  if (raw === undefined) return undefined;
  let info: unknown;
  try {
    info = await backend.deserialize(raw);
  } catch {
    info = undefined;
  }
  if (!isLockInfo(info)) {
    throw new UserError(`State ${displayUrl} holds a lock entry that is not valid.`, {
      hint: 'The state was edited by something other than attachform; restore it from a backup.',
    });
  }
  return { info, raw };
}

export async function acquireStateLock(
  backend: StateBackend,
  displayUrl: string,
  options: LockOptions,
  onHeld: (lock: HeldLock) => () => void,
): Promise<HeldLock> {
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const expireAfterMs = staleAfterMs + EXPIRY_AFTER_STALE_MS;
  const deadline = Date.now() + Math.max(0, options.timeoutMs);
  let pollMs = FIRST_POLL_MS;
  let told = false;
  for (;;) {
    const now = new Date().toISOString();
    const info: LockInfo = {
      id: randomUUID(),
      operation: options.operation,
      who: currentUser(),
      host: hostname(),
      pid: process.pid,
      since: now,
      renewedAt: now,
    };
    const raw = await backend.serialize(info);
    if (await backend.insertIfAbsent(LOCK_KEY, raw, expireAfterMs)) return holdLock(backend, info, raw, staleAfterMs, onHeld);
    const current = await readLock(backend, displayUrl);
    if (!current) continue; // released between our insert and our read
    const renewedAt = Date.parse(current.info.renewedAt);
    const staleAt = Number.isNaN(renewedAt) ? 0 : renewedAt + staleAfterMs;
    if (Date.now() >= staleAt) {
      if (await backend.replaceIf(LOCK_KEY, current.raw, raw, expireAfterMs)) {
        options.onTakeover?.(current.info);
        return holdLock(backend, info, raw, staleAfterMs, onHeld);
      }
      continue; // renewed or taken by someone else meanwhile: look again
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new LockHeldError(current.info, displayUrl);
    if (!told) {
      told = true;
      options.onWait?.(current.info);
    }
    await sleep(Math.max(1, Math.min(pollMs, remaining, staleAt - Date.now())));
    pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
  }
}

function holdLock(
  backend: StateBackend,
  info: LockInfo,
  raw: string,
  staleAfterMs: number,
  onHeld: (lock: HeldLock) => () => void,
): HeldLock {
  let current = raw;
  let renewing: Promise<void> | undefined;
  let releasing: Promise<void> | undefined;

  const renew = async () => {
    try {
      const next = await backend.serialize({ ...info, renewedAt: new Date().toISOString() });
      if (await backend.replaceIf(LOCK_KEY, current, next, staleAfterMs + EXPIRY_AFTER_STALE_MS)) current = next;
      else clearInterval(timer); // broken by force-unlock or taken over: nothing left to renew
    } catch {
      // A busy or briefly unreachable store: try again at the next tick.
    }
  };
  const timer = setInterval(() => {
    renewing ??= renew().finally(() => (renewing = undefined));
  }, Math.max(1, Math.floor(staleAfterMs / 4)));
  timer.unref();

  const lock: HeldLock = {
    info,
    async stillHeld() {
      if (releasing) return false;
      const raw = await backend.get(LOCK_KEY);
      const now = raw === undefined ? undefined : await backend.deserialize(raw).catch(() => undefined);
      return isLockInfo(now) && now.id === info.id;
    },
    release() {
      releasing ??= (async () => {
        clearInterval(timer);
        forget();
        await renewing;
        await backend.deleteIf(LOCK_KEY, current);
      })();
      return releasing;
    },
  };
  const forget = onHeld(lock);
  return lock;
}

export async function forceUnlockState(backend: StateBackend, displayUrl: string, lockId: string): Promise<void> {
  for (;;) {
    const current = await readLock(backend, displayUrl);
    if (!current) {
      throw new UserError(`State ${displayUrl} is not locked; there is no lock ${lockId} to break.`);
    }
    if (current.info.id !== lockId) {
      const h = current.info;
      throw new UserError(
        `Lock ${lockId} is not the lock held on state ${displayUrl}: that is ${h.id}, held by ${h.who} on ${h.host} ` +
          `(pid ${h.pid}) since ${h.since} for "${h.operation}".`,
        { hint: 'Check the lock id in the error that named the holder.' },
      );
    }
    if (await backend.deleteIf(LOCK_KEY, current.raw)) return;
    // Renewed between our read and the delete: read again (the id still decides).
  }
}
