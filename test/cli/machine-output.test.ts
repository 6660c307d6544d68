// plan --json, plan files and apply --json (JSON Lines), from real runs against the emulator,
// validated against schema/plan.schema.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeProject, PAGES_YAML, uploadsOf } from '../helpers/project.js';
import { schemaErrors, validateApplyEvent, validatePlan } from '../helpers/plan-schema.js';
import { toJsonEvent } from '../../src/cli/views/apply-json-view.js';

const MANIFEST = `version: 1
${PAGES_YAML}defaults:
  page: main
outputs:
  typescript: generated/attachments.ts
assets:
  welcome:
    path: media/welcome.png
  welcome_again:
    path: media/welcome.png
  menu:
    path: media/menu.pdf
  promo:
    path: media/promo.mp4
    pages: [main, support]
`;

function jsonLines(stdout: string): Array<Record<string, unknown>> {
  const lines = stdout.split('\n').filter((l) => l !== '');
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

function assertEventsValid(events: Array<Record<string, unknown>>): void {
  for (const event of events) assert.equal(schemaErrors(validateApplyEvent, event), '', JSON.stringify(event));
}

test('plan --json, a targeted plan file and show --json are valid plan documents', async (t) => {
  const project = await makeProject(t, MANIFEST);
  const plan = await project.cli(['plan', '--json']);
  assert.equal(plan.code, 0, plan.stderr);
  assert.equal(schemaErrors(validatePlan, JSON.parse(plan.stdout)), '');
  assert.equal((await project.cli(['plan', '--out', 'p.json', '--exclude', 'promo'])).code, 0);
  const saved = JSON.parse(project.read('p.json'));
  assert.equal(schemaErrors(validatePlan, saved), '');
  assert.equal(saved.targeting.left_out, 2);
  assert.equal(schemaErrors(validatePlan, JSON.parse((await project.cli(['show', 'p.json', '--json'])).stdout)), '');
  // The schema does say no: a plan without its summary is refused.
  delete saved.summary;
  assert.notEqual(schemaErrors(validatePlan, saved), '');
});

test('apply --json prints only JSON Lines: plan first, summary last, every line valid', async (t) => {
  const project = await makeProject(t, MANIFEST);
  const run = await project.cli(['apply', '--json', '--auto-approve']);
  assert.equal(run.code, 0, run.stderr);
  const events = jsonLines(run.stdout);
  assertEventsValid(events);
  assert.equal(events[0].type, 'plan');
  assert.deepEqual(events[0].summary, { create: 5, update: 0, refresh: 0, forget: 0, unchanged: 0 });
  assert.equal(events[0].saved_plan, null);
  const last = events.at(-1)!;
  assert.equal(last.type, 'summary');
  assert.equal(last.created, 5);
  assert.equal(last.failed, 0);
  assert.deepEqual(last.outputs, [{ path: 'generated/attachments.ts', status: 'written' }]);
  const uploaded = events.filter((e) => e.type === 'uploaded');
  assert.equal(uploaded.length, uploadsOf(await project.requests()).length);
  assert.equal(events.filter((e) => e.type === 'started').length, 4);
  const shared = events.find((e) => e.type === 'recorded');
  assert.ok(shared, 'welcome_again takes welcome\'s upload');
  assert.equal(shared.reuses, 'welcome');
  assert.equal(shared.attachment_id, uploaded.find((e) => e.name === 'welcome')!.attachment_id);

  project.writeManifest(MANIFEST.replace('  menu:\n    path: media/menu.pdf\n', ''));
  assert.equal((await project.cli(['plan', '--out', 'p.json'])).code, 0);
  const forget = await project.cli(['apply', 'p.json', '--json']);
  assert.equal(forget.code, 0, forget.stderr);
  const forgetEvents = jsonLines(forget.stdout);
  assertEventsValid(forgetEvents);
  assert.equal(forgetEvents[0].saved_plan, 'p.json');
  assert.deepEqual(forgetEvents.map((e) => e.type), ['plan', 'forgotten', 'summary']);
});

test('apply --json reports retries and failures as valid events; errors go to stderr only', async (t) => {
  const project = await makeProject(t, MANIFEST.replace(/  welcome_again:[\s\S]*$/, ''));
  const configured = await fetch(`${project.emulator.url}/__emulator/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ transientErrorRate: 1 }) });
  assert.equal(configured.status, 200);
  const run = await project.cli(['apply', '--json', '--auto-approve', '--max-retries', '1']);
  assert.equal(run.code, 1);
  const events = jsonLines(run.stdout);
  assertEventsValid(events);
  assert.deepEqual(events.map((e) => e.type), ['plan', 'started', 'retried', 'started', 'failed', 'summary']);
  const failed = events[4] as { error: { message: string; code?: number } };
  assert.ok(failed.error.code === 1 || failed.error.code === 2, JSON.stringify(failed));
  assert.equal(events[5].failed, 1);

  const refused = await project.cli(['apply', '--json']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /apply --json cannot ask for confirmation/);
  assert.deepEqual(jsonLines(refused.stdout).map((e) => e.type), ['plan']);
});

test('the waiting and warning events, which need a minute-long rate limit to provoke, render valid lines', () => {
  const waiting = toJsonEvent({ type: 'waiting', page: 'main', delayMs: 60_000.4, reason: 'rate limited (code 4)' });
  assert.deepEqual(waiting, { format_version: 1, type: 'waiting', page: 'main', delay_ms: 60_000, reason: 'rate limited (code 4)' });
  assert.equal(schemaErrors(validateApplyEvent, waiting), '');
  const warning = toJsonEvent({ type: 'warning', message: 'main/menu: the file changed between plan and upload' });
  assert.equal(schemaErrors(validateApplyEvent, warning), '');
  assert.notEqual(schemaErrors(validateApplyEvent, { ...warning, extra: 1 }), '', 'unknown keys are refused');
});
