// The stat cache: per machine, never committed, `.attachform/stat-cache.json` beside the manifest.
// It maps a file's absolute path to the size, mtime, ctime and inode it had when it was hashed, and
// the SHA-256 it had then; a file whose stat still matches is not read again. It can only ever save
// work: any differing field means a re-hash, a cache that cannot be read counts as empty, and one
// that cannot be written costs the next run its hashing, nothing more.
//
// Racy entries: a file changed again within the timestamp granularity of its recorded stat would
// look unchanged. So an entry is trusted only when both its mtime and its ctime are more than
// RACY_WINDOW_MS older than the cache file's own mtime (its write time, on the file system's clock);
// a newer entry is re-hashed, and the cache rewritten, until the file has been still long enough.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname } from 'node:path';

export const RACY_WINDOW_MS = 2000;

export interface StatCacheEntry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  sha256: string;
}

export interface StatCache {
  entries: Map<string, StatCacheEntry>;
  /** Entries whose mtime and ctime are both before this are trusted (the file's mtime − the racy window). */
  trustBeforeMs: number;
  /** The file was unreadable or not a cache: rewrite it even if nothing else changes. */
  damaged: boolean;
}

/** The cache in `file`; a missing, unreadable or corrupt file gives an empty cache, never an error. */
export async function loadStatCache(file: string): Promise<StatCache> {
  try {
    const [text, stats] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    const entries = parseEntries(JSON.parse(text));
    if (entries) return { entries, trustBeforeMs: stats.mtimeMs - RACY_WINDOW_MS, damaged: false };
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { entries: new Map(), trustBeforeMs: -Infinity, damaged: !missing };
  }
  return { entries: new Map(), trustBeforeMs: -Infinity, damaged: true };
}

/** The cached SHA-256 for `path` if `stats` match its entry exactly and the entry is not racy. */
export function lookupStatCache(cache: StatCache, path: string, stats: Stats): string | undefined {
  const entry = cache.entries.get(path);
  if (!entry || !matchesStats(entry, stats)) return undefined;
  if (entry.mtimeMs >= cache.trustBeforeMs || entry.ctimeMs >= cache.trustBeforeMs) return undefined;
  return entry.sha256;
}

export function toStatCacheEntry(stats: Stats, sha256: string): StatCacheEntry {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino, sha256 };
}

/** Writes the cache atomically (a temp file renamed over it), creating its folder. Throws on failure. */
export async function saveStatCache(file: string, entries: Map<string, StatCacheEntry>): Promise<void> {
  const sorted = Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(temp, `${JSON.stringify({ version: 1, entries: sorted })}\n`);
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

function matchesStats(entry: StatCacheEntry, stats: Stats): boolean {
  return entry.size === stats.size && entry.mtimeMs === stats.mtimeMs && entry.ctimeMs === stats.ctimeMs && entry.ino === stats.ino;
}

function parseEntries(json: unknown): Map<string, StatCacheEntry> | undefined {
  if (!isObject(json) || json.version !== 1 || !isObject(json.entries)) return undefined;
  const entries = new Map<string, StatCacheEntry>();
  for (const [path, entry] of Object.entries(json.entries)) {
    if (isEntry(entry)) entries.set(path, { size: entry.size, mtimeMs: entry.mtimeMs, ctimeMs: entry.ctimeMs, ino: entry.ino, sha256: entry.sha256 });
  }
  return entries;
}

/** A shape check, kept cheap (it runs 10,000 times on a no-op plan): a hand-edited hash is not guarded against. */
function isEntry(value: unknown): value is StatCacheEntry {
  if (!isObject(value)) return false;
  const { size, mtimeMs, ctimeMs, ino, sha256 } = value;
  const numbers = typeof size === 'number' && typeof mtimeMs === 'number' && typeof ctimeMs === 'number' && typeof ino === 'number';
  return numbers && typeof sha256 === 'string' && sha256.length === 64;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
