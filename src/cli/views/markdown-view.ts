// Markdown summaries for pull-request comments and GitHub's job summary: the counts first, then the
// changes in a collapsible table. Always at most `maxChars` long (GitHub refuses comments over
// 65,536 characters): rows that do not fit are left out with a note saying how many.
import type { ApplyResult } from '../../apply/types.js';
import type { OutputResult } from '../../codegen/emit-outputs.js';
import type { ActionKind, Plan, PlannedAction } from '../../plan/types.js';
import { describeTargeting } from '../targeting.js';
import { failureText, summaryLine as applySummaryLine } from './apply-view.js';
import { summaryLine as planSummaryLine } from './plan-view.js';

/** GitHub's limit is 65,536; the default leaves room for a header a workflow adds. */
export const DEFAULT_MARKDOWN_LIMIT = 60_000;
const CELL_LIMIT = 200;

const ICONS: Record<ActionKind, string> = { create: '🟢', update: '🟡', refresh: '🔄', forget: '🔴', noop: '⚪' };

export function renderPlanMarkdown(plan: Plan, options: { maxChars?: number; title?: string } = {}): string {
  const changes = plan.actions.filter((a) => a.action !== 'noop');
  const head = [`### ${options.title ?? 'attachform plan'}: ${planSummaryLine(plan)}`, ''];
  const about = [`\`${cell(plan.manifest)}\` against state serial ${plan.state_serial}`];
  const targeting = describeTargeting(plan.targeting);
  if (targeting) about.push(`targeting \`${cell(targeting)}\` (${plan.targeting!.left_out} other change${plan.targeting!.left_out === 1 ? '' : 's'} left out)`);
  head.push(about.join(' · '), '');
  if (changes.length === 0) {
    head.push(`All ${plan.summary.unchanged} attachment${plan.summary.unchanged === 1 ? ' is' : 's are'} up to date.`);
    return fit(`${head.join('\n')}\n`, options.maxChars);
  }
  const uploads = changes.filter((a) => a.action !== 'forget' && a.reuses === null).length;
  const table = ['| | action | asset | type | source | reason |', '|---|---|---|---|---|---|'];
  const rows = changes.map(planRow);
  const summary = `<details><summary>${changes.length} change${changes.length === 1 ? '' : 's'} (${uploads} upload${uploads === 1 ? '' : 's'})</summary>`;
  return fitTable([...head, summary, '', ...table], rows, ['', '</details>'], options.maxChars, 'change');
}

export function renderApplyMarkdown(result: ApplyResult, outputs: OutputResult[], plan: Plan, options: { maxChars?: number } = {}): string {
  const head = [`### attachform apply: ${applySummaryLine(result).replace(/^Apply complete: /, '').replace(/\.$/, '')}`, ''];
  head.push(`\`${cell(plan.manifest)}\`, ${result.requests} Graph API request${result.requests === 1 ? '' : 's'}; outputs: ${outputs.map((o) => `\`${cell(o.path)}\` ${o.status}`).join(', ') || 'none'}`, '');
  if (result.failures.length === 0) return fit(`${head.join('\n')}\n`, options.maxChars);
  const table = ['| asset | error |', '|---|---|'];
  const rows = result.failures.map((f) => `| \`${cell(`${f.page}/${f.name}`)}\` | ${cell(failureText(f))} |`);
  const summary = `<details open><summary>${result.failures.length} failure${result.failures.length === 1 ? '' : 's'}</summary>`;
  return fitTable([...head, summary, '', ...table], rows, ['', '</details>'], options.maxChars, 'failure');
}

function planRow(action: PlannedAction): string {
  const source = 'path' in action.source ? action.source.path : action.source.url;
  const how = action.action === 'forget' ? 'no request' : action.reuses === null ? 'upload' : `no upload, reuses ${action.reuses}`;
  return `| ${ICONS[action.action]} | ${action.action} | \`${cell(`${action.page}/${action.name}`)}\` | ${action.type} | \`${cell(source)}\` | ${cell(`${action.reason} (${how})`)} |`;
}

/** Head, as many rows as fit, a note for the rest, then the tail — never over the limit. */
function fitTable(head: string[], rows: string[], tail: string[], maxChars = DEFAULT_MARKDOWN_LIMIT, noun: string): string {
  const start = `${head.join('\n')}\n`;
  const end = `${tail.join('\n')}\n`;
  const note = (n: number) => `\n_…and ${n} more ${noun}${n === 1 ? '' : 's'} not shown (GitHub limits a comment to 65,536 characters); the job log has them all._\n`;
  let body = '';
  let shown = 0;
  for (const row of rows) {
    const left = rows.length - shown - 1;
    const reserve = left > 0 ? note(left).length : 0;
    if (start.length + body.length + row.length + 1 + reserve + end.length > maxChars) break;
    body += `${row}\n`;
    shown++;
  }
  const rest = rows.length - shown;
  return fit(`${start}${body}${rest > 0 ? note(rest) : ''}${end}`, maxChars);
}

/** Last guard: a head longer than the limit (a giant manifest path) is cut. */
function fit(text: string, maxChars = DEFAULT_MARKDOWN_LIMIT): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 2)}…\n`;
}

/** Text safe inside a table cell and a code span: no pipes, newlines, backticks or HTML. */
function cell(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|').replace(/`/g, "'").replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return flat.length > CELL_LIMIT ? `${flat.slice(0, CELL_LIMIT - 1)}…` : flat;
}
