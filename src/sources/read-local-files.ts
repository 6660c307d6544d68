// The local-file half of readSources: stat every file (synchronously, in batches — for 10,000
// files that measured ~20 ms against ~50–180 ms for async stat at any concurrency), take the SHA-256
// of unchanged files from the stat cache, and hash the rest: in the hash pool (n − 1 workers and
// this thread) when there is enough work to pay for starting it, else in-process. Each path gets
// its facts or the error to report.
import { statSync, type Stats } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import pLimit from 'p-limit';
import { hashFile, hashFileInTurns, READ_CHUNK_BYTES, type FileHash } from './hash-file.js';
import { startHashPool, type HashPool } from './hash-pool.js';
import { loadStatCache, lookupStatCache, saveStatCache, toStatCacheEntry, type StatCacheEntry } from './stat-cache.js';

export interface ReadLocalFilesOptions {
  /** Where the stat cache lives; undefined: no cache, every file is hashed. */
  statCache?: { file: string };
  /** Replaces both the pool and in-process hashing (tests). */
  hashFile?: (path: string) => Promise<FileHash>;
  /** In-process hashes at once. */
  concurrency: number;
  /** Stats already taken (following symlinks), by path: these files are not stat'ed again. */
  stats?: ReadonlyMap<string, Stats>;
  /** Stop: files not yet hashed get the signal's reason as their error, and the cache is not written. */
  signal?: AbortSignal;
  /**
   * A pool the caller started ahead (`startFileHashPool`), so its workers boot while the caller does
   * other work: hashed on when the files pay for a pool, else closed as soon as that is known.
   * readLocalFiles closes it either way.
   */
  pool?: HashPool;
}

export type FileOutcome = { ok: true; hash: FileHash } | { ok: false; error: unknown };

export interface LocalFilesResult {
  outcomes: Map<string, FileOutcome>;
  /** Why the stat cache could not be written, if it could not. */
  cacheWriteError?: unknown;
}

const STAT_BATCH = 1000;
/**
 * Starting the workers costs ~40 ms here; in-process hashing costs ~70 µs a file plus ~0.8 ms a MB,
 * the pool ~15 µs plus ~0.4 ms. Measured crossovers: ~300 small files, or ~100 MB in a few files.
 * So the pool is used when the bytes plus a per-file allowance reach POOL_MIN_WORK_BYTES.
 */
const POOL_MIN_WORK_BYTES = 64 * 1024 * 1024;
const POOL_BYTES_PER_FILE = 256 * 1024;

/** `paths` are distinct absolute paths. */
export async function readLocalFiles(paths: string[], options: ReadLocalFilesOptions): Promise<LocalFilesResult> {
  const cache = options.statCache ? await loadStatCache(options.statCache.file) : undefined;
  const stats = await statFiles(paths, options.stats);
  const outcomes = new Map<string, FileOutcome>();
  const toHash: string[] = [];
  for (const path of paths) {
    const stat = stats.get(path);
    const sha256 = cache && stat?.isFile() ? lookupStatCache(cache, path, stat) : undefined;
    if (sha256 !== undefined && stat) outcomes.set(path, { ok: true, hash: { sha256, size: stat.size } });
    else toHash.push(path);
  }
  for (const [path, outcome] of await hashFiles(toHash, stats, options)) outcomes.set(path, outcome);
  if (!cache || !options.statCache || options.signal?.aborted) return { outcomes };
  // Every path a cache hit and no other entry: the cache would be rewritten as it is.
  if (toHash.length === 0 && !cache.damaged && cache.entries.size === paths.length) return { outcomes };

  const next = new Map<string, StatCacheEntry>();
  for (const [path, outcome] of outcomes) {
    const stat = stats.get(path);
    // A size differing from the stat means the file changed while it was read: keep no entry.
    if (outcome.ok && stat?.isFile() && outcome.hash.size === stat.size) next.set(path, toStatCacheEntry(stat, outcome.hash.sha256));
  }
  const changed = cache.damaged || toHash.some((path) => next.has(path)) || [...cache.entries.keys()].some((path) => !next.has(path));
  if (!changed) return { outcomes };
  try {
    await saveStatCache(options.statCache.file, next);
    return { outcomes };
  } catch (error) {
    return { outcomes, cacheWriteError: error };
  }
}

/** The pool many files are hashed in: n − 1 workers (at most `files` − 1) and this thread. */
export function startFileHashPool(files = Number.POSITIVE_INFINITY): HashPool {
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  return startHashPool({
    workers: Math.min(availableParallelism() - 1, files - 1),
    inProcess: (path) => hashFileInTurns(path, buffer),
  });
}

/** Whether hashing `files` files of `bytes` in all pays for starting the worker pool. */
export function isWorthAPool(files: number, bytes: number): boolean {
  return files > 1 && bytes + files * POOL_BYTES_PER_FILE >= POOL_MIN_WORK_BYTES;
}

/** Stats of each path (following symlinks, as hashing does), from `known` where it has them; undefined where stat fails — hashing then reports why. */
async function statFiles(paths: string[], known: ReadonlyMap<string, Stats> | undefined): Promise<Map<string, Stats | undefined>> {
  const stats = new Map<string, Stats | undefined>();
  for (let start = 0; start < paths.length; start += STAT_BATCH) {
    if (start > 0) await yieldToEventLoop(); // let concurrent URL fetches progress
    for (const path of paths.slice(start, start + STAT_BATCH)) {
      const stat = known?.get(path);
      if (stat) {
        stats.set(path, stat);
        continue;
      }
      try {
        stats.set(path, statSync(path, { throwIfNoEntry: false }));
      } catch {
        stats.set(path, undefined);
      }
    }
  }
  return stats;
}

async function hashFiles(paths: string[], stats: Map<string, Stats | undefined>, options: ReadLocalFilesOptions): Promise<Map<string, FileOutcome>> {
  const outcomes = new Map<string, FileOutcome>();
  const record = (path: string, promise: Promise<FileHash>) =>
    promise.then(
      (hash) => void outcomes.set(path, { ok: true, hash }),
      (error: unknown) => void outcomes.set(path, { ok: false, error }),
    );
  const { signal } = options;
  const bytes = paths.reduce((sum, path) => sum + (stats.get(path)?.size ?? 0), 0);
  const usePool = !signal?.aborted && !options.hashFile && isWorthAPool(paths.length, bytes);
  // Not awaited: the workers stop while this thread goes on.
  if (!usePool) void options.pool?.close();
  if (signal?.aborted) {
    for (const path of paths) outcomes.set(path, { ok: false, error: signal.reason });
    return outcomes;
  }
  if (!usePool) {
    const limit = pLimit(options.concurrency);
    const hash = options.hashFile ?? hashFile;
    const stopped = rejectOnAbort(signal);
    await Promise.all(paths.map((path) => limit(() => record(path, signal?.aborted ? stopped : Promise.race([hash(path), stopped])))));
    return outcomes;
  }
  // This thread hashes too, from the first file on, while the workers start: one worker fewer than
  // cores keeps them all busy.
  const pool = options.pool ?? startFileHashPool(paths.length);
  const stop = () => void pool.close(); // every file not yet hashed is rejected at once
  signal?.addEventListener('abort', stop, { once: true });
  try {
    await Promise.all(paths.map((path) => record(path, pool.hash(path))));
  } finally {
    signal?.removeEventListener('abort', stop);
    await pool.close();
  }
  return outcomes;
}

/** Rejects with the signal's reason once it aborts; never settles without one. */
function rejectOnAbort(signal: AbortSignal | undefined): Promise<never> {
  const stopped = new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
  stopped.catch(() => undefined); // raced against each hash; nobody else waits on it
  return stopped;
}
