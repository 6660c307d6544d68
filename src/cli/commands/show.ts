// `attachform show FILE`: render a saved plan, as `plan` would (or its JSON with --json), and warn
// on stderr — without failing — when it has gone stale against the current state and sources.
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { COMMON_HELP } from '../command.js';
import type { ParsedArgs } from '../arguments.js';
import type { CliDeps } from '../deps.js';
import { openContext } from '../context.js';
import { readPlanFile } from '../../plan/plan-file.js';
import { findPlanDrift } from '../../plan/plan-drift.js';
import { preparePlan } from '../../plan/prepare-plan.js';
import type { Plan } from '../../plan/types.js';
import { isUserError, UserError } from '../../user-error.js';
import { VERSION } from '../../version.js';
import { renderPlan } from '../views/plan-view.js';
import { renderPlanMarkdown } from '../views/markdown-view.js';
import { makePaint } from '../views/style.js';
import { describeTargeting } from '../targeting.js';

export const showCommand: Command = {
  name: 'show',
  help: `Usage: attachform show PLANFILE [--json | --markdown]

Renders a plan saved by \`attachform plan --out PLANFILE\`: as plan shows it, as its JSON document
(--json), or as the markdown summary (--markdown). Reads the state and the sources again and,
when the plan is stale (the state, the manifest or a source changed since), says what changed on
stderr — \`apply PLANFILE\` would refuse it — but still exits 0.

${COMMON_HELP}`,
  options: { json: { type: 'boolean' }, markdown: { type: 'boolean' } },
  async run(args, deps) {
    if (args.positionals.length !== 1) throw new UserError('show needs one plan file', { hint: 'attachform show PLANFILE [--json]' });
    if (args.values.json && args.values.markdown) throw new UserError('--json and --markdown are two formats of the same output; choose one');
    const file = args.positionals[0];
    const plan = await readPlanFile(resolve(deps.cwd, file), file);
    if (args.values.file === undefined) args.common.file = plan.manifest;
    const stateUrl = await warnWhenStale(file, plan, args, deps);
    if (args.values.json) deps.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    else if (args.values.markdown) deps.stdout.write(renderPlanMarkdown(plan));
    else {
      const targeting = describeTargeting(plan.targeting);
      deps.stdout.write(`Saved plan ${file}, made ${plan.created_at} by attachform ${plan.attachform_version}.\n`);
      if (targeting) deps.stdout.write(`Targeting ${targeting}: ${plan.targeting!.left_out} other change${plan.targeting!.left_out === 1 ? '' : 's'} left out.\n`);
      deps.stdout.write(renderPlan(plan, stateUrl ?? 'the state', makePaint(deps.stdout, deps, args.common.noColor)));
    }
    return 'ok';
  },
};

/** Returns the state's display URL when it could be read. Never throws for a stale or unreadable state. */
async function warnWhenStale(file: string, saved: Plan, args: ParsedArgs, deps: CliDeps): Promise<string | undefined> {
  let context;
  try {
    context = await openContext(args, deps, { tokens: false, graph: false });
    const { plan: fresh } = await preparePlan({ ...context, now: deps.now(), version: VERSION });
    const drift = findPlanDrift(saved, fresh);
    if (drift.length > 0) {
      deps.stderr.write(`warning: the saved plan ${file} is stale; \`attachform apply ${file}\` would refuse it:\n${drift.map((d) => `  - ${d}`).join('\n')}\n`);
    }
    return context.state.displayUrl;
  } catch (error) {
    const reason = isUserError(error) || error instanceof Error ? error.message : String(error);
    deps.stderr.write(`warning: could not check whether ${file} is stale: ${reason}\n`);
    return context?.state.displayUrl;
  } finally {
    await context?.close();
  }
}
