// The sources stage: what attachform learns about each asset's bytes — SHA-256 and size of local files
// (streamed; skipped for files the stat cache knows unchanged; on every core when there are many),
// and of URL assets (fetched, conditionally, under the address policy). Each distinct source is read
// once however many assets share it. Every failure becomes a Diagnostic at the asset that declared
// the source; nothing is thrown for a bad source.
import type { Stats } from 'node:fs';
import pLimit from 'p-limit';
import type { Diagnostic } from '../manifest/diagnostics.js';
import type { Asset, Source, UrlSource } from '../manifest/types.js';
import type { FetchLimits } from './fetch-url.js';
import type { FileHash } from './hash-file.js';
import type { HashPool } from './hash-pool.js';
import { readLocalFiles } from './read-local-files.js';
import { SourceError } from './source-error.js';
import { sourceKey } from './source-key.js';
import type { KnownSource, SourceFacts, SourceKey } from './types.js';

export interface ReadSourcesOptions {
  /**
   * What the state knows of each source (validators for conditional fetches). May still be in
   * the making (the state being read): only URL sources wait for it, local files start at once.
   */
  known: Map<SourceKey, KnownSource> | Promise<Map<SourceKey, KnownSource>>;
  /** How many sources are read at once; default 8. */
  concurrency?: number;
  /** The manifest's path, for diagnostics. */
  manifestFile: string;
  /** Fetch bounds; defaults 25 MB, 30 s, 5 redirects. */
  fetchLimits?: Partial<FetchLimits>;
  /**
   * The stat cache (`<manifest folder>/.attachform/stat-cache.json`): unchanged files are not read
   * again. Undefined: no cache, every file is hashed (`--no-cache`).
   */
  statCache?: { file: string } | undefined;
  /** How local files are hashed (tests); default a worker pool for many files, else the streamed `hashFile`. */
  hashFile?: (path: string) => Promise<FileHash>;
  /**
   * Stats of local files (following symlinks) the caller took moments ago — the manifest's checks —
   * used instead of stat'ing them again (~30 ms for 10,000 files). Files not in it are stat'ed.
   */
  fileStats?: ReadonlyMap<string, Stats>;
  /**
   * Stop reading: files not yet hashed and URLs not yet fetched are left, fetches in flight are cut,
   * the stat cache is not written, and readSources rejects with the signal's reason.
   */
  signal?: AbortSignal;
  /** A hash pool started ahead (`startFileHashPool`), for the local files; readSources closes it. */
  hashPool?: HashPool;
}

export interface SourcesResult {
  facts: Map<SourceKey, SourceFacts>;
  diagnostics: Diagnostic[];
}

export const DEFAULT_SOURCE_CONCURRENCY = 8;

export async function readSources(assets: Asset[], options: ReadSourcesOptions): Promise<SourcesResult> {
  const facts = new Map<SourceKey, SourceFacts>();
  const diagnostics: Diagnostic[] = [];
  const settle = (group: SourceGroup, outcome: Outcome) => {
    if (outcome.ok) facts.set(group.key, outcome.facts);
    else for (const asset of group.assets) diagnostics.push(toDiagnostic(asset, outcome.error, options.manifestFile));
  };
  const groups = groupBySource(assets);
  const [warnings] = await Promise.all([readFileGroups(groups, options, settle), readUrlGroups(groups, options, settle)]);
  options.signal?.throwIfAborted();
  diagnostics.push(...warnings);
  return { facts, diagnostics: diagnostics.sort(byPosition) };
}

type Outcome = { ok: true; facts: SourceFacts } | { ok: false; error: unknown };

/** Local files, all at once (stat cache, then the pool or in-process hashing); returns warnings. */
async function readFileGroups(groups: SourceGroup[], options: ReadSourcesOptions, settle: (group: SourceGroup, outcome: Outcome) => void): Promise<Diagnostic[]> {
  const files = groups.flatMap((group) => (group.source.kind === 'file' ? [{ group, path: group.source.path }] : []));
  const { outcomes, cacheWriteError } = await readLocalFiles(
    files.map((file) => file.path),
    {
      statCache: options.statCache,
      hashFile: options.hashFile,
      concurrency: options.concurrency ?? DEFAULT_SOURCE_CONCURRENCY,
      stats: options.fileStats,
      signal: options.signal,
      pool: options.hashPool,
    },
  );
  for (const { group, path } of files) {
    const outcome = outcomes.get(path);
    settle(group, outcome?.ok ? { ok: true, facts: outcome.hash } : { ok: false, error: outcome?.error });
  }
  return cacheWriteError !== undefined && options.statCache ? [cacheWarning(options.statCache.file, cacheWriteError)] : [];
}

/** URL sources, a few at a time. */
async function readUrlGroups(groups: SourceGroup[], options: ReadSourcesOptions, settle: (group: SourceGroup, outcome: Outcome) => void): Promise<void> {
  const limit = pLimit(options.concurrency ?? DEFAULT_SOURCE_CONCURRENCY);
  const urls = groups.flatMap((group) => (group.source.kind === 'url' ? [{ group, source: group.source }] : []));
  if (urls.length === 0) return;
  const known = await options.known;
  await Promise.all(
    urls.map(({ group, source }) =>
      limit(async () => {
        try {
          options.signal?.throwIfAborted();
          settle(group, { ok: true, facts: await readUrl(source, known.get(group.key), options) });
        } catch (error) {
          settle(group, { ok: false, error });
        }
      }),
    ),
  );
}

interface SourceGroup {
  key: SourceKey;
  source: Source;
  assets: Asset[];
}

/**
 * One group per source key — and, for URLs, per allow_private_urls setting: an asset that does not
 * allow private addresses must not ride on a fetch made for one that does.
 */
function groupBySource(assets: Asset[]): SourceGroup[] {
  const groups = new Map<string, SourceGroup>();
  for (const asset of assets) {
    const key = sourceKey(asset.source);
    const groupKey = asset.source.kind === 'url' ? `${key}\0${asset.source.allowPrivate}` : key;
    const group = groups.get(groupKey);
    if (group) group.assets.push(asset);
    else groups.set(groupKey, { key, source: asset.source, assets: [asset] });
  }
  return [...groups.values()];
}

async function readUrl(source: UrlSource, known: KnownSource | undefined, options: ReadSourcesOptions): Promise<SourceFacts> {
  const { fetchUrl } = await import('./fetch-url.js'); // undici: loaded only when a manifest has URL assets
  const result = await fetchUrl(source.url, { known, allowPrivate: source.allowPrivate, limits: options.fetchLimits, signal: options.signal });
  return result.facts;
}

/** A stat cache that cannot be written only costs the next run its hashing: a warning, not a failure. */
function cacheWarning(file: string, error: unknown): Diagnostic {
  const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
  return {
    severity: 'warning',
    summary: `could not write the stat cache ${file} (${reason}); the next plan hashes every file again`,
    file,
    line: 0,
    column: 0,
    path: '',
  };
}

function toDiagnostic(asset: Asset, error: unknown, manifestFile: string): Diagnostic {
  const summary = error instanceof SourceError ? error.message : `reading the source failed: ${String(error)}`;
  return {
    severity: 'error',
    summary,
    file: manifestFile,
    line: asset.position.line,
    column: asset.position.column,
    path: `assets.${asset.declaredAs}.${declaredField(asset)}`,
  };
}

/** The key that declared the source: `url`, `path`, or `glob` for an asset a glob expanded to. */
function declaredField(asset: Asset): 'url' | 'path' | 'glob' {
  if (asset.source.kind === 'url') return 'url';
  return asset.declaredAs === asset.name ? 'path' : 'glob';
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.column - b.column || (a.summary < b.summary ? -1 : a.summary > b.summary ? 1 : 0);
}
