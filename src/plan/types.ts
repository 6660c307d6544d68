// Types of the plan stage. A Plan is also the `--json` / `--out` document (format_version 1), so its
// fields are spelled as the document spells them. A plan never holds a token.
import type { AssetType, Via } from '../manifest/types.js';

export type ActionKind = 'create' | 'update' | 'refresh' | 'noop' | 'forget';
export const ACTION_KINDS: readonly ActionKind[] = ['create', 'update', 'refresh', 'noop', 'forget'];

export interface PlannedAction {
  action: ActionKind;
  /** Page key. */
  page: string;
  page_id: string;
  name: string;
  type: AssetType;
  content_type: string;
  via: Via;
  /** `path` relative to the manifest's folder. */
  source: { path: string } | { url: string };
  sha256: string;
  size: number;
  /** Why, in a few words: `new asset`, `content changed (sha256 3f2a9c1b… -> 9c1b0d2e…)`, `expires in 3d 4h`. */
  reason: string;
  /**
   * null, or the name of the asset on the same page whose attachment this one shares: an existing
   * record's valid id, or the upload another action of this plan makes. A reusing action uploads nothing.
   */
  reuses: string | null;
  /** The id already held (noop, forget, and reuse of an existing record); null when an upload will make it. */
  attachment_id: string | null;
}

export interface PlanSummary {
  create: number;
  update: number;
  refresh: number;
  forget: number;
  unchanged: number;
}

/** What a targeted plan was narrowed to (`--target`, `--exclude`, `--only-expiring`). */
export interface PlanTargeting {
  /** Globs on asset names (or `page/name`); an action is kept when it matches any (none given: all). */
  target: string[];
  /** Globs; an action matching any is left out. */
  exclude: string[];
  /** Only refresh actions (and the unchanged) are kept. */
  only_expiring: boolean;
  /** Changes the full plan had that the targeting left out. */
  left_out: number;
}

export interface Plan {
  format_version: 1;
  /** The manifest's path as given on the command line. */
  manifest: string;
  manifest_sha256: string;
  state_lineage: string;
  state_serial: number;
  created_at: string;
  attachform_version: string;
  actions: PlannedAction[];
  summary: PlanSummary;
  /** Present only when the plan was narrowed; a plan file keeps it, so `apply FILE` applies the same subset. */
  targeting?: PlanTargeting;
}

export function needsUpload(action: PlannedAction): boolean {
  return (action.action === 'create' || action.action === 'update' || action.action === 'refresh') && action.reuses === null;
}

export function isChange(action: PlannedAction): boolean {
  return action.action !== 'noop';
}
