// `npm run bench`: builds its own data in a temp folder, runs each case of issue 6 against an
// emulator process on 127.0.0.1, and prints one table (Markdown, for BENCHMARKS.md).
// `npm run bench -- noop apply` runs only the cases whose names contain those words.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyThroughput, coldPlan, memory, noopPlan, RUNS, startup, versusCurl, type Row } from './cases.js';
import { startEmulatorProcess } from './support.js';

const CASES = { noop: noopPlan, cold: coldPlan, apply: applyThroughput, memory, curl: versusCurl, startup };
const wanted = process.argv.slice(2);
const root = mkdtempSync(join(tmpdir(), 'attachform-bench-'));
const emulator = await startEmulatorProcess();
const rows: Row[] = [];
try {
  for (const [name, run] of Object.entries(CASES)) {
    if (wanted.length > 0 && !wanted.some((w) => name.includes(w))) continue;
    process.stderr.write(`bench: ${name}…\n`);
    rows.push(...(await run(root, emulator)));
  }
} finally {
  await emulator.stop();
  rmSync(root, { recursive: true, force: true });
}

console.log(`attachform benchmark — ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; median (min–max) of ${RUNS} runs (${RUNS + 2} for the no-op and cold plans)\n`);
console.log('| case | measured | reference (same run) | ratio | target | met |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.measured} | ${r.reference} | ${r.ratio} | ${r.target} | ${r.met === undefined ? '—' : r.met ? 'yes' : '**no**'} |`);
