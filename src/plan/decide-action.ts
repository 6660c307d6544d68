// The action table of SPEC §4 for one asset, before any sharing of uploads: create, update,
// refresh or noop, with the reason in a few words.
import type { Asset, Via } from '../manifest/types.js';
import type { SourceFacts } from '../sources/types.js';
import type { AssetRecord } from '../state/types.js';
import { formatDuration } from './format-duration.js';
import type { PlannedAction } from './types.js';

export interface Clock {
  now: number;
  refreshBeforeMs: number;
}

export function decideAction(asset: Asset, facts: SourceFacts, record: AssetRecord | undefined, clock: Clock): PlannedAction {
  const via = viaOf(asset);
  const base = {
    page: asset.page,
    page_id: asset.pageId,
    name: asset.name,
    type: asset.type,
    content_type: asset.contentType,
    via,
    source: asset.source.kind === 'file' ? { path: asset.source.relPath } : { url: asset.source.url },
    sha256: facts.sha256,
    size: facts.size,
  };
  const plain = { reuses: null, attachment_id: null };
  if (!record) return { action: 'create', ...base, reason: 'new asset', ...plain };
  const changes = describeChanges(record, facts.sha256, asset, via);
  if (changes) return { action: 'update', ...base, reason: changes, ...plain };
  const expiry = describeExpiry(record, clock);
  if (expiry) return { action: 'refresh', ...base, reason: expiry, ...plain };
  return { action: 'noop', ...base, reason: 'unchanged', reuses: null, attachment_id: record.attachmentId };
}

/** A path asset always reaches Meta as a file. */
export function viaOf(asset: Asset): Via {
  return asset.source.kind === 'file' ? 'file' : asset.via;
}

function describeChanges(record: AssetRecord, sha256: string, asset: Asset, via: Via): string | null {
  const changes: string[] = [];
  if (record.sha256 !== sha256) changes.push(`content changed (sha256 ${shortHash(record.sha256)} -> ${shortHash(sha256)})`);
  if (record.type !== asset.type) changes.push(`type changed (${record.type} -> ${asset.type})`);
  if (record.via !== via) changes.push(`via changed (${record.via} -> ${via})`);
  return changes.length > 0 ? changes.join(', ') : null;
}

/** null when the id has at least refresh_before left; else `expires in 3d 4h` / `expired 2d ago`. */
function describeExpiry(record: AssetRecord, clock: Clock): string | null {
  const left = timeLeft(record, clock.now);
  if (Number.isNaN(left)) return `expiry unknown (expiresAt ${JSON.stringify(record.expiresAt)})`;
  if (left >= clock.refreshBeforeMs) return null;
  return left > 0 ? `expires in ${formatDuration(left)}` : `expired ${formatDuration(-left)} ago`;
}

/** Milliseconds until the record's id expires (negative once expired; NaN when unreadable). */
export function timeLeft(record: AssetRecord, now: number): number {
  return Date.parse(record.expiresAt) - now;
}

function shortHash(sha256: string): string {
  return `${sha256.slice(0, 8)}…`;
}
