// The state stage: one store per state URL, holding a record per (page id, asset name), a lineage
// and serial, and the lock (SPEC §3, §5). The backend is chosen by the URL's scheme — sqlite:// (a
// file), postgres:// and redis:// (shared by a team's runners); each backend is one file
// implementing backend.ts's StateBackend, everything else is shared.
import type { StateBackend } from './backend.js';
import { deferBackend } from './deferred-backend.js';
import { createKeyvStateStore, type KeyvStateStore } from './keyv-state-store.js';
import { parseStateUrl, redactStateUrl } from './state-url.js';
import type { StateStore } from './types.js';

export { LockHeldError } from './lock-held-error.js';
export { redactStateUrl } from './state-url.js';

export const DEFAULT_STATE_URL = 'sqlite://.attachform/state.sqlite';
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

export interface OpenStateOptions {
  /** Relative sqlite paths resolve against it: the manifest's folder. */
  baseDir: string;
  /** How long to wait for a state file another process is writing (SQLite's busy timeout). */
  busyTimeoutMs?: number;
}

/**
 * Opens the state at `url`. Nothing is created or connected until the first read, write or lock
 * (a SQLite file not even by a read; Postgres creates keyv's table on first connect).
 */
export async function openState(url: string, options: OpenStateOptions): Promise<StateStore> {
  return openKeyvState(url, options);
}

/** openState's store with the extras `state migrate` uses. */
export async function openKeyvState(url: string, options: OpenStateOptions): Promise<KeyvStateStore> {
  return createKeyvStateStore(await openStateBackend(url, options), redactStateUrl(url));
}

/**
 * The raw backend of a state URL (for the store, and for tests that need to reach under it). A bad
 * URL fails here; each backend's module (and its driver) loads only on first use (deferred-backend.ts),
 * and only when a URL asks for it: the Postgres and Redis clients alone cost every command ~150 ms of
 * start-up otherwise.
 */
export async function openStateBackend(url: string, options: OpenStateOptions): Promise<StateBackend> {
  const target = parseStateUrl(url, options.baseDir);
  const displayUrl = redactStateUrl(url);
  return deferBackend(async () => {
    switch (target.scheme) {
      case 'sqlite': {
        const { createSqliteBackend } = await import('./sqlite-backend.js');
        return createSqliteBackend({ path: target.path, displayUrl, busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
      }
      case 'postgres': {
        const { createPostgresBackend } = await import('./postgres-backend.js');
        return createPostgresBackend({ url: target.url, displayUrl });
      }
      case 'redis': {
        const { createRedisBackend } = await import('./redis-backend.js');
        return createRedisBackend({ url: target.url, displayUrl });
      }
    }
  });
}
