// Targeting: narrow a built plan to the actions whose asset names match --target (any of them; all
// when none) and none of --exclude, or — with --only-expiring — to the refreshes. Forgets are kept
// only for matching names too. The plan is built whole first, so reuse of existing ids still works;
// an action that was to share the upload of an action left out is made an uploader itself.
import type { matchesGlob } from './glob-match.js';
import { summarize } from './summarize.js';
import type { Plan, PlannedAction, PlanTargeting } from './types.js';

export interface TargetOptions {
  target: string[];
  exclude: string[];
  onlyExpiring: boolean;
}

export function isTargeted(options: TargetOptions): boolean {
  return options.target.length > 0 || options.exclude.length > 0 || options.onlyExpiring;
}

/** Async only to load picomatch when there are patterns: a plan without them (the usual one) never does. */
export async function targetPlan(plan: Plan, options: TargetOptions): Promise<Plan> {
  if (!isTargeted(options)) return plan;
  const matcher = options.target.length > 0 || options.exclude.length > 0 ? (await import('./glob-match.js')).matchesGlob : undefined;
  const kept = plan.actions.filter((action) => isKept(action, options, matcher)).map((action) => ({ ...action }));
  reshareUploads(kept);
  const leftOut = plan.actions.filter((a) => a.action !== 'noop').length - kept.filter((a) => a.action !== 'noop').length;
  const targeting: PlanTargeting = { target: [...options.target], exclude: [...options.exclude], only_expiring: options.onlyExpiring, left_out: leftOut };
  return { ...plan, actions: kept, summary: summarize(kept), targeting };
}

/** `matcher` is there whenever options have a target or an exclude. */
function isKept(action: PlannedAction, options: TargetOptions, matcher: typeof matchesGlob | undefined): boolean {
  if (options.onlyExpiring && action.action !== 'refresh' && action.action !== 'noop') return false;
  if (!matcher) return true;
  const matches = (pattern: string) => matcher(pattern, action.page, action.name);
  if (options.target.length > 0 && !options.target.some(matches)) return false;
  return !options.exclude.some(matches);
}

/** Sharers of an upload that was left out: the first (by name) uploads, the others share its upload. */
function reshareUploads(actions: PlannedAction[]): void {
  const uploaders = new Set(actions.filter((a) => a.action !== 'noop' && a.action !== 'forget' && a.reuses === null).map((a) => `${a.page_id}\0${a.name}`));
  const replaced = new Map<string, string>();
  for (const action of actions) {
    if (action.reuses === null || action.attachment_id !== null || action.action === 'noop' || action.action === 'forget') continue;
    const key = `${action.page_id}\0${action.reuses}`;
    if (uploaders.has(key)) continue;
    const stand = replaced.get(key);
    const reason = action.reason.replace(/; same content as [^;]*, shares its upload$/, '');
    if (stand === undefined) {
      replaced.set(key, action.name);
      action.reuses = null;
      action.reason = reason;
    } else {
      action.reuses = stand;
      action.reason = `${reason}; same content as ${stand}, shares its upload`;
    }
  }
}
