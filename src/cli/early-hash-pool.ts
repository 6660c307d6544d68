// When a plan will hash every local file — no stat cache yet (a fresh CI checkout) or --no-cache —
// the hash pool is started before the manifest is read: its worker (~25 ms to start) boots while this
// thread reads the manifest, instead of after (cold plan of 1 GiB ~10 ms sooner, BENCHMARKS.md). When
// the files turn out too few to pay for a pool, readLocalFiles closes it at once; a small first plan
// pays ~5 ms for the worker it did not need. A plan with a stat cache starts none here.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { statCacheFile } from '../plan/prepare-plan.js';
import type { HashPool } from '../sources/hash-pool.js';
import { startFileHashPool } from '../sources/read-local-files.js';

/** `manifestFile` is absolute. Undefined when there is no worker to start or the stat cache may spare the work. */
export function startHashPoolEarly(manifestFile: string, noCache: boolean): HashPool | undefined {
  if (availableParallelism() < 2) return undefined;
  if (!noCache && existsSync(statCacheFile(dirname(manifestFile)))) return undefined;
  return startFileHashPool();
}
