// `attachform apply`: plan under the state lock, confirm, upload, record each success at once, then
// rewrite the outputs from the state — even after a partial failure.
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { COMMON_HELP } from '../command.js';
import { intOption, lockTimeoutOption } from '../arguments.js';
import { openContext, type CommandContext } from '../context.js';
import { startHashPoolEarly } from '../early-hash-pool.js';
import type { CliDeps, Outcome } from '../deps.js';
import { confirmApply } from '../confirm.js';
import { preparePlan } from '../../plan/prepare-plan.js';
import { isChange } from '../../plan/types.js';
import { UserError } from '../../user-error.js';
import { makePaint } from '../views/style.js';
import type { ParsedArgs } from '../arguments.js';
import { VERSION } from '../../version.js';
import { formatDiagnostic } from '../../manifest/diagnostics.js';
import { targetPlan } from '../../plan/target-plan.js';
import { TARGET_HELP, TARGET_OPTIONS, readTargeting } from '../targeting.js';
import { executePlan, showPlan, type ApplyOutputMode, type ApplySettings } from './apply-execute.js';
import { readSavedPlan, refuseStalePlan, type SavedPlan } from './apply-saved-plan.js';
import { envDuration } from '../env-durations.js';

export const applyCommand: Command = {
  name: 'apply',
  help: `Usage: attachform apply [PLANFILE] [--auto-approve] [--json] [--concurrency N] [--rps N]
                        [--max-retries N] [--lock-timeout D] [--target GLOB]... [--exclude GLOB]...
                        [--only-expiring]

Plans (as \`attachform plan\`), asks for confirmation on a TTY, then uploads every new, changed or
expiring asset with is_reusable: true, writes each id to the state as soon as it arrives, and
rewrites the outputs from the state. Holds the state lock while it works. Exit 0 when every
action succeeded, 1 otherwise (each failure is listed at the end).

With PLANFILE (from \`attachform plan --out PLANFILE\`), applies exactly that plan, without asking:
the state and every source are read again under the lock, and when the state's lineage or serial,
the manifest or any source's SHA-256 changed since the plan was made, nothing is applied (exit 1).

Options:
  --auto-approve        apply without asking (required without a TTY)
  --concurrency N       uploads in flight at once (default 4)
  --rps N               requests per second per page (default 10)
  --max-retries N       retries of a failed upload (default 5)
  --lock-timeout D      wait up to D (30s, 2m) for a held state lock (default: fail at once)
  --json                one JSON event per line on stdout (schema/plan.schema.json); needs
                        --auto-approve or a PLANFILE
${TARGET_HELP}

${COMMON_HELP}`,
  options: {
    'auto-approve': { type: 'boolean' },
    concurrency: { type: 'string' },
    rps: { type: 'string' },
    'max-retries': { type: 'string' },
    'lock-timeout': { type: 'string' },
    json: { type: 'boolean' },
    ...TARGET_OPTIONS,
  },
  async run(args, deps) {
    const settings = {
      concurrency: intOption(args.values, 'concurrency', 4),
      rps: intOption(args.values, 'rps', 10),
      maxRetries: intOption(args.values, 'max-retries', 5, 0),
      lockTimeoutMs: lockTimeoutOption(args.values),
      // Operations and testing knobs: how long a lock may go unrenewed before it counts as abandoned
      // (default 60 s), and the time limit of each Graph request (default 120 s).
      staleAfterMs: envDuration(deps.env, 'ATTACHFORM_LOCK_STALE_AFTER'),
      httpTimeoutMs: envDuration(deps.env, 'ATTACHFORM_HTTP_TIMEOUT'),
    };
    const saved = await readSavedPlan(args, deps);
    const hashPool = startHashPoolEarly(resolve(deps.cwd, args.common.file), false);
    const context = await openContext(args, deps, { tokens: true, graph: true, hashPool });
    try {
      const mode = { json: args.values.json === true, paint: makePaint(deps.stdout, deps, args.common.noColor) };
      const lock = await context.state.acquireLock({
        operation: 'apply',
        timeoutMs: settings.lockTimeoutMs,
        staleAfterMs: settings.staleAfterMs,
        onWait: (holder) => deps.stderr.write(`waiting up to ${args.values['lock-timeout']} for the state lock ${holder.id} held by ${holder.who}@${holder.host} (pid ${holder.pid}, ${holder.operation} since ${holder.since})\n`),
        onTakeover: (previous) => deps.stderr.write(`warning: took over an abandoned state lock ${previous.id} (held by ${previous.who}@${previous.host} pid ${previous.pid} since ${previous.since}, not renewed since ${previous.renewedAt})\n`),
      });
      try {
        return await planAndApply(args, deps, context, { ...settings, stillLocked: () => lock.stillHeld() }, mode, saved);
      } finally {
        await lock.release();
      }
    } finally {
      await context.close();
    }
  },
};

async function planAndApply(
  args: ParsedArgs,
  deps: CliDeps,
  context: CommandContext,
  settings: ApplySettings,
  mode: ApplyOutputMode,
  saved: SavedPlan | undefined,
): Promise<Outcome> {
  const prepared = await preparePlan({ ...context, now: deps.now(), version: VERSION });
  for (const warning of prepared.warnings) deps.stderr.write(`${formatDiagnostic(warning)}\n`);
  if (saved) refuseStalePlan(saved, prepared.plan);
  const plan = saved ? saved.plan : await targetPlan(prepared.plan, readTargeting(args.values));
  showPlan(deps, context, plan, mode, saved?.file ?? null);
  const hasChanges = plan.actions.some(isChange);
  // A saved plan was reviewed when it was made: it needs no confirmation.
  if (hasChanges && !saved && !args.values['auto-approve']) {
    if (mode.json) throw new UserError('apply --json cannot ask for confirmation', { hint: 'add --auto-approve, or apply a saved plan: `attachform apply FILE --json`' });
    if (!deps.stdin.isTTY) {
      throw new UserError('apply needs confirmation, and there is no terminal to ask', { hint: 'run with --auto-approve (as CI does), after reviewing `attachform plan`' });
    }
    if (!(await confirmApply(deps))) {
      deps.stdout.write('Apply cancelled; nothing was uploaded.\n');
      return 'failed';
    }
  }
  return executePlan(deps, context, prepared, plan, settings, mode);
}


