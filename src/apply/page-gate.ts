// One gate per page: every request to that page passes through it. It keeps the client-side rate
// limit by pacing: starts are spaced 1000/rps ms apart (plus a 2% margin, so that the jitter between
// a start here and its arrival at Meta cannot put rps + 1 requests in one second there) — never a
// burst, never more than rps in any rolling second. It pauses the page while Meta says it is rate
// limited (calls made while blocked would extend the block), and stops the page for good after a
// token error (190), so no further request is sent with a token Meta has refused.

export class PageStoppedError extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
    this.name = 'PageStoppedError';
  }
}

export interface GateClock {
  monotonic: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Spacing margin over 1000/rps: arrivals stay within the limit despite a few ms of jitter. */
const MARGIN = 1.02;

export class PageGate {
  private readonly intervalMs: number;
  private nextStartAt = -Infinity;
  private blockedUntil = 0;
  private stoppedBy: Error | undefined;

  constructor(
    rps: number,
    private readonly clock: GateClock,
    private readonly onWait?: (delayMs: number, reason: string) => void,
  ) {
    this.intervalMs = (1000 / rps) * MARGIN;
  }

  /** Resolves when a request may start now (and takes its slot); throws PageStoppedError once stopped. */
  async pass(): Promise<void> {
    for (;;) {
      if (this.stoppedBy) throw new PageStoppedError(this.stoppedBy);
      const now = this.clock.monotonic();
      if (now < this.blockedUntil) {
        const delay = this.blockedUntil - now;
        this.onWait?.(delay, 'rate limited by the Graph API');
        await this.clock.sleep(delay);
        continue;
      }
      if (now >= this.nextStartAt) {
        this.nextStartAt = now + this.intervalMs;
        return;
      }
      await this.clock.sleep(this.nextStartAt - now);
    }
  }

  /** No request to this page for `ms` from now (extends, never shortens, a block). */
  block(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.clock.monotonic() + ms);
  }

  stop(cause: Error): void {
    this.stoppedBy ??= cause;
  }

  get stopped(): Error | undefined {
    return this.stoppedBy;
  }
}
