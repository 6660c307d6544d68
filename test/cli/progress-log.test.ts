// The log (CI) display: one line per finished action, and a line every heartbeat while a page
// waits out a rate limit — driven by real timers, waiting on the lines themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApplyProgress, formatBytes } from '../../src/cli/views/progress-view.js';
import type { Plan, PlannedAction } from '../../src/plan/types.js';

const action: PlannedAction = {
  action: 'create', page: 'main', page_id: '1', name: 'menu', type: 'file', content_type: 'application/pdf', via: 'file',
  source: { path: 'media/menu.pdf' }, sha256: 'a'.repeat(64), size: 2048, reason: 'new asset', reuses: null, attachment_id: null,
};
const plan: Plan = {
  format_version: 1, manifest: 'assets.yaml', manifest_sha256: 'b'.repeat(64), state_lineage: '', state_serial: 0, created_at: '2026-01-01T00:00:00.000Z',
  attachform_version: '0', actions: [action], summary: { create: 1, update: 0, refresh: 0, forget: 0, unchanged: 0 },
};

test('in a log, a long rate-limit wait prints a line every heartbeat until it ends; finished actions print one line', async () => {
  const lines: string[] = [];
  let notify: (() => void) | undefined;
  const stream = { isTTY: false, write: (chunk: string) => { lines.push(chunk); notify?.(); } };
  let now = 0;
  const progress = await createApplyProgress(stream, (_c, text) => text, plan, { clock: () => now, heartbeatMs: 5 });
  progress.onEvent({ type: 'started', action, attempt: 0 });
  assert.equal(lines.length, 0, 'starting prints nothing');
  progress.onEvent({ type: 'waiting', page: 'main', delayMs: 45_000, reason: 'rate limited (code 4)' });
  assert.match(lines[0], /^waiting 45\.0s for page main: rate limited/);
  const heartbeats = () => lines.filter((l) => l.startsWith('still waiting:'));
  // The heartbeat timer is unref'd (it must never keep the CLI alive); hold the loop open meanwhile.
  const keepAlive = setInterval(() => {}, 1000);
  await new Promise<void>((resolve) => (notify = () => heartbeats().length >= 2 && resolve()));
  clearInterval(keepAlive);
  assert.match(heartbeats()[0], /^still waiting: page main rate limited, 45s left \(0\/1 done\)\n$/);
  now = 46_000; // the wait is over: the heartbeat stops by itself
  progress.onEvent({ type: 'recorded', action, attachmentId: '42', uploaded: true });
  assert.equal(lines.at(-1), 'created main/menu → 42 (uploaded)\n');
  progress.stop();
  assert.equal(formatBytes(2048), '2.0 kB');
  assert.equal(formatBytes(12_500_000), '13 MB');
});
