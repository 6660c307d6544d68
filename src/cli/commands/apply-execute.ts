// The second half of apply, shared by `apply` and `apply FILE`: run the plan's actions against the
// Graph API (progress on a TTY, lines in a log, or JSON Lines with --json), rewrite the outputs from
// the state, report the end and append the markdown summary to GITHUB_STEP_SUMMARY.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { applyPlan } from '../../apply/apply-plan.js';
import { collectInputs } from '../../apply/collect-inputs.js';
import { downloadToTemp } from '../../apply/download-url.js';
import type { ApplyResult } from '../../apply/types.js';
import { emitOutputs } from '../../codegen/emit-outputs.js';
import type { PreparedPlan } from '../../plan/prepare-plan.js';
import type { Plan } from '../../plan/types.js';
import type { CommandContext } from '../context.js';
import type { CliDeps, Outcome } from '../deps.js';
import { appendStepSummary } from '../step-summary.js';
import { renderApplyEnd } from '../views/apply-view.js';
import { planEvent, summaryEvent, toJsonEvent } from '../views/apply-json-view.js';
import { renderPlanMarkdown, renderApplyMarkdown } from '../views/markdown-view.js';
import { renderPlan } from '../views/plan-view.js';
import { createApplyProgress, type ApplyProgress } from '../views/progress-view.js';
import type { Paint } from '../views/style.js';
import { describeTargeting } from '../targeting.js';
import { watchInterrupts } from '../interrupts.js';

export interface ApplySettings {
  concurrency: number;
  rps: number;
  maxRetries: number;
  /** Time limit of each Graph request (ATTACHFORM_HTTP_TIMEOUT; default the client's). */
  httpTimeoutMs?: number;
  /** Whether this run still holds the state lock (checked before every request). */
  stillLocked: () => Promise<boolean>;
}

const LOST_LOCK =
  'not attempted: this apply no longer holds the state lock (broken with force-unlock, or taken over by another run while this one was stalled); run apply again';

/** How apply talks: human (paint) or JSON Lines. */
export interface ApplyOutputMode {
  json: boolean;
  paint: Paint;
}

/** The plan about to be applied: human text, or the first JSON line. */
export function showPlan(deps: CliDeps, context: CommandContext, plan: Plan, mode: ApplyOutputMode, savedPlan: string | null): void {
  if (mode.json) {
    deps.stdout.write(`${JSON.stringify(planEvent(plan, savedPlan))}\n`);
    return;
  }
  if (savedPlan) deps.stdout.write(`Applying the saved plan ${savedPlan} (made ${plan.created_at}, state serial ${plan.state_serial}).\n`);
  const targeting = describeTargeting(plan.targeting);
  if (targeting) deps.stdout.write(`Targeting ${targeting}: ${plan.targeting!.left_out} other change${plan.targeting!.left_out === 1 ? '' : 's'} left out.\n`);
  deps.stdout.write(renderPlan(plan, context.state.displayUrl, mode.paint));
}

export async function executePlan(deps: CliDeps, context: CommandContext, prepared: PreparedPlan, plan: Plan, settings: ApplySettings, mode: ApplyOutputMode): Promise<Outcome> {
  const hasChanges = plan.actions.some((a) => a.action !== 'noop');
  if (hasChanges && !mode.json) deps.stdout.write('\n');
  const { createGraphClient } = await import('../../graph/graph-client.js'); // undici: only apply needs it
  await keepWasmOnBaselineTier();
  const graph = createGraphClient({ graphUrl: context.graphUrl, apiVersion: context.manifest.graph.apiVersion, timeoutMs: settings.httpTimeoutMs });
  const interrupts = watchInterrupts(deps.stderr);
  const progress: ApplyProgress | undefined = mode.json || !hasChanges ? undefined : await createApplyProgress(deps.stdout, mode.paint, plan, { clock: () => performance.now() });
  let result: ApplyResult;
  try {
    result = await applyPlan(
      plan.actions,
      { concurrency: settings.concurrency, rps: settings.rps, maxRetries: settings.maxRetries, ttlMs: context.manifest.defaults.ttlMs },
      {
        graph,
        state: context.state,
        snapshot: prepared.snapshot,
        tokens: context.tokens,
        inputs: collectInputs(plan.actions, context.assets, prepared.facts),
        download: downloadToTemp,
        now: deps.now,
        monotonic: () => performance.now(),
        sleep: (ms) => sleep(ms),
        random: Math.random,
        mayStart: async () => {
          const signal = interrupts.received();
          if (signal) return `not attempted: apply was interrupted (${signal}); run apply again`;
          if (!(await settings.stillLocked())) return LOST_LOCK;
          return undefined;
        },
        onEvent: (event) => {
          if (!mode.json) return progress?.onEvent(event);
          const line = toJsonEvent(event);
          if (line) deps.stdout.write(`${JSON.stringify(line)}\n`);
        },
      },
    );
  } finally {
    progress?.stop();
    await graph.close();
    interrupts.stop();
  }
  const outputs = await emitOutputs(context.manifest, (await context.state.read()).records);
  deps.stdout.write(mode.json ? `${JSON.stringify(summaryEvent(result, outputs))}\n` : renderApplyEnd(result, outputs, mode.paint));
  await appendStepSummary(deps, `${renderApplyMarkdown(result, outputs, plan)}\n${renderPlanMarkdown(plan, { title: 'applied plan' })}`);
  return result.failures.length > 0 ? 'failed' : 'ok';
}

// undici parses HTTP with llhttp compiled to WebAssembly; once it is hot, V8 recompiles it with its
// optimising compiler on a background thread, ~29 MB of compiler memory at once in the middle of the
// uploads (peak RSS of apply 16 × 25 MB: 125 → 97 MB without it). The baseline code parses Graph's
// small answers fast enough. Only for the CLI (a flag is process-wide, so the library leaves it to
// its host), and only here: once V8's flags change, node's cached code of its own modules no longer
// matches them, so every built-in module loaded afterwards — a hash worker's whole start among them
// — is compiled afresh (a worker took ~55 ms to start instead of ~27). By now the hash workers are
// done and undici's modules are loaded; llhttp itself is compiled at the first connection.
async function keepWasmOnBaselineTier(): Promise<void> {
  const { setFlagsFromString } = await import('node:v8'); // loads ~3 ms of node's modules: not at start
  setFlagsFromString('--wasm-tiering-budget=1000000000');
}
