// plan --markdown from a real run, and GITHUB_STEP_SUMMARY appended by plan and apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject, PAGES_YAML } from '../helpers/project.js';

const MANIFEST = `version: 1
${PAGES_YAML}defaults:
  page: main
outputs:
  typescript: generated/attachments.ts
assets:
  welcome:
    path: media/welcome.png
  sticker:
    glob: media/stickers/*.png
`;

test('plan --markdown prints the PR summary; plan and apply append theirs to GITHUB_STEP_SUMMARY', async (t) => {
  const project = await makeProject(t, MANIFEST);
  const summaryFile = join(project.dir, 'step-summary.md');
  writeFileSync(summaryFile, '# earlier step\n');
  const env = { GITHUB_STEP_SUMMARY: summaryFile };
  const plan = await project.cli(['plan', '--markdown'], env);
  assert.equal(plan.code, 0, plan.stderr);
  assert.equal(plan.stdout.split('\n')[0], '### attachform plan: Plan: 4 to create, 0 to update, 0 to refresh, 0 to forget, 0 unchanged.');
  assert.match(plan.stdout, /<details><summary>4 changes \(4 uploads\)<\/summary>/);
  assert.match(plan.stdout, /\| 🟢 \| create \| `main\/sticker_sun` \| image \| `media\/stickers\/sun\.png` \| new asset \(upload\) \|/);
  const afterPlan = readFileSync(summaryFile, 'utf8');
  assert.ok(afterPlan.startsWith('# earlier step\n'), 'appended, not replaced');
  assert.ok(afterPlan.includes(plan.stdout), 'the same markdown');

  const apply = await project.cli(['apply', '--auto-approve'], env);
  assert.equal(apply.code, 0, apply.stderr);
  const afterApply = readFileSync(summaryFile, 'utf8');
  assert.ok(afterApply.startsWith(afterPlan));
  assert.match(afterApply.slice(afterPlan.length), /^### attachform apply: 4 created, 0 updated, 0 refreshed, 0 forgotten, 0 failed\n/);
  assert.match(afterApply, /`generated\/attachments\.ts` written/);

  // Without the variable nothing is written anywhere; with a bad path it is a warning, not a failure.
  const none = await project.cli(['plan'], { GITHUB_STEP_SUMMARY: '' });
  assert.equal(none.code, 0);
  assert.equal(readFileSync(summaryFile, 'utf8'), afterApply);
  const bad = await project.cli(['plan', '--detailed-exitcode'], { GITHUB_STEP_SUMMARY: join(project.dir, 'no', 'such', 'dir', 'f.md') });
  assert.equal(bad.code, 0);
  assert.match(bad.stderr, /warning: could not append the summary to GITHUB_STEP_SUMMARY/);
});
