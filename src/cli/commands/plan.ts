// `attachform plan`: what apply would do, and why. Makes no Graph API call; writes nothing but the
// plan file asked for (--out) and the job summary (GITHUB_STEP_SUMMARY).
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { COMMON_HELP } from '../command.js';
import { openContext } from '../context.js';
import { startHashPoolEarly } from '../early-hash-pool.js';
import { preparePlan } from '../../plan/prepare-plan.js';
import { writePlanFile } from '../../plan/plan-file.js';
import { targetPlan } from '../../plan/target-plan.js';
import { isChange } from '../../plan/types.js';
import { renderPlan } from '../views/plan-view.js';
import { renderPlanMarkdown } from '../views/markdown-view.js';
import { showTransient } from '../views/transient-line.js';
import { makePaint } from '../views/style.js';
import { VERSION } from '../../version.js';
import { formatDiagnostic } from '../../manifest/diagnostics.js';
import { UserError } from '../../user-error.js';
import { appendStepSummary } from '../step-summary.js';
import { TARGET_HELP, TARGET_OPTIONS, describeTargeting, readTargeting } from '../targeting.js';

export const planCommand: Command = {
  name: 'plan',
  help: `Usage: attachform plan [--out FILE] [--json | --markdown] [--detailed-exitcode] [--no-cache]
                       [--target GLOB]... [--exclude GLOB]... [--only-expiring]

Compares assets.yaml with the state, by content hash (SHA-256) and by expiry, and lists each
change with its reason, ending with one summary line:
  Plan: C to create, U to update, R to refresh, F to forget, N unchanged.   (or: No changes.)
Reads local files and fetches URL assets (conditionally) to hash them; makes no Graph API call.
When GITHUB_STEP_SUMMARY names a file, the markdown summary is appended to it.

Options:
  --out FILE            also save the plan, for \`attachform apply FILE\` (no token is saved)
  --json                one JSON document (format_version 1) instead of the human output
  --markdown            a summary for a pull-request comment (under GitHub's 65,536 characters)
  --detailed-exitcode   exit 0 when there are no changes, 2 when there are, 1 on error
  --no-cache            hash every file, ignoring the local stat cache (.attachform/stat-cache.json)
${TARGET_HELP}

${COMMON_HELP}`,
  options: {
    out: { type: 'string' },
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    'detailed-exitcode': { type: 'boolean' },
    'no-cache': { type: 'boolean' },
    ...TARGET_OPTIONS,
  },
  async run(args, deps) {
    if (args.values.json && args.values.markdown) throw new UserError('--json and --markdown are two formats of the same output; choose one');
    if (args.positionals.length > 0) throw new UserError(`plan takes no arguments, got ${JSON.stringify(args.positionals[0])}`, { hint: 'to save the plan: --out FILE' });
    if (args.values.out === '') throw new UserError('--out needs a file name, like --out plan.json');
    const targeting = readTargeting(args.values);
    const noCache = args.values['no-cache'] === true;
    const hashPool = startHashPoolEarly(resolve(deps.cwd, args.common.file), noCache);
    const context = await openContext(args, deps, { tokens: true, graph: false, hashPool });
    try {
      const human = !args.values.json && !args.values.markdown;
      const clear = human ? await showTransient(deps.stdout, `Reading ${context.assets.length} asset source${context.assets.length === 1 ? '' : 's'}…`) : () => {};
      let prepared;
      try {
        prepared = await preparePlan({ ...context, now: deps.now(), version: VERSION, noCache });
      } finally {
        clear();
      }
      for (const warning of prepared.warnings) deps.stderr.write(`${formatDiagnostic(warning)}\n`);
      const plan = await targetPlan(prepared.plan, targeting);
      if (typeof args.values.out === 'string') await writePlanFile(resolve(deps.cwd, args.values.out), plan);
      const markdown = renderPlanMarkdown(plan);
      if (args.values.json) deps.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
      else if (args.values.markdown) deps.stdout.write(markdown);
      else {
        const described = describeTargeting(plan.targeting);
        if (described) deps.stdout.write(`Targeting ${described}: ${plan.targeting!.left_out} other change${plan.targeting!.left_out === 1 ? '' : 's'} left out.\n`);
        // The summary stays the last line, so the note on the saved file comes first.
        if (typeof args.values.out === 'string') deps.stdout.write(`Saved the plan to ${args.values.out}; apply exactly it with \`attachform apply ${args.values.out}\`.\n\n`);
        deps.stdout.write(renderPlan(plan, context.state.displayUrl, makePaint(deps.stdout, deps, args.common.noColor)));
      }
      await appendStepSummary(deps, markdown);
      return args.values['detailed-exitcode'] && plan.actions.some(isChange) ? 'changes' : 'ok';
    } finally {
      await context.close();
    }
  },
};
