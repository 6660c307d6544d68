import type { PlannedAction, PlanSummary } from './types.js';

/** Counts per action; `unchanged` counts the noops. */
export function summarize(actions: PlannedAction[]): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, refresh: 0, forget: 0, unchanged: 0 };
  for (const { action } of actions) {
    if (action === 'noop') summary.unchanged++;
    else summary[action]++;
  }
  return summary;
}
