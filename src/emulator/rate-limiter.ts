// Per-page rate limiting as Graph does it: more than `calls` calls within `windowMs` blocks the page
// for `blockMs`, and every call made while blocked extends the block (Meta asks clients to stop
// calling while limited for exactly this reason). Time comes from the emulator's clock.

export interface RateLimit {
  calls: number;
  windowMs: number;
  blockMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Calls in the current window, as a percentage of the limit (for the usage headers). */
  usagePercent: number;
  /** Milliseconds until the page may call again (0 when allowed). */
  blockedForMs: number;
}

export interface RateLimiter {
  /** Counts one call of `pageId` at `now` and says whether it may proceed. */
  take(pageId: string, now: number, limit: RateLimit | undefined): RateDecision;
  reset(): void;
}

export function createRateLimiter(): RateLimiter {
  const calls = new Map<string, number[]>();
  const blockedUntil = new Map<string, number>();

  return {
    take(pageId, now, limit) {
      if (limit === undefined) return { allowed: true, usagePercent: 0, blockedForMs: 0 };
      if (now < (blockedUntil.get(pageId) ?? 0)) {
        // A call while blocked starts the block afresh from now.
        blockedUntil.set(pageId, now + limit.blockMs);
        return { allowed: false, usagePercent: 100, blockedForMs: limit.blockMs };
      }
      const recent = (calls.get(pageId) ?? []).filter((at) => at > now - limit.windowMs);
      recent.push(now);
      if (recent.length > limit.calls) {
        // Over the limit: blocked, and a new window starts when the block ends.
        blockedUntil.set(pageId, now + limit.blockMs);
        calls.delete(pageId);
        return { allowed: false, usagePercent: 100, blockedForMs: limit.blockMs };
      }
      calls.set(pageId, recent);
      return { allowed: true, usagePercent: Math.round((recent.length / limit.calls) * 100), blockedForMs: 0 };
    },
    reset() {
      calls.clear();
      blockedUntil.clear();
    },
  };
}
