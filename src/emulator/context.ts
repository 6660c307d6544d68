// Everything one running emulator holds, passed to the route handlers.
import type { Dispatcher } from 'undici';
import type { AttachmentStore } from './attachment-store.js';
import type { EmulatorClock } from './clock.js';
import type { EmulatorConfig } from './config.js';
import type { PageRegistry } from './pages.js';
import { createRandom, type Random } from './random.js';
import type { RateLimiter } from './rate-limiter.js';
import type { RequestLog } from './request-log.js';

export interface Randoms {
  /** Attachment and message ids. */
  ids: Random;
  /** Whether a call gets a transient 500, and which code. */
  faults: Random;
  /** fbtrace_id values. */
  traces: Random;
}

export interface EmulatorContext {
  config: EmulatorConfig;
  clock: EmulatorClock;
  randoms: Randoms;
  store: AttachmentStore;
  limiter: RateLimiter;
  pages: PageRegistry;
  log: RequestLog;
  fetchDispatcher: Dispatcher;
  /** Aborted when the emulator closes, cutting latency waits short. */
  closing: AbortSignal;
}

/** One independent generator per purpose, so (say) fault decisions don't depend on how many ids were made. */
export function seedRandoms(seed?: number): Randoms {
  if (seed === undefined) return { ids: createRandom(), faults: createRandom(), traces: createRandom() };
  return { ids: createRandom(seed), faults: createRandom(seed ^ 0x5bd1e995), traces: createRandom(seed ^ 0x27d4eb2f) };
}
