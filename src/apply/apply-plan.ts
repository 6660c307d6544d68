// The apply stage: carries out a Plan. It owns the effects — uploads through the Graph client, one
// state write per finished action — and the scheduling: concurrency, a per-page rate limit, backoff
// and retries, pausing a rate-limited page and stopping a page whose token Meta refuses.
//
// Every success is written to state at once, so a crash loses at most the uploads in flight, and a
// re-run (which plans again) uploads only what is still missing. Forgets are state writes only: the
// Graph API has no delete.
import pLimit from 'p-limit';
import type { PlannedAction } from '../plan/types.js';
import { needsUpload } from '../plan/types.js';
import type { AssetRecord } from '../state/types.js';
import { actionKey, type ApplyDeps, type ApplyFailure, type ApplyOptions, type ApplyResult } from './types.js';
import { PageGate } from './page-gate.js';
import { uploadWithRetries, type UploadOutcome } from './upload-with-retries.js';
import { describeFailure } from './describe-failure.js';

export async function applyPlan(actions: PlannedAction[], options: ApplyOptions, deps: ApplyDeps): Promise<ApplyResult> {
  const result: ApplyResult = { created: 0, updated: 0, refreshed: 0, forgotten: 0, failures: [], requests: 0 };
  const emit = deps.onEvent ?? (() => {});

  const fail = (action: PlannedAction, failure: Omit<ApplyFailure, 'page' | 'name'>) => {
    const full = { page: action.page, name: action.name, ...failure };
    result.failures.push(full);
    emit({ type: 'failed', action, failure: full });
  };
  const record = async (action: PlannedAction, fields: RecordFields, uploaded: boolean) => {
    await deps.state.putRecord(toRecord(action, fields, deps));
    countDone(result, action);
    emit({ type: 'recorded', action, attachmentId: fields.attachmentId, uploaded });
  };

  for (const action of actions.filter((a) => a.action === 'forget')) {
    await deps.state.removeRecord(action.page_id, action.name);
    result.forgotten++;
    emit({ type: 'forgotten', action });
  }

  // Actions that take an id some existing record already holds: no request at all.
  for (const action of actions.filter((a) => a.action !== 'forget' && a.action !== 'noop' && a.attachment_id !== null)) {
    const source = deps.snapshot.records.find((r) => r.pageId === action.page_id && r.name === action.reuses);
    if (!source || source.attachmentId !== action.attachment_id) {
      fail(action, { message: `the record of ${action.reuses} it would reuse changed since the plan was made; run apply again` });
      continue;
    }
    await record(action, { attachmentId: source.attachmentId, uploadedAt: source.uploadedAt, expiresAt: source.expiresAt, sha256: action.sha256, size: action.size }, false);
  }

  const gates = new Map<string, PageGate>();
  const gateFor = (pageId: string, page: string) => {
    let gate = gates.get(pageId);
    if (!gate) {
      gate = new PageGate(options.rps, deps, (delayMs, reason) => emit({ type: 'waiting', page, delayMs, reason }));
      gates.set(pageId, gate);
    }
    return gate;
  };

  const limit = pLimit(options.concurrency);
  const uploads = actions.filter(needsUpload);
  await Promise.all(
    uploads.map((uploader) =>
      limit(async () => {
        const sharers = actions.filter((a) => a !== uploader && a.page_id === uploader.page_id && a.reuses === uploader.name && a.attachment_id === null);
        const outcome: UploadOutcome = await uploadWithRetries(uploader, gateFor(uploader.page_id, uploader.page), options, deps, () => result.requests++);
        if (!outcome.ok) {
          fail(uploader, outcome.failure);
          for (const sharer of sharers) fail(sharer, { message: `shares the upload of ${uploader.name}, which failed` });
          return;
        }
        const uploadedAt = deps.now();
        const fields: RecordFields = {
          attachmentId: outcome.attachmentId,
          uploadedAt: uploadedAt.toISOString(),
          expiresAt: new Date(uploadedAt.getTime() + options.ttlMs).toISOString(),
          sha256: outcome.sha256 ?? uploader.sha256,
          size: outcome.size ?? uploader.size,
        };
        await record(uploader, fields, true);
        const changed = fields.sha256 !== uploader.sha256;
        if (changed) emit({ type: 'warning', message: `${uploader.page}/${uploader.name}: the file changed between plan and upload; the state records the bytes that were sent` });
        for (const sharer of sharers) {
          if (changed) fail(sharer, { message: `shares the upload of ${uploader.name}, whose file changed during apply; run apply again` });
          else await record(sharer, fields, false);
        }
      }).catch((error: unknown) => {
        fail(uploader, describeFailure(error));
      }),
    ),
  );
  return result;
}

interface RecordFields {
  attachmentId: string;
  uploadedAt: string;
  expiresAt: string;
  sha256: string;
  size: number;
}

function toRecord(action: PlannedAction, fields: RecordFields, deps: ApplyDeps): AssetRecord {
  const facts = deps.inputs.get(actionKey(action))?.facts;
  const record: AssetRecord = {
    name: action.name,
    page: action.page,
    pageId: action.page_id,
    type: action.type,
    contentType: action.content_type,
    source: action.source,
    via: action.via,
    ...fields,
  };
  if ('url' in action.source) {
    if (facts?.etag) record.etag = facts.etag;
    if (facts?.lastModified) record.lastModified = facts.lastModified;
  }
  return record;
}

function countDone(result: ApplyResult, action: PlannedAction): void {
  if (action.action === 'create') result.created++;
  else if (action.action === 'update') result.updated++;
  else if (action.action === 'refresh') result.refreshed++;
}
