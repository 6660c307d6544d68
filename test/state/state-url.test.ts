import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openState, redactStateUrl } from '../../src/state/open-state.js';
import { parseStateUrl } from '../../src/state/state-url.js';
import { UserError } from '../../src/user-error.js';

test('redactStateUrl hides passwords and keeps the rest', () => {
  assert.equal(redactStateUrl('postgres://bot:s3cr%40t@db.internal:5432/attachform'), 'postgres://bot:***@db.internal:5432/attachform');
  assert.equal(redactStateUrl('redis://:hunter2@cache:6379/0'), 'redis://:***@cache:6379/0');
  assert.equal(redactStateUrl('postgres://db/x?sslmode=require&password=pw1&x=1'), 'postgres://db/x?sslmode=require&password=***&x=1');
  assert.equal(redactStateUrl('postgres://bot@db/attachform'), 'postgres://bot@db/attachform');
  assert.equal(redactStateUrl('sqlite://.attachform/state.sqlite'), 'sqlite://.attachform/state.sqlite');
});

test('sqlite paths resolve against the base folder unless absolute', () => {
  assert.deepEqual(parseStateUrl('sqlite://.attachform/state.sqlite', '/repo'), { scheme: 'sqlite', path: '/repo/.attachform/state.sqlite' });
  assert.deepEqual(parseStateUrl('sqlite:///var/lib/state.sqlite', '/repo'), { scheme: 'sqlite', path: '/var/lib/state.sqlite' });
});

test('postgres and redis are refused as not supported yet, without printing the password', async () => {
  for (const url of ['postgres://bot:pw-secret@db/attachform', 'redis://:pw-secret@cache:6379']) {
    await assert.rejects(openState(url, { baseDir: '/tmp' }), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /not supported yet/);
      assert.ok(!error.message.includes('pw-secret') && !error.hint?.includes('pw-secret'));
      assert.match(error.hint ?? '', /sqlite:\/\//);
      return true;
    });
  }
});

test('other schemes and empty paths are UserErrors listing what works', async () => {
  for (const url of ['ftp://host/state', 'state.sqlite', 'mysql://db/x']) {
    await assert.rejects(openState(url, { baseDir: '/tmp' }), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.hint ?? '', /sqlite:\/\/.*postgres:\/\/.*redis:\/\//);
      return true;
    });
  }
  await assert.rejects(openState('sqlite://', { baseDir: '/tmp' }), /no file path/);
});
