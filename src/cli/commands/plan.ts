// `attachform plan`: what apply would do, and why. Makes no Graph API call and writes nothing.
import type { Command } from '../command.js';
import { COMMON_HELP } from '../command.js';
import { openContext } from '../context.js';
import { preparePlan } from '../../plan/prepare-plan.js';
import { isChange } from '../../plan/types.js';
import { renderPlan } from '../views/plan-view.js';
import { makePaint } from '../views/style.js';
import { VERSION } from '../../version.js';
import { formatDiagnostic } from '../../manifest/diagnostics.js';

export const planCommand: Command = {
  name: 'plan',
  summary: 'show what apply would upload, refresh or forget, and why',
  help: `Usage: attachform plan [--json] [--detailed-exitcode]

Compares assets.yaml with the state, by content hash (SHA-256) and by expiry, and lists each
change with its reason, ending with one summary line:
  Plan: C to create, U to update, R to refresh, F to forget, N unchanged.   (or: No changes.)
Reads local files and fetches URL assets (conditionally) to hash them; makes no Graph API call.

Options:
  --json                one JSON document (format_version 1) instead of the human output
  --detailed-exitcode   exit 0 when there are no changes, 2 when there are, 1 on error
  --no-cache            hash every file, ignoring the local stat cache (.attachform/stat-cache.json)

${COMMON_HELP}`,
  options: {
    json: { type: 'boolean' },
    'detailed-exitcode': { type: 'boolean' },
    'no-cache': { type: 'boolean' },
  },
  async run(args, deps) {
    const context = await openContext(args, deps, { tokens: true, graph: false });
    try {
      const { plan, warnings } = await preparePlan({ ...context, now: deps.now(), version: VERSION, noCache: args.values['no-cache'] === true });
      for (const warning of warnings) deps.stderr.write(`${formatDiagnostic(warning)}\n`);
      if (args.values.json) deps.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
      else deps.stdout.write(renderPlan(plan, context.state.displayUrl, makePaint(deps.stdout, deps, args.common.noColor)));
      return args.values['detailed-exitcode'] && plan.actions.some(isChange) ? 'changes' : 'ok';
    } finally {
      await context.close();
    }
  },
};
