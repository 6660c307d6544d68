// Durations as the manifest writes them: a whole number and one unit, `14d`, `90d`, `30s`.

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export const DURATION_PATTERN = /^(\d+)([smhd])$/;

/** `14d` → milliseconds. Throws on anything else (the schema's pattern reports it first in a manifest). */
export function parseDuration(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (!match) throw new Error(`not a duration: ${JSON.stringify(text)} (expected a number and a unit s, m, h or d, like 14d)`);
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (!Number.isSafeInteger(ms)) throw new Error(`duration too long: ${JSON.stringify(text)}`);
  return ms;
}
