// Types of the apply stage: what applyPlan needs, what it reports while it works, and its result.
import type { Asset } from '../manifest/types.js';
import type { SourceFacts } from '../sources/types.js';
import type { StateSnapshot, StateStore } from '../state/types.js';
import type { GraphClient } from '../graph/types.js';
import type { PlannedAction } from '../plan/types.js';

/** What an action of the plan applies to: its asset in the manifest and what was learnt of its bytes. */
export interface ActionInput {
  asset: Asset;
  facts?: SourceFacts;
}

export interface ApplyOptions {
  /** Uploads in flight at once (all pages together). */
  concurrency: number;
  /** Requests started per second, per page. */
  rps: number;
  /** Retries of one upload after its first attempt. */
  maxRetries: number;
  /** Lifetime of a reusable id. */
  ttlMs: number;
}

export interface ApplyDeps {
  graph: GraphClient;
  state: StateStore;
  /** The state the plan was built from (for ids reused from existing records). */
  snapshot: StateSnapshot;
  /** Page id → page access token. Never logged. */
  tokens: Map<string, string>;
  /** `actionKey(action)` → its asset and source facts. */
  inputs: Map<string, ActionInput>;
  /** Downloads a URL to a temp file for `via: file`; returns the file's path and a cleanup. */
  download?: (asset: Asset) => Promise<{ path: string; cleanup(): Promise<void> }>;
  /** Wall clock for uploadedAt/expiresAt (ATTACHFORM_NOW aware). */
  now: () => Date;
  /** Monotonic milliseconds, and a sleep on the same clock: the scheduler's time. */
  monotonic: () => number;
  sleep: (ms: number) => Promise<void>;
  /** [0, 1): jitter. */
  random: () => number;
  onEvent?: (event: ApplyEvent) => void;
  /**
   * Asked before every request: undefined when it may be sent, else why not (the run was
   * interrupted; it no longer holds the state lock, so another run may be doing the same upload).
   */
  mayStart?: () => Promise<string | undefined>;
}

export interface ApplyFailure {
  page: string;
  name: string;
  message: string;
  code?: number;
  subcode?: number;
  fbtraceId?: string;
}

export type ApplyEvent =
  | { type: 'started'; action: PlannedAction; attempt: number }
  | { type: 'retried'; action: PlannedAction; attempt: number; delayMs: number; reason: string }
  | { type: 'waiting'; page: string; delayMs: number; reason: string }
  | { type: 'recorded'; action: PlannedAction; attachmentId: string; uploaded: boolean }
  | { type: 'forgotten'; action: PlannedAction }
  | { type: 'failed'; action: PlannedAction; failure: ApplyFailure }
  | { type: 'warning'; message: string };

export interface ApplyResult {
  created: number;
  updated: number;
  refreshed: number;
  forgotten: number;
  failures: ApplyFailure[];
  /** Requests that reached the Graph API (first attempts and retries). */
  requests: number;
}

/** The key joining an action to its inputs: page id and asset name. */
export function actionKey(action: { page_id: string; name: string }): string {
  return `${action.page_id}/${action.name}`;
}
