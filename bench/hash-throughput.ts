// Benchmark of the sources stage (issue 6), not a test: cold hashing of 1 GiB in 256 files against
// `openssl dgst -sha256` over the same files (one process, the files one after another; and one
// process per file, as a shell loop would), and a no-op read of 10,000 vs 100 small files with the
// stat cache warm. Builds its data in a temp dir and removes it. Run: node dist/bench/hash-throughput.js
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RACY_WINDOW_MS } from '../src/sources/stat-cache.js';
import { readAllSources as readAll } from './support.js';

const RUNS = 3;

interface Row {
  name: string;
  runsMs: number[];
}

/** Runs the cases in turn, RUNS rounds, so machine noise falls on all of them alike. */
async function measure(cases: Record<string, () => unknown>): Promise<Row[]> {
  const rows = Object.keys(cases).map((name) => ({ name, runsMs: [] as number[] }));
  for (let i = 0; i < RUNS; i++) {
    for (const row of rows) {
      const start = performance.now();
      await cases[row.name]();
      row.runsMs.push(performance.now() - start);
    }
  }
  return rows;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function writeFiles(dir: string, count: number, size: number): string[] {
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const path = join(dir, `f${i}.bin`);
    writeFileSync(path, randomBytes(size));
    return path;
  });
}

function openssl(args: string[]): void {
  const result = spawnSync('openssl', ['dgst', '-sha256', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('openssl failed');
}

/** One line per case: median (min–max), and its ratio to the reference's median. */
function print(title: string, rows: Row[], ratio: { reference: Row; label: string; of: (row: number, reference: number) => number }): void {
  console.log(title);
  for (const row of rows) {
    const sorted = [...row.runsMs].sort((a, b) => a - b);
    const spread = `(${sorted[0].toFixed(0)}–${sorted[sorted.length - 1].toFixed(0)})`;
    const value = ratio.of(median(row.runsMs), median(ratio.reference.runsMs)).toFixed(2);
    console.log(`  ${row.name.padEnd(44)} ${median(row.runsMs).toFixed(0).padStart(6)} ms ${spread.padEnd(12)} ${ratio.label}: ${value}x`);
  }
}

const root = mkdtempSync(join(tmpdir(), 'attachform-bench-'));
try {
  const big = writeFiles(join(root, 'big'), 256, 4 * 1024 * 1024);
  openssl(big); // warm the page cache, so no case pays for the first read
  const hashing = await measure({
    'openssl dgst -sha256, one process, in turn': () => openssl(big),
    'openssl dgst -sha256, a process per file': () => big.forEach((path) => openssl([path])),
    'readSources cold (hash pool, no cache)': () => readAll(big),
  });
  print('1 GiB in 256 files', hashing, { reference: hashing[0], label: 'throughput vs openssl in one process', of: (row, ref) => ref / row });
  rmSync(join(root, 'big'), { recursive: true });

  const many = writeFiles(join(root, 'many'), 10_000, 2048);
  const few = many.slice(0, 100);
  await sleep(RACY_WINDOW_MS + 500); // let the files age past the racy window, as real ones have
  await readAll(many, join(root, 'cache-many.json'));
  await readAll(few, join(root, 'cache-few.json'));
  const noop = await measure({
    '100 small files, no-op (cache warm)': () => readAll(few, join(root, 'cache-few.json')),
    '10,000 small files, no-op (cache warm)': () => readAll(many, join(root, 'cache-many.json')),
    '10,000 small files, cold (no cache)': () => readAll(many),
  });
  print('readSources over small files', noop, { reference: noop[0], label: 'time vs 100 no-op', of: (row, ref) => row / ref });
} finally {
  rmSync(root, { recursive: true, force: true });
}
