// `apply FILE`: apply exactly a plan saved by `plan --out FILE`. The plan is read before anything
// else (it names its manifest); under the lock, the state and every source are read again and the
// plan is refused — nothing uploaded — when anything it was made from has changed since.
import { resolve } from 'node:path';
import type { ParsedArgs } from '../arguments.js';
import type { CliDeps } from '../deps.js';
import { readPlanFile } from '../../plan/plan-file.js';
import { findPlanDrift } from '../../plan/plan-drift.js';
import { isTargeted } from '../../plan/target-plan.js';
import type { Plan } from '../../plan/types.js';
import { UserError } from '../../user-error.js';
import { readTargeting } from '../targeting.js';

export interface SavedPlan {
  /** The file as the user gave it. */
  file: string;
  plan: Plan;
}

/** Reads the plan file named by apply's argument, and points -f at its manifest unless -f was given. */
export async function readSavedPlan(args: ParsedArgs, deps: CliDeps): Promise<SavedPlan | undefined> {
  if (args.positionals.length === 0) return undefined;
  if (args.positionals.length > 1) throw new UserError(`apply takes at most one plan file, got ${args.positionals.length} arguments`, { hint: 'attachform apply [PLANFILE]' });
  const file = args.positionals[0];
  if (isTargeted(readTargeting(args.values))) {
    throw new UserError('a saved plan carries its own targeting; --target, --exclude and --only-expiring go on `attachform plan --out FILE`');
  }
  const plan = await readPlanFile(resolve(deps.cwd, file), file);
  if (args.values.file === undefined) args.common.file = plan.manifest;
  return { file, plan };
}

/** Throws, saying what changed, when the saved plan is no longer what a plan made now starts from. */
export function refuseStalePlan(saved: SavedPlan, fresh: Plan): void {
  const drift = findPlanDrift(saved.plan, fresh);
  if (drift.length === 0) return;
  throw new UserError(`the saved plan ${saved.file} is stale; nothing was applied:\n${drift.map((d) => `  - ${d}`).join('\n')}`, {
    hint: `make a new plan (\`attachform plan --out ${saved.file}\`), review it, and apply that`,
  });
}
