// The human rendering of a plan: one line per change with its reason, then exactly one summary line.
import type { ActionKind, Plan, PlannedAction } from '../../plan/types.js';
import type { Colour, Paint } from './style.js';

const MARKS: Record<ActionKind, { mark: string; colour: Colour }> = {
  create: { mark: '+', colour: 'green' },
  update: { mark: '~', colour: 'yellow' },
  refresh: { mark: '↻', colour: 'cyan' },
  forget: { mark: '-', colour: 'red' },
  noop: { mark: ' ', colour: 'dim' },
};

export function renderPlan(plan: Plan, stateUrl: string, paint: Paint): string {
  const changes = plan.actions.filter((a) => a.action !== 'noop');
  const lines = [`Plan for ${plan.manifest} against ${stateUrl} (serial ${plan.state_serial}):`, ''];
  if (changes.length === 0) {
    lines.push(`  All ${plan.summary.unchanged} attachment${plan.summary.unchanged === 1 ? ' is' : 's are'} up to date.`, '', summaryLine(plan));
    return `${lines.join('\n')}\n`;
  }
  const width = Math.max(...changes.map((a) => `${a.page}/${a.name}`.length));
  for (const action of changes) lines.push(actionLine(action, width, paint));
  lines.push('');
  if (plan.summary.unchanged > 0) lines.push(paint('dim', `  (${plan.summary.unchanged} unchanged not listed)`), '');
  lines.push(summaryLine(plan));
  return `${lines.join('\n')}\n`;
}

function actionLine(action: PlannedAction, width: number, paint: Paint): string {
  const { mark, colour } = MARKS[action.action];
  const where = `${action.page}/${action.name}`.padEnd(width);
  const source = 'path' in action.source ? action.source.path : action.source.url;
  const upload = action.action === 'forget' ? 'no request' : action.reuses === null ? 'upload' : `no upload, reuses ${action.reuses}`;
  return `  ${paint(colour, `${mark} ${action.action.padEnd(7)}`)} ${paint('bold', where)}  ${action.type.padEnd(5)}  ${source}  — ${action.reason} (${upload})`;
}

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  if (s.create + s.update + s.refresh + s.forget === 0) return 'No changes.';
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.refresh} to refresh, ${s.forget} to forget, ${s.unchanged} unchanged.`;
}
