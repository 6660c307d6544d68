// Durations as plan reasons show them: the two largest units, `3d 4h`, `5h 30m`, `45s`.

const UNITS: Array<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.floor(ms / 1000) * 1000);
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count}${unit}`);
    if (parts.length === 2) break;
  }
  const shown = parts.filter((part, i) => i === 0 || !part.startsWith('0'));
  return shown.length > 0 ? shown.join(' ') : '0s';
}
