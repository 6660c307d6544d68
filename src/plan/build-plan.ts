// The plan stage: what apply would do, decided from the manifest's assets, what the sources stage
// learned of their bytes, the state, and the time `now` — and nothing else. buildPlan is pure: no
// I/O, no clock (now is passed in), the same inputs in any order give the same plan, byte for byte.
import type { Asset, PageConfig } from '../manifest/types.js';
import { sourceKey } from '../sources/source-key.js';
import type { SourceFacts, SourceKey } from '../sources/types.js';
import type { AssetRecord, StateSnapshot } from '../state/types.js';
import { decideAction, type Clock } from './decide-action.js';
import { compareText, shareUploads } from './share-uploads.js';
import { summarize } from './summarize.js';
import { ACTION_KINDS, type Plan, type PlannedAction } from './types.js';

export interface PlanInput {
  assets: Asset[];
  /** Facts for every asset's source (readSources without errors). */
  facts: Map<SourceKey, SourceFacts>;
  state: StateSnapshot;
  now: Date;
  refreshBeforeMs: number;
  /** The manifest's path as given on the command line. */
  manifestPath: string;
  manifestSha256: string;
  /** attachform's version. */
  version: string;
  /**
   * The manifest's pages. Optional: when given, a record on a page that is still declared but
   * has no assets left reads `removed from the manifest` rather than `page no longer in the manifest`.
   */
  pages?: PageConfig[];
}

export function buildPlan(input: PlanInput): Plan {
  const clock: Clock = { now: input.now.getTime(), refreshBeforeMs: input.refreshBeforeMs };
  const records = indexRecords(input.state.records);
  const planned = new Set<string>();
  const actions: PlannedAction[] = [];
  for (const asset of input.assets) {
    const key = recordKey(asset.pageId, asset.name);
    planned.add(key);
    actions.push(decideAction(asset, factsFor(asset, input.facts), records.get(key), clock));
  }
  const pageIds = new Set((input.pages ?? input.assets.map((a) => ({ id: a.pageId }))).map((p) => p.id));
  for (const [key, record] of records) {
    if (planned.has(key)) continue;
    actions.push(forgetAction(record, pageIds.has(record.pageId) ? 'removed from the manifest' : 'page no longer in the manifest'));
  }
  actions.sort(byPageThenName);
  shareUploads(actions, input.state.records, clock);
  return {
    format_version: 1,
    manifest: input.manifestPath,
    manifest_sha256: input.manifestSha256,
    state_lineage: input.state.lineage,
    state_serial: input.state.serial,
    created_at: input.now.toISOString(),
    attachform_version: input.version,
    actions,
    summary: summarize(actions),
  };
}

function factsFor(asset: Asset, facts: Map<SourceKey, SourceFacts>): SourceFacts {
  const found = facts.get(sourceKey(asset.source));
  if (!found) throw new Error(`buildPlan: no source facts for asset ${asset.name} on page ${asset.page}; read the sources first`);
  return found;
}

function forgetAction(record: AssetRecord, reason: string): PlannedAction {
  return {
    action: 'forget',
    page: record.page,
    page_id: record.pageId,
    name: record.name,
    type: record.type,
    content_type: record.contentType,
    via: record.via,
    source: 'path' in record.source ? { path: record.source.path } : { url: record.source.url },
    sha256: record.sha256,
    size: record.size,
    reason,
    reuses: null,
    attachment_id: record.attachmentId,
  };
}

/** One record per (page id, name); should the state hold two, the same one wins whatever the order. */
function indexRecords(records: AssetRecord[]): Map<string, AssetRecord> {
  const index = new Map<string, AssetRecord>();
  const ordered = [...records].sort((a, b) => compareText(a.attachmentId, b.attachmentId) || compareText(a.uploadedAt, b.uploadedAt));
  for (const record of ordered) {
    const key = recordKey(record.pageId, record.name);
    if (!index.has(key)) index.set(key, record);
  }
  return index;
}

function recordKey(pageId: string, name: string): string {
  return `${pageId}\0${name}`;
}

function byPageThenName(a: PlannedAction, b: PlannedAction): number {
  return (
    compareText(a.page, b.page) ||
    compareText(a.name, b.name) ||
    compareText(a.page_id, b.page_id) ||
    ACTION_KINDS.indexOf(a.action) - ACTION_KINDS.indexOf(b.action)
  );
}
