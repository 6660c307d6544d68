// `apply --json`: one JSON object per line (JSON Lines), each with format_version 1, as described
// by $defs.apply_event of schema/plan.schema.json. Nothing else goes to stdout in that mode.
import type { ApplyEvent, ApplyResult } from '../../apply/types.js';
import type { OutputResult } from '../../codegen/emit-outputs.js';
import type { Plan, PlannedAction } from '../../plan/types.js';

type JsonEvent = Record<string, unknown> & { format_version: 1; type: string };

export function planEvent(plan: Plan, savedPlan: string | null): JsonEvent {
  const event: JsonEvent = { format_version: 1, type: 'plan', manifest: plan.manifest, state_serial: plan.state_serial, saved_plan: savedPlan, summary: plan.summary };
  if (plan.targeting) event.targeting = plan.targeting;
  return event;
}

export function toJsonEvent(event: ApplyEvent): JsonEvent | undefined {
  switch (event.type) {
    case 'started':
      return { ...about('started', event.action), attempt: event.attempt, size: event.action.size };
    case 'recorded':
      return event.uploaded
        ? { ...about('uploaded', event.action), attachment_id: event.attachmentId, size: event.action.size }
        : { ...about('recorded', event.action), attachment_id: event.attachmentId, reuses: event.action.reuses ?? '' };
    case 'retried':
      return { ...about('retried', event.action), attempt: event.attempt, delay_ms: Math.max(0, Math.round(event.delayMs)), reason: event.reason };
    case 'waiting':
      return { format_version: 1, type: 'waiting', page: event.page, delay_ms: Math.max(0, Math.round(event.delayMs)), reason: event.reason };
    case 'failed': {
      const f = event.failure;
      const error: Record<string, unknown> = { message: f.message };
      if (f.code !== undefined) error.code = f.code;
      if (f.subcode !== undefined) error.subcode = f.subcode;
      if (f.fbtraceId !== undefined) error.fbtrace_id = f.fbtraceId;
      return { ...about('failed', event.action), error };
    }
    case 'forgotten':
      return { ...about('forgotten', event.action), attachment_id: event.action.attachment_id };
    case 'warning':
      return { format_version: 1, type: 'warning', message: event.message };
    default:
      return undefined;
  }
}

export function summaryEvent(result: ApplyResult, outputs: OutputResult[]): JsonEvent {
  return {
    format_version: 1,
    type: 'summary',
    created: result.created,
    updated: result.updated,
    refreshed: result.refreshed,
    forgotten: result.forgotten,
    failed: result.failures.length,
    requests: result.requests,
    outputs: outputs.map((o) => ({ path: o.path, status: o.status })),
  };
}

function about(type: string, action: PlannedAction): JsonEvent {
  return { format_version: 1, type, page: action.page, page_id: action.page_id, name: action.name, action: action.action };
}
