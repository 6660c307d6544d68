// One gate per page: every request to that page passes through it. It keeps the client-side rate
// limit (at most `rps` starts in any rolling second), pauses the page while Meta says it is rate
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

const WINDOW_MS = 1000;

export class PageGate {
  private readonly starts: number[] = [];
  private blockedUntil = 0;
  private stoppedBy: Error | undefined;

  constructor(
    private readonly rps: number,
    private readonly clock: GateClock,
    private readonly onWait?: (delayMs: number, reason: string) => void,
  ) {}

  /** Resolves when a request may start now (and counts it); throws PageStoppedError once stopped. */
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
      while (this.starts.length > 0 && this.starts[0] <= now - WINDOW_MS) this.starts.shift();
      if (this.starts.length < this.rps) {
        this.starts.push(now);
        return;
      }
      await this.clock.sleep(this.starts[0] + WINDOW_MS - now);
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
