// One upload, retried: through the page's gate, with backoff on transient failures and a page-wide
// pause on rate limits; a token error stops the page. Picks the request form from the source:
// a local file as streamed multipart, a URL as `payload.url` (or downloaded and sent as a file
// with `via: file`).
import type { PlannedAction } from '../plan/types.js';
import { GraphError } from '../graph/graph-error.js';
import type { PageGate } from './page-gate.js';
import { PageStoppedError } from './page-gate.js';
import { backoffDelay, RATE_LIMIT_BACKOFF, RETRY_BACKOFF } from './backoff.js';
import { actionKey, type ApplyDeps, type ApplyFailure, type ApplyOptions } from './types.js';
import { describeFailure } from './describe-failure.js';

/**
 * A rate-limit answer is not a failure of the request: the page waits as Meta says and the request
 * is sent again without spending one of --max-retries (a large manifest on a throttled page would
 * otherwise fail assets that never failed). This bounds the waits of one upload all the same.
 */
export const MAX_RATE_LIMIT_WAITS = 20;

export type UploadOutcome =
  | { ok: true; attachmentId: string; sha256?: string; size?: number }
  | { ok: false; failure: Omit<ApplyFailure, 'page' | 'name'> };

export async function uploadWithRetries(
  action: PlannedAction,
  gate: PageGate,
  options: ApplyOptions,
  deps: ApplyDeps,
  countRequest: () => void,
): Promise<UploadOutcome> {
  const token = deps.tokens.get(action.page_id);
  if (token === undefined) return { ok: false, failure: { message: `no token for page ${action.page}` } };
  let failures = 0;
  let rateLimits = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      await gate.pass();
      const stop = await deps.mayStart?.();
      if (stop !== undefined) return { ok: false, failure: { message: stop } };
      deps.onEvent?.({ type: 'started', action, attempt });
      countRequest();
      return { ok: true, ...(await sendOnce(action, token, deps)) };
    } catch (error) {
      if (error instanceof PageStoppedError || !(error instanceof GraphError)) return { ok: false, failure: describeFailure(error) };
      if (error.isTokenError()) {
        gate.stop(error);
        return { ok: false, failure: describeFailure(error) };
      }
      const rateLimited = error.isRateLimit();
      if (rateLimited ? ++rateLimits > MAX_RATE_LIMIT_WAITS : !error.isRetryable() || ++failures > options.maxRetries) {
        return { ok: false, failure: describeFailure(error) };
      }
      if (rateLimited) {
        // The whole page waits; the gate makes this request (and every other) wait with it.
        gate.block(error.retryAfterMs ?? backoffDelay(RATE_LIMIT_BACKOFF, rateLimits, deps.random));
        deps.onEvent?.({ type: 'retried', action, attempt, delayMs: 0, reason: error.message });
      } else {
        const delayMs = backoffDelay(RETRY_BACKOFF, failures, deps.random);
        deps.onEvent?.({ type: 'retried', action, attempt, delayMs, reason: error.message });
        await deps.sleep(delayMs);
      }
    }
  }
}

async function sendOnce(action: PlannedAction, token: string, deps: ApplyDeps): Promise<{ attachmentId: string; sha256?: string; size?: number }> {
  const input = deps.inputs.get(actionKey(action));
  if (!input) throw new Error(`no manifest asset for planned action ${actionKey(action)}`);
  const { asset } = input;
  const base = { pageId: action.page_id, token, type: action.type };
  if (asset.source.kind === 'file') {
    return deps.graph.uploadFile({ ...base, path: asset.source.path, contentType: action.content_type });
  }
  if (action.via === 'url') {
    return deps.graph.uploadFromUrl({ ...base, url: asset.source.url });
  }
  if (!deps.download) throw new Error('via: file needs a downloader');
  const file = await deps.download(asset);
  try {
    const fileName = new URL(asset.source.url).pathname.split('/').pop() || action.name;
    return await deps.graph.uploadFile({ ...base, path: file.path, contentType: action.content_type, fileName });
  } finally {
    await file.cleanup();
  }
}
