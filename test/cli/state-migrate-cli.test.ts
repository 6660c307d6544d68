// `attachform state migrate` through the real CLI: the copy plans as "No changes." in its new home.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeProject, PAGES_YAML } from '../helpers/project.js';

const MANIFEST = `version: 1
${PAGES_YAML}defaults:
  page: main
assets:
  welcome:
    path: media/welcome.png
  menu:
    path: media/menu.pdf
`;

test('state migrate copies the state to another backend, verifies it, and the copy plans no changes', async (t) => {
  const project = await makeProject(t, MANIFEST);
  assert.equal((await project.cli(['apply', '--auto-approve'])).code, 0);
  const target = 'sqlite://.attachform/moved.sqlite';
  const migrate = await project.cli(['state', 'migrate', '--to', target]);
  assert.equal(migrate.code, 0, migrate.stderr + migrate.stdout);
  const plan = await project.cli(['plan', '--detailed-exitcode', '--state', target]);
  assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  assert.equal(plan.stdout.trimEnd().split('\n').at(-1), 'No changes.');
  const again = await project.cli(['state', 'migrate', '--to', target]);
  assert.equal(again.code, 1, 'a non-empty target is not overwritten without --force');
  assert.match(again.stderr, /--force/);
});
