// Durations read from the environment knobs meant for operations and tests (ATTACHFORM_HTTP_TIMEOUT,
// ATTACHFORM_LOCK_STALE_AFTER): a whole number and a unit, `500ms`, `30s`, `2m`, `1h`.
import { UserError } from '../user-error.js';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** Milliseconds from `env[name]`, undefined when unset or empty; a UserError naming the variable when malformed. */
export function envDuration(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const match = /^(\d+)(ms|s|m|h)$/.exec(raw.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : NaN;
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new UserError(`${name}=${JSON.stringify(raw)} is not a duration`, { hint: `set it like 500ms, 30s, 2m or 1h (more than zero), or unset it` });
  }
  return ms;
}
