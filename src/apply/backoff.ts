// Exponential backoff with "equal jitter": half the delay fixed, half random, so retries of many
// uploads that failed together spread out instead of arriving together again.

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** Retries of a failed request (5xx, transient codes, network errors). */
export const RETRY_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000 };
/** A rate-limit answer that said nothing of how long to wait. */
export const RATE_LIMIT_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 300_000 };

/** Delay before retry number `attempt` (1 for the first retry). */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
