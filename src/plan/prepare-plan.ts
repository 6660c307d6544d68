// The plan step with its inputs gathered: read the state once, learn the sources' bytes (URL
// sources conditionally, with the validators the state kept), then build the plan (pure). Local
// files do not need the state, so their hashing (and the hash pool's start) overlaps its reading;
// a state that cannot be read stops them, and its error is the one reported.
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import type { Asset, Manifest } from '../manifest/types.js';
import { hasErrors, type Diagnostic } from '../manifest/diagnostics.js';
import { UserError } from '../user-error.js';
import { readSources } from '../sources/read-sources.js';
import type { HashPool } from '../sources/hash-pool.js';
import type { KnownSource, SourceFacts, SourceKey } from '../sources/types.js';
import type { AssetRecord, StateSnapshot, StateStore } from '../state/types.js';
import { buildPlan } from './build-plan.js';
import type { Plan } from './types.js';

export interface PreparedPlan {
  plan: Plan;
  snapshot: StateSnapshot;
  facts: Map<SourceKey, SourceFacts>;
  /** Problems that did not stop the plan (a stat cache that could not be written). */
  warnings: Diagnostic[];
}

export interface PreparePlanInput {
  manifest: Manifest;
  assets: Asset[];
  /** The manifest's path as the user gave it (shown in diagnostics and the plan). */
  manifestPath: string;
  state: StateStore;
  now: Date;
  version: string;
  /** Skip the local stat cache and hash every file (`plan --no-cache`). */
  noCache?: boolean;
  /** Stats of local files taken moments ago (the manifest's checks): readSources' `fileStats`. */
  fileStats?: ReadonlyMap<string, Stats>;
  /** A hash pool started ahead, while the manifest was read: readSources' `hashPool`, closed here. */
  hashPool?: HashPool;
}

/** The local stat cache of the manifest in `manifestDir`: per machine, never shared, only ever saves work. */
export function statCacheFile(manifestDir: string): string {
  return join(manifestDir, '.attachform', 'stat-cache.json');
}

export async function preparePlan(input: PreparePlanInput): Promise<PreparedPlan> {
  // A state that cannot be read ends the plan: the sources stop rather than hash on for nothing.
  const stop = new AbortController();
  const reading = input.state.read();
  reading.catch((error: unknown) => stop.abort(error));
  const known = reading.then((snapshot) => knownSources(snapshot.records));
  known.catch(() => undefined); // awaited only when there are URL sources; a failure is reported through `reading`
  const [read, sources] = await Promise.allSettled([
    reading,
    readSources(input.assets, {
      known,
      manifestFile: input.manifestPath,
      statCache: input.noCache ? undefined : { file: statCacheFile(input.manifest.dir) },
      fileStats: input.fileStats,
      hashPool: input.hashPool,
      signal: stop.signal,
    }),
  ]);
  if (read.status === 'rejected') throw read.reason; // the state's failure first: it explains the other
  if (sources.status === 'rejected') throw sources.reason;
  const snapshot = read.value;
  const { facts, diagnostics } = sources.value;
  if (hasErrors(diagnostics)) {
    const count = diagnostics.filter((d) => d.severity === 'error').length;
    throw new UserError(`${count} source${count === 1 ? '' : 's'} could not be read; nothing was planned`, {
      diagnostics,
      hint: 'fix the sources named above (or the manifest) and run the command again',
    });
  }
  const plan = buildPlan({
    assets: input.assets,
    facts,
    state: snapshot,
    now: input.now,
    refreshBeforeMs: input.manifest.defaults.refreshBeforeMs,
    manifestPath: input.manifestPath,
    manifestSha256: input.manifest.sha256,
    pages: input.manifest.pages,
    version: input.version,
  });
  return { plan, snapshot, facts, warnings: diagnostics.filter((d) => d.severity === 'warning') };
}

/** What the state remembers of URL sources: the newest record's hash and validators, per URL. */
function knownSources(records: AssetRecord[]): Map<SourceKey, KnownSource> {
  const known = new Map<SourceKey, KnownSource & { uploadedAt: string }>();
  for (const record of records) {
    if (!('url' in record.source)) continue;
    const key = `url:${record.source.url}`;
    const previous = known.get(key);
    if (previous && previous.uploadedAt >= record.uploadedAt) continue;
    known.set(key, { sha256: record.sha256, size: record.size, etag: record.etag, lastModified: record.lastModified, uploadedAt: record.uploadedAt });
  }
  return new Map([...known].map(([key, { uploadedAt: _, ...rest }]) => [key, rest]));
}
