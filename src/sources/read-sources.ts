// The sources stage: what attachform learns about each asset's bytes — SHA-256 and size of local files
// (streamed), and of URL assets (fetched, conditionally, under the address policy). Each distinct
// source is read once however many assets share it, a few at a time. Every failure becomes a
// Diagnostic at the asset that declared the source; nothing is thrown for a bad source.
import pLimit from 'p-limit';
import type { Diagnostic } from '../manifest/diagnostics.js';
import type { Asset, Source } from '../manifest/types.js';
import { fetchUrl, type FetchLimits } from './fetch-url.js';
import { hashFile } from './hash-file.js';
import { SourceError } from './source-error.js';
import { sourceKey } from './source-key.js';
import type { KnownSource, SourceFacts, SourceKey } from './types.js';

export interface ReadSourcesOptions {
  /** What the state knows of each source (validators for conditional fetches). */
  known: Map<SourceKey, KnownSource>;
  /** How many sources are read at once; default 8. */
  concurrency?: number;
  /** The manifest's path, for diagnostics. */
  manifestFile: string;
  /** Fetch bounds; defaults 25 MB, 30 s, 5 redirects. */
  fetchLimits?: Partial<FetchLimits>;
  /** How local files are hashed; default the streamed `hashFile` (a worker pool may stand in). */
  hashFile?: (path: string) => Promise<{ sha256: string; size: number }>;
}

export interface SourcesResult {
  facts: Map<SourceKey, SourceFacts>;
  diagnostics: Diagnostic[];
}

export const DEFAULT_SOURCE_CONCURRENCY = 8;

export async function readSources(assets: Asset[], options: ReadSourcesOptions): Promise<SourcesResult> {
  const limit = pLimit(options.concurrency ?? DEFAULT_SOURCE_CONCURRENCY);
  const facts = new Map<SourceKey, SourceFacts>();
  const diagnostics: Diagnostic[] = [];
  await Promise.all(
    groupBySource(assets).map((group) =>
      limit(async () => {
        try {
          facts.set(group.key, await readSource(group.source, options.known.get(group.key), options));
        } catch (error) {
          for (const asset of group.assets) diagnostics.push(toDiagnostic(asset, error, options.manifestFile));
        }
      }),
    ),
  );
  return { facts, diagnostics: diagnostics.sort(byPosition) };
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

async function readSource(source: Source, known: KnownSource | undefined, options: ReadSourcesOptions): Promise<SourceFacts> {
  if (source.kind === 'file') return (options.hashFile ?? hashFile)(source.path);
  const result = await fetchUrl(source.url, { known, allowPrivate: source.allowPrivate, limits: options.fetchLimits });
  return result.facts;
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
