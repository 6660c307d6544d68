// A virtual clock for scheduler tests: sleep() parks a promise until run() advances virtual time to
// its wake-up, which it does only when the code under test has nothing else to do. No real waiting.

export class FakeClock {
  private time = 0;
  private sleepers: Array<{ at: number; wake: () => void }> = [];

  monotonic = (): number => this.time;

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.sleepers.push({ at: this.time + Math.max(0, ms), wake: resolve });
    });

  /** Drives virtual time until `work` settles, then returns its result. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true),
    );
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled || this.sleepers.length === 0) continue;
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers.shift()!;
      this.time = Math.max(this.time, next.at);
      next.wake();
    }
    return work;
  }
}
