// One upload serves every asset on a page with the same (sha256, type). Runs over the sorted
// actions, so which action uploads and which reuse is decided by order alone (deterministic).
import type { AssetRecord } from '../state/types.js';
import { timeLeft, type Clock } from './decide-action.js';
import type { PlannedAction } from './types.js';

/**
 * For each create/update/refresh: reuse a valid, not-expiring id of the same content already in
 * state on that page (no upload); else share the upload of the first such action of this plan.
 * Mutates `reuses`, `attachment_id` and `reason` of the actions given.
 */
export function shareUploads(actions: PlannedAction[], records: AssetRecord[], clock: Clock): void {
  const holders = indexValidRecords(records, clock);
  const uploaders = new Map<string, string>();
  for (const action of actions) {
    if (action.action !== 'create' && action.action !== 'update' && action.action !== 'refresh') continue;
    const key = contentKey(action.page_id, action.sha256, action.type);
    // An action never reuses its own record: an update or refresh of it asks for a fresh upload.
    const holder = holders.get(key)?.find((record) => record.name !== action.name);
    if (holder) {
      action.reuses = holder.name;
      action.attachment_id = holder.attachmentId;
      action.reason += `; same content as ${holder.name}, reuses its id`;
      continue;
    }
    const first = uploaders.get(key);
    if (first === undefined) {
      uploaders.set(key, action.name);
      continue;
    }
    action.reuses = first;
    action.reason += `; same content as ${first}, shares its upload`;
  }
}

/** Records whose id can be reused, per content, best first: the one expiring last, then by name. */
function indexValidRecords(records: AssetRecord[], clock: Clock): Map<string, AssetRecord[]> {
  const index = new Map<string, AssetRecord[]>();
  for (const record of records) {
    if (!record.attachmentId || !(timeLeft(record, clock.now) >= clock.refreshBeforeMs)) continue;
    const key = contentKey(record.pageId, record.sha256, record.type);
    index.set(key, [...(index.get(key) ?? []), record]);
  }
  for (const list of index.values()) list.sort(byExpiryThenName);
  return index;
}

function byExpiryThenName(a: AssetRecord, b: AssetRecord): number {
  const byExpiry = Date.parse(b.expiresAt) - Date.parse(a.expiresAt);
  if (byExpiry !== 0) return byExpiry;
  return compareText(a.name, b.name) || compareText(a.attachmentId, b.attachmentId);
}

function contentKey(pageId: string, sha256: string, type: string): string {
  return `${pageId}\0${sha256}\0${type}`;
}

/** Plain code-unit order, the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
