// `attachform apply`: plan under the state lock, confirm, upload, record each success at once, then
// rewrite the outputs from the state — even after a partial failure.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from '../command.js';
import { COMMON_HELP } from '../command.js';
import { intOption } from '../arguments.js';
import { openContext, type CommandContext } from '../context.js';
import type { CliDeps, Outcome } from '../deps.js';
import { confirmApply } from '../confirm.js';
import { preparePlan } from '../../plan/prepare-plan.js';
import { isChange } from '../../plan/types.js';
import { applyPlan } from '../../apply/apply-plan.js';
import { collectInputs } from '../../apply/collect-inputs.js';
import { downloadToTemp } from '../../apply/download-url.js';
import { createGraphClient } from '../../graph/graph-client.js';
import { emitOutputs } from '../../codegen/emit-outputs.js';
import { parseDuration } from '../../manifest/durations.js';
import { UserError } from '../../user-error.js';
import { renderPlan } from '../views/plan-view.js';
import { eventLine, renderApplyEnd } from '../views/apply-view.js';
import { makePaint } from '../views/style.js';
import type { ParsedArgs } from '../arguments.js';
import { VERSION } from '../../version.js';
import { formatDiagnostic } from '../../manifest/diagnostics.js';
import { envDuration } from '../env-durations.js';
import { watchInterrupts } from '../interrupts.js';

export const applyCommand: Command = {
  name: 'apply',
  summary: 'upload what is new, changed or about to expire; record ids; write the module',
  help: `Usage: attachform apply [--auto-approve] [--concurrency N] [--rps N] [--max-retries N] [--lock-timeout D]

Plans (as \`attachform plan\`), asks for confirmation on a TTY, then uploads every new, changed or
expiring asset with is_reusable: true, writes each id to the state as soon as it arrives, and
rewrites the outputs from the state. Holds the state lock while it works. Exit 0 when every
action succeeded, 1 otherwise (each failure is listed at the end).

Options:
  --auto-approve        apply without asking (required without a TTY)
  --concurrency N       uploads in flight at once (default 4)
  --rps N               requests per second per page (default 10)
  --max-retries N       retries of a failed upload (default 5)
  --lock-timeout D      wait up to D (30s, 2m) for a held state lock (default: fail at once)

${COMMON_HELP}`,
  options: {
    'auto-approve': { type: 'boolean' },
    concurrency: { type: 'string' },
    rps: { type: 'string' },
    'max-retries': { type: 'string' },
    'lock-timeout': { type: 'string' },
  },
  async run(args, deps) {
    const settings = {
      concurrency: intOption(args.values, 'concurrency', 4),
      rps: intOption(args.values, 'rps', 10),
      maxRetries: intOption(args.values, 'max-retries', 5, 0),
      lockTimeoutMs: lockTimeout(args.values['lock-timeout']),
      // Operations and testing knobs: how long a lock may go unrenewed before it counts as abandoned
      // (default 60 s), and the time limit of each Graph request (default 120 s).
      staleAfterMs: envDuration(deps.env, 'ATTACHFORM_LOCK_STALE_AFTER'),
      httpTimeoutMs: envDuration(deps.env, 'ATTACHFORM_HTTP_TIMEOUT'),
    };
    const context = await openContext(args, deps, { tokens: true, graph: true });
    try {
      const paint = makePaint(deps.stdout, deps, args.common.noColor);
      const lock = await context.state.acquireLock({
        operation: 'apply',
        timeoutMs: settings.lockTimeoutMs,
        staleAfterMs: settings.staleAfterMs,
        onWait: (holder) => deps.stderr.write(`waiting up to ${args.values['lock-timeout']} for the state lock ${holder.id} held by ${holder.who}@${holder.host} (pid ${holder.pid}, ${holder.operation} since ${holder.since})\n`),
        onTakeover: (previous) => deps.stderr.write(`warning: took over an abandoned state lock ${previous.id} (held by ${previous.who}@${previous.host} pid ${previous.pid} since ${previous.since}, not renewed since ${previous.renewedAt})\n`),
      });
      try {
        return await planAndApply(args, deps, context, settings, paint, () => lock.stillHeld());
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
  settings: { concurrency: number; rps: number; maxRetries: number; httpTimeoutMs?: number },
  paint: ReturnType<typeof makePaint>,
  stillLocked: () => Promise<boolean>,
): Promise<Outcome> {
  const prepared = await preparePlan({ ...context, now: deps.now(), version: VERSION });
  for (const warning of prepared.warnings) deps.stderr.write(`${formatDiagnostic(warning)}\n`);
  deps.stdout.write(renderPlan(prepared.plan, context.state.displayUrl, paint));
  const hasChanges = prepared.plan.actions.some(isChange);
  if (hasChanges && !args.values['auto-approve']) {
    if (!deps.stdin.isTTY) {
      throw new UserError('apply needs confirmation, and there is no terminal to ask', { hint: 'run with --auto-approve (as CI does), after reviewing `attachform plan`' });
    }
    if (!(await confirmApply(deps))) {
      deps.stdout.write('Apply cancelled; nothing was uploaded.\n');
      return 'failed';
    }
  }
  if (hasChanges) deps.stdout.write('\n');
  const interrupts = watchInterrupts(deps.stderr);
  const graph = createGraphClient({ graphUrl: context.graphUrl, apiVersion: context.manifest.graph.apiVersion, timeoutMs: settings.httpTimeoutMs });
  try {
    const result = await applyPlan(
      prepared.plan.actions,
      { concurrency: settings.concurrency, rps: settings.rps, maxRetries: settings.maxRetries, ttlMs: context.manifest.defaults.ttlMs },
      {
        graph,
        state: context.state,
        snapshot: prepared.snapshot,
        tokens: context.tokens,
        inputs: collectInputs(prepared.plan.actions, context.assets, prepared.facts),
        download: downloadToTemp,
        now: deps.now,
        monotonic: () => performance.now(),
        sleep: (ms) => sleep(ms),
        random: Math.random,
        mayStart: async () => {
          const signal = interrupts.received();
          if (signal) return `not attempted: apply was interrupted (${signal}); run apply again`;
          if (!(await stillLocked())) return LOST_LOCK;
          return undefined;
        },
        onEvent: (event) => {
          const line = eventLine(event, paint);
          if (line) deps.stdout.write(`${line}\n`);
        },
      },
    );
    const outputs = await emitOutputs(context.manifest, (await context.state.read()).records);
    deps.stdout.write(renderApplyEnd(result, outputs, paint));
    return result.failures.length > 0 ? 'failed' : 'ok';
  } finally {
    await graph.close();
    interrupts.stop();
  }
}

const LOST_LOCK =
  'not attempted: this apply no longer holds the state lock (broken with force-unlock, or taken over by another run while this one was stalled); run apply again';

function lockTimeout(value: unknown): number {
  if (value === undefined) return 0;
  try {
    return parseDuration(String(value));
  } catch {
    throw new UserError(`--lock-timeout must be a duration like 30s, 5m or 1h, not ${JSON.stringify(value)}`);
  }
}
