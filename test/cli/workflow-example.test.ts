// The example GitHub Actions workflow is valid YAML and only calls commands and flags that exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { commands } from '../../src/cli/commands/index.js';
import { COMMON_OPTIONS } from '../../src/cli/arguments.js';
import { repoRoot } from '../helpers/paths.js';

test('every attachform call in examples/github-actions/attachform.yml names a real command and real flags', async () => {
  const workflow = parse(readFileSync(join(repoRoot, 'examples', 'github-actions', 'attachform.yml'), 'utf8')) as { jobs: Record<string, { steps: Array<{ run?: string }> }> };
  const calls = Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((step) => [...(step.run ?? '').matchAll(/npx attachform ([^\n>|]+)/g)].map((m) => m[1])));
  assert.ok(calls.length >= 5, `${calls.length} calls`);
  const used = new Set<string>();
  for (const call of calls) {
    const [name, ...words] = call.trim().split(/\s+/);
    const entry = commands.find((c) => c.name === name);
    assert.ok(entry, `attachform ${name}`);
    const command = await entry.load();
    used.add(name);
    for (const flag of words.join(' ').match(/--[a-z-]+/g) ?? []) {
      assert.ok(flag.slice(2) in { ...COMMON_OPTIONS, ...command.options }, `attachform ${name} ${flag}`);
    }
  }
  for (const needed of ['validate', 'codegen', 'plan', 'apply']) assert.ok(used.has(needed), needed);
  assert.ok(calls.some((c) => c.includes('--detailed-exitcode') && c.includes('--markdown')));
  assert.ok(calls.some((c) => /^apply plan\.json .*--auto-approve/.test(c)));
});
