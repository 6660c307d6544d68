// The PR-comment markdown: counts first, a collapsible table, never over GitHub's comment limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderApplyMarkdown, renderPlanMarkdown } from '../../src/cli/views/markdown-view.js';
import { summarize } from '../../src/plan/summarize.js';
import type { Plan, PlannedAction } from '../../src/plan/types.js';

const GITHUB_LIMIT = 65_536;
const KINDS = ['create', 'update', 'refresh', 'forget', 'noop'] as const;

function bigPlan(count: number): Plan {
  const actions: PlannedAction[] = Array.from({ length: count }, (_, i) => ({
    action: KINDS[i % KINDS.length],
    page: i % 2 === 0 ? 'main' : 'support',
    page_id: i % 2 === 0 ? '1' : '2',
    name: `sticker_${String(i).padStart(5, '0')}_${'x'.repeat(i % 40)}`,
    type: 'image',
    content_type: 'image/png',
    via: 'file',
    source: { path: `media/stickers/pack-${i % 13}/sticker_${i}|odd<name>.png` },
    sha256: 'a'.repeat(64),
    size: 1000 + i,
    reason: `content changed (sha256 ${'3f2a9c1b'}… -> ${'9c1b0d2e'}…)`,
    reuses: null,
    attachment_id: null,
  }));
  return {
    format_version: 1, manifest: 'assets.yaml', manifest_sha256: 'b'.repeat(64), state_lineage: 'l', state_serial: 12,
    created_at: '2026-01-01T00:00:00.000Z', attachform_version: '0.1.0', actions, summary: summarize(actions),
  };
}

test('a plan of thousands of actions stays under the limit: counts first, the rest truncated with a note saying how many', () => {
  for (const count of [5000, 20_000]) {
    const plan = bigPlan(count);
    const markdown = renderPlanMarkdown(plan);
    assert.ok(markdown.length < GITHUB_LIMIT, `${markdown.length} characters`);
    const s = plan.summary;
    assert.equal(markdown.split('\n')[0], `### attachform plan: Plan: ${s.create} to create, ${s.update} to update, ${s.refresh} to refresh, ${s.forget} to forget, ${s.unchanged} unchanged.`);
    const changes = count - s.unchanged;
    assert.match(markdown, new RegExp(`<details><summary>${changes} changes`));
    const rows = markdown.split('\n').filter((l) => /^\| [^|]+ \| (create|update|refresh|forget) \|/.test(l)).length;
    assert.ok(rows > 100 && rows < changes, `${rows} rows shown`);
    assert.match(markdown, new RegExp(`_…and ${changes - rows} more changes not shown`));
    assert.ok(markdown.trimEnd().endsWith('</details>'));
    assert.doesNotMatch(markdown, /odd<name>/, 'HTML in names is escaped');
    for (const line of markdown.split('\n').filter((l) => l.startsWith('| '))) assert.equal(line.split(/(?<!\\)\|/).length, 8, line);
  }
});

test('a small plan is shown whole; No changes says so; the limit can be set lower and still holds', () => {
  const small = renderPlanMarkdown(bigPlan(8));
  assert.doesNotMatch(small, /not shown/);
  assert.equal(small.split('\n').filter((l) => /^\| [^|]+ \| (create|update|refresh|forget) \|/.test(l)).length, 7);
  const none = bigPlan(0);
  assert.match(renderPlanMarkdown(none), /^### attachform plan: No changes\./);
  for (const maxChars of [500, 2000, 10_000]) assert.ok(renderPlanMarkdown(bigPlan(3000), { maxChars }).length <= maxChars);
  const failures = Array.from({ length: 4000 }, (_, i) => ({ page: 'main', name: `a${i}`, message: 'Invalid parameter', code: 100, fbtraceId: 'AbC' }));
  const apply = renderApplyMarkdown({ created: 1, updated: 0, refreshed: 0, forgotten: 0, failures, requests: 4001 }, [{ path: 'generated/attachments.ts', status: 'written' }], bigPlan(10));
  assert.ok(apply.length < GITHUB_LIMIT);
  assert.match(apply, /^### attachform apply: 1 created, 0 updated, 0 refreshed, 0 forgotten, 4000 failed\n/);
  assert.match(apply, /more failures not shown/);
});
