// Is a saved plan still the plan? Compares it with a plan made now from the same manifest path:
// the state (lineage and serial: any write since, including the first one, makes it stale), the
// manifest's bytes, and every source's SHA-256. Each difference is one line saying what changed.
import type { Plan, PlannedAction } from './types.js';

export function findPlanDrift(saved: Plan, fresh: Plan): string[] {
  const drift: string[] = [];
  if (saved.state_lineage !== fresh.state_lineage) {
    drift.push(`the state is another one: lineage ${shown(saved.state_lineage)} -> ${shown(fresh.state_lineage)}${saved.state_lineage === '' ? ' (it was empty when planned, and has been written since)' : ''}`);
  } else if (saved.state_serial !== fresh.state_serial) {
    drift.push(`the state changed since the plan was made: serial ${saved.state_serial} -> ${fresh.state_serial} (another apply or state command ran)`);
  }
  if (saved.manifest_sha256 !== fresh.manifest_sha256) {
    drift.push(`${saved.manifest} changed: sha256 ${short(saved.manifest_sha256)} -> ${short(fresh.manifest_sha256)}`);
  }
  const now = new Map(fresh.actions.filter((a) => a.action !== 'forget').map((a) => [key(a), a]));
  for (const action of saved.actions) {
    if (action.action === 'forget') continue;
    const current = now.get(key(action));
    if (!current) drift.push(`${action.page}/${action.name} is no longer in ${saved.manifest}`);
    else if (current.sha256 !== action.sha256) drift.push(`${action.page}/${action.name}: ${sourceText(action)} changed: sha256 ${short(action.sha256)} -> ${short(current.sha256)}`);
  }
  return drift;
}

function key(action: PlannedAction): string {
  return `${action.page_id}\0${action.name}`;
}

function sourceText(action: PlannedAction): string {
  return 'path' in action.source ? action.source.path : action.source.url;
}

function short(sha256: string): string {
  return `${sha256.slice(0, 8)}…`;
}

function shown(lineage: string): string {
  return lineage === '' ? '(none: empty state)' : lineage;
}
