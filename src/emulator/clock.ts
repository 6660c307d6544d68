// The emulator's clock: a base clock (the system time, or ATTACHFORM_NOW from the CLI) plus a shift
// that POST /__emulator/clock moves. Expiry of ids and the rate limiter's windows both read it, so
// tests move time forward instead of sleeping.

export interface EmulatorClock {
  now(): Date;
  /** Moves the clock forward by `ms` (negative moves it back). */
  advance(ms: number): void;
  /** Sets the clock to `at`; later readings move as the base clock moves. */
  set(at: Date): void;
}

export function createClock(base: () => Date = () => new Date()): EmulatorClock {
  let shiftMs = 0;
  return {
    now: () => new Date(base().getTime() + shiftMs),
    advance(ms) {
      shiftMs += ms;
    },
    set(at) {
      shiftMs = at.getTime() - base().getTime();
    },
  };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `91d`, `90m`, `30s`, `2h`, `1d12h` → milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(\d+(ms|s|m|h|d))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  return total;
}
