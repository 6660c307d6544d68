// The human rendering of an apply: one line per finished action (the CI log form), the failures
// listed at the end, then exactly one summary line.
import type { ApplyEvent, ApplyResult } from '../../apply/types.js';
import type { OutputResult } from '../../codegen/emit-outputs.js';
import type { Paint } from './style.js';

const PAST: Record<string, string> = { create: 'created', update: 'updated', refresh: 'refreshed' };

export function eventLine(event: ApplyEvent, paint: Paint): string | undefined {
  switch (event.type) {
    case 'recorded': {
      const how = event.uploaded ? 'uploaded' : `reuses ${event.action.reuses}`;
      return `${paint('green', PAST[event.action.action] ?? event.action.action)} ${event.action.page}/${event.action.name} → ${event.attachmentId} (${how})`;
    }
    case 'forgotten':
      return `${paint('red', 'forgot')} ${event.action.page}/${event.action.name} (dropped from state; the Graph API has no delete)`;
    case 'failed':
      return `${paint('red', 'failed')} ${event.action.page}/${event.action.name}: ${failureText(event.failure)}`;
    case 'retried':
      return `${paint('yellow', 'retrying')} ${event.action.page}/${event.action.name} (attempt ${event.attempt + 1}${event.delayMs > 0 ? `, in ${(event.delayMs / 1000).toFixed(1)}s` : ''}): ${event.reason}`;
    case 'waiting':
      return `${paint('yellow', 'waiting')} ${(event.delayMs / 1000).toFixed(1)}s for page ${event.page}: ${event.reason}`;
    case 'warning':
      return `${paint('yellow', 'warning:')} ${event.message}`;
    default:
      return undefined;
  }
}

export function failureText(failure: ApplyResult['failures'][number]): string {
  const codes = failure.code === undefined ? '' : ` [code ${failure.code}${failure.subcode ? `, subcode ${failure.subcode}` : ''}${failure.fbtraceId ? `, fbtrace_id ${failure.fbtraceId}` : ''}]`;
  return `${failure.message}${codes}`;
}

export function renderApplyEnd(result: ApplyResult, outputs: OutputResult[], paint: Paint): string {
  const lines: string[] = [''];
  for (const output of outputs) lines.push(output.status === 'written' ? `Wrote ${output.path}` : `${output.path} is up to date`);
  if (result.failures.length > 0) {
    lines.push('', paint('red', `${result.failures.length} action${result.failures.length === 1 ? '' : 's'} failed:`));
    for (const failure of result.failures) lines.push(`  ${failure.page}/${failure.name}: ${failureText(failure)}`);
  }
  lines.push('', summaryLine(result));
  return `${lines.join('\n')}\n`;
}

export function summaryLine(result: ApplyResult): string {
  return `Apply complete: ${result.created} created, ${result.updated} updated, ${result.refreshed} refreshed, ${result.forgotten} forgotten, ${result.failures.length} failed.`;
}
