// The postgres:// backend against a real PostgreSQL started for this file: the shared conformance
// suite (each test on a fresh database), then what only Postgres does — keyv's own table and
// format, credentials from the URL or PGPASSWORD, and clear errors that never show the password.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import Keyv from 'keyv';
import KeyvPostgres from '@keyv/postgres';
import { openState, redactStateUrl } from '../../src/state/open-state.js';
import { UserError } from '../../src/user-error.js';
import { postgresUnavailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { skipUnlessAvailable } from '../helpers/server-process.js';
import { runStateConformance } from './conformance.js';
import { makeRecord } from './make-record.js';

const skip = skipUnlessAvailable(postgresUnavailable());
let server: Promise<PostgresServer> | undefined;
const useServer = () => (server ??= startPostgres());
after(async () => {
  await (await server?.catch(() => undefined))?.stop();
});

runStateConformance('postgres', async () => ({ url: await (await useServer()).createDatabase(), baseDir: '/nonexistent' }), { skip });

test('postgres: the state is keyv rows in keyv\'s own table, which keyv itself reads', { skip }, async (t) => {
  const pg = await useServer();
  const url = await pg.createDatabase();
  const store = await openState(url, { baseDir: '/' });
  t.after(() => store.close());
  const record = makeRecord();
  await store.putRecord(record);
  const database = new URL(url).pathname.slice(1);
  assert.deepEqual(pg.psql(database, 'SELECT key FROM keyv ORDER BY key').trim().split('\n'), ['attachform:meta', 'attachform:record:1234567890:welcome']);

  const adapter = new KeyvPostgres({ uri: url });
  const keyv = new Keyv({ store: adapter, namespace: 'attachform' });
  t.after(() => keyv.disconnect());
  assert.deepEqual(await keyv.get('record:1234567890:welcome'), record);
  assert.equal(((await keyv.get('meta')) as { serial: number }).serial, 1);
});

test('postgres: the password may come from PGPASSWORD instead of the URL', { skip }, async (t) => {
  const pg = await useServer();
  const withPassword = new URL(await pg.createDatabase());
  withPassword.password = '';
  const url = withPassword.href;
  assert.ok(!url.includes(encodeURIComponent(pg.password)));
  const saved = process.env.PGPASSWORD;
  process.env.PGPASSWORD = pg.password;
  t.after(() => (saved === undefined ? delete process.env.PGPASSWORD : (process.env.PGPASSWORD = saved)));
  const store = await openState(url, { baseDir: '/' });
  t.after(() => store.close());
  assert.equal(await store.putRecord(makeRecord()), 1);
  assert.equal((await store.read()).records.length, 1);
});

test('postgres: a wrong password or a missing database is a UserError that never shows the password', { skip }, async (t) => {
  const pg = await useServer();
  const good = new URL(await pg.createDatabase());
  const wrongPassword = new URL(good);
  wrongPassword.password = encodeURIComponent('not-the-pw@x');
  const missingDatabase = new URL(good);
  missingDatabase.pathname = '/no_such_database';
  for (const [url, expected, hint] of [
    [wrongPassword.href, /refused the login/, /PGPASSWORD/],
    [missingDatabase.href, /cannot be opened: .*no_such_database/, /createdb/],
  ] as const) {
    const store = await openState(url, { baseDir: '/' });
    t.after(() => store.close());
    await assert.rejects(store.putRecord(makeRecord()), (error: unknown) => {
      assert.ok(error instanceof UserError, String(error));
      assert.ok(error.message.includes(redactStateUrl(url)), error.message);
      assert.match(error.message, expected);
      assert.match(error.hint ?? '', hint);
      const shown = `${error.message}\n${error.hint}`;
      for (const secret of ['not-the-pw@x', encodeURIComponent('not-the-pw@x'), pg.password, encodeURIComponent(pg.password)]) {
        assert.ok(!shown.includes(secret), `shown: ${shown}`);
      }
      return true;
    });
  }
});

test('postgres: a keyv table of another shape is a UserError, not a crash', { skip }, async (t) => {
  const pg = await useServer();
  const url = await pg.createDatabase();
  pg.psql(new URL(url).pathname.slice(1), 'CREATE TABLE keyv (id integer PRIMARY KEY, payload jsonb)');
  const store = await openState(url, { baseDir: '/' });
  t.after(() => store.close());
  await assert.rejects(store.read(), (error: unknown) => {
    assert.ok(error instanceof UserError, String(error));
    assert.match(error.message, /cannot be used/);
    assert.match(error.hint ?? '', /keyv's shape/);
    return true;
  });
});
