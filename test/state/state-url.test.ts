import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openState, redactStateUrl } from '../../src/state/open-state.js';
import { parseStateUrl, scrubPassword } from '../../src/state/state-url.js';
import { findFreePort } from '../helpers/server-process.js';
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

test('postgres and redis URLs name their backend', () => {
  for (const [url, scheme] of [
    ['postgres://bot:pw@db.internal:5432/attachform', 'postgres'],
    ['postgresql://db/attachform?sslmode=require', 'postgres'],
    ['redis://:pw@cache:6379/2', 'redis'],
    ['rediss://cache.example.com:6380', 'redis'],
  ] as const) {
    assert.deepEqual(parseStateUrl(url, '/repo'), { scheme, url });
  }
});

test('a password found in a driver message is scrubbed, as written and decoded', () => {
  assert.equal(scrubPassword('auth failed for s3cr@t and s3cr%40t', 'postgres://bot:s3cr%40t@db/x'), 'auth failed for *** and ***');
  assert.equal(scrubPassword('no secret here', 'postgres://bot@db/x'), 'no secret here');
  assert.equal(scrubPassword('saw pw1', 'postgres://db/x?password=pw1'), 'saw ***');
});

test('an unreachable postgres or redis server is a UserError naming the URL without its password', async (t) => {
  const port = await findFreePort(); // nothing listens there
  for (const url of [`postgres://bot:pw-secret@127.0.0.1:${port}/attachform`, `redis://:pw-secret@127.0.0.1:${port}/0`]) {
    const store = await openState(url, { baseDir: '/tmp' });
    t.after(() => store.close());
    await assert.rejects(store.read(), (error: unknown) => {
      assert.ok(error instanceof UserError, String(error));
      assert.ok(error.message.startsWith(`Cannot reach state ${redactStateUrl(url)}`), error.message);
      assert.ok(!`${error.message} ${error.hint}`.includes('pw-secret'));
      assert.match(error.hint ?? '', /reachable/);
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
