// Two CI runners sharing one state, end to end through the built CLI: two checkouts of one
// project, one emulator, one Postgres (or Redis) state. Their applies, started together, take
// turns under the state's lock, so each asset is uploaded once and both write the same module;
// a held lock stops an apply with the holder's details; no password is ever printed.
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openState } from '../../src/state/open-state.js';
import { runCli, type CliRun } from '../helpers/exec.js';
import { postgresUnavailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { makeProject, PAGES, PAGES_YAML, readIds, uploadsOf } from '../helpers/project.js';
import { redisUnavailable, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { skipUnlessAvailable } from '../helpers/server-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const manifest = (state: string) => `version: 1
state: ${state}
${PAGES_YAML}defaults:
  page: main
outputs:
  typescript: generated/attachments.ts
  json: generated/attachments.json
assets:
  welcome:
    path: media/welcome.png
  jingle:
    path: media/jingle.mp3
  promo:
    path: media/promo.mp4
    pages: [main, support]
`;

let postgres: Promise<PostgresServer> | undefined;
let redis: Promise<RedisServer> | undefined;
after(async () => {
  for (const server of [postgres, redis]) await (await server?.catch(() => undefined))?.stop();
});

interface SharedState {
  /** What goes in the manifest (no password). */
  manifestUrl: string;
  /** The runners' environment: the secret part. */
  env: Record<string, string>;
  /** The full URL, for the test's own use. */
  url: string;
  secret: string;
}

async function postgresState(): Promise<SharedState> {
  const server = await (postgres ??= startPostgres());
  const url = await server.createDatabase();
  const bare = new URL(url);
  bare.password = '';
  return { manifestUrl: bare.href, env: { PGPASSWORD: server.password }, url, secret: server.password };
}

async function redisState(): Promise<SharedState> {
  const server = await (redis ??= startRedis());
  const url = server.nextDatabase();
  return { manifestUrl: 'sqlite://.attachform/unused.sqlite', env: { ATTACHFORM_STATE: url }, url, secret: server.password };
}

async function twoRunners(t: TestContext, shared: SharedState) {
  const project = await makeProject(t, manifest(shared.manifestUrl));
  const second = makeTempDir(t);
  cpSync(project.dir, second, { recursive: true });
  const env = { [PAGES.main.env]: PAGES.main.token, [PAGES.support.env]: PAGES.support.token, ATTACHFORM_STATE: undefined, ...shared.env };
  const runner = (dir: string) => (args: string[]) => runCli([...args, '--graph-url', project.emulator.url], { cwd: dir, env });
  return { project, runners: [runner(project.dir), runner(second)], dirs: [project.dir, second] };
}

function assertNoSecret(shared: SharedState, ...runs: CliRun[]) {
  for (const run of runs) {
    for (const secret of [shared.secret, encodeURIComponent(shared.secret)]) assert.ok(!`${run.stdout}${run.stderr}`.includes(secret), 'a password was printed');
  }
}

for (const [name, makeState, unavailable] of [
  ['postgres', postgresState, postgresUnavailable],
  ['redis', redisState, redisUnavailable],
] as const) {
  const skip = skipUnlessAvailable(unavailable());

  test(`${name}: two runners applying at once take turns; each asset is uploaded once and both write the same ids`, { skip }, async (t) => {
    const shared = await makeState();
    const { project, runners, dirs } = await twoRunners(t, shared);
    const runs = await Promise.all(runners.map((run) => run(['apply', '--auto-approve', '--lock-timeout', '5m'])));
    for (const run of runs) assert.equal(run.code, 0, run.stderr + run.stdout);
    assertNoSecret(shared, ...runs);

    // welcome, jingle, promo on main + promo on support: four uploads in all, however the runs interleaved.
    assert.equal(uploadsOf(await project.requests()).length, 4);
    const ids = dirs.map((dir) => JSON.parse(readFileSync(join(dir, 'generated', 'attachments.json'), 'utf8')) as ReturnType<typeof readIds>);
    assert.deepEqual(ids[0], ids[1]);
    assert.deepEqual(Object.keys(ids[0].main).sort(), ['jingle', 'promo', 'welcome']);

    const store = await openState(shared.url, { baseDir: dirs[0] });
    t.after(() => store.close());
    const state = await store.read();
    assert.equal(state.records.length, 4);
    assert.equal(state.serial, 4, 'the second apply found nothing left to do');

    const plans = await Promise.all(runners.map((run) => run(['plan', '--detailed-exitcode'])));
    for (const plan of plans) assert.equal(plan.code, 0, plan.stderr + plan.stdout);
  });

  test(`${name}: an apply finds the shared lock held and names its holder`, { skip }, async (t) => {
    const shared = await makeState();
    const { runners } = await twoRunners(t, shared);
    const store = await openState(shared.url, { baseDir: '/' });
    t.after(() => store.close());
    const lock = await store.acquireLock({ operation: 'apply', timeoutMs: 0 });
    const refused = await runners[1](['apply', '--auto-approve']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`is locked by .* \\(pid ${process.pid}\\) since ${lock.info.since.replace(/\./g, '\\.')}, for "apply" \\(lock id ${lock.info.id}\\)`));
    assert.ok(refused.stderr.includes(`attachform force-unlock ${lock.info.id}`));
    assertNoSecret(shared, refused);
    await lock.release();
    const applied = await runners[1](['apply', '--auto-approve']);
    assert.equal(applied.code, 0, applied.stderr);
  });
}
