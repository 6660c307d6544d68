// The state stage: one store per state URL, holding a record per (page id, asset name), a lineage
// and serial, and the lock (SPEC §3, §5). The backend is chosen by the URL's scheme; each backend
// is one file implementing backend.ts's StateBackend, everything else is shared.
import { createKeyvStateStore } from './keyv-state-store.js';
import { createSqliteBackend } from './sqlite-backend.js';
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

/** Opens (lazily: nothing is created until the first write or lock) the state at `url`. */
export async function openState(url: string, options: OpenStateOptions): Promise<StateStore> {
  const target = parseStateUrl(url, options.baseDir);
  const displayUrl = redactStateUrl(url);
  switch (target.scheme) {
    case 'sqlite':
      return createKeyvStateStore(
        createSqliteBackend({ path: target.path, displayUrl, busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS }),
        displayUrl,
      );
    default:
      // parseStateUrl refuses the schemes no backend implements yet.
      throw new Error(`no backend for ${target.scheme}`);
  }
}
