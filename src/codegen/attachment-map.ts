// The map both outputs render: page key → asset name → {id, type, expiresAt}, with pages and assets
// in code-unit order so the same records always give the same bytes, whatever order they came in.
import type { AssetType } from '../manifest/types.js';
import type { AssetRecord } from '../state/types.js';

export interface AttachmentEntry {
  id: string;
  type: AssetType;
  expiresAt: string;
}

export type AttachmentMap = Array<[page: string, assets: Array<[name: string, entry: AttachmentEntry]>]>;

export function buildAttachmentMap(records: AssetRecord[]): AttachmentMap {
  const byPage = new Map<string, Map<string, AssetRecord>>();
  for (const record of records) {
    const assets = byPage.get(record.page) ?? new Map<string, AssetRecord>();
    byPage.set(record.page, assets);
    const seen = assets.get(record.name);
    // One page key should have one page id; if the state still holds two, the choice must not
    // depend on the records' order.
    if (!seen || compareCodeUnits(tieBreakKey(record), tieBreakKey(seen)) > 0) assets.set(record.name, record);
  }
  return [...byPage.entries()]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([page, assets]) => [
      page,
      [...assets.entries()]
        .sort(([a], [b]) => compareCodeUnits(a, b))
        .map(([name, record]) => [name, { id: record.attachmentId, type: record.type, expiresAt: record.expiresAt }]),
    ]);
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function tieBreakKey(record: AssetRecord): string {
  return `${record.uploadedAt}\u0000${record.pageId}\u0000${record.attachmentId}`;
}
