// apply against a Graph API that fails: transient 500s, rate limits (80006 and 429), a refused
// token, an asset Meta cannot fetch, and answers that never come. Each through the real CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { makeProject, PAGES, PAGES_YAML, readIds, uploadsOf, type EmulatorRequest } from '../helpers/project.js';
import { applyCounts, configureEmulator, startMediaServer, writeDistinctFiles } from '../helpers/reliability.js';
import { runCli } from '../helpers/exec.js';
import { countLines } from '../helpers/spawn-cli.js';

function manifest(assets: string): string {
  return `version: 1
${PAGES_YAML}defaults:
  page: main
outputs:
  json: generated/attachments.json
assets:
${assets}`;
}

const GENERATED = `  doc:
    glob: media/gen/*.pdf
    name: "doc_{stem}"
`;

function uploadsPerContent(uploads: EmulatorRequest[], project: { sha256(rel: string): string }, files: string[]): number[] {
  return files.map((file) => uploads.filter((u) => u.sha256 === project.sha256(file)).length);
}

test('transient 500s (rate 0.3, seeded) are retried: every content uploaded once, exit 0', { timeout: 60_000 }, async (t) => {
  const project = await makeProject(t, manifest(GENERATED));
  const files = writeDistinctFiles(project, 8);
  // One upload at a time, so the seeded fault sequence meets the requests in a fixed order.
  await configureEmulator(project, { transientErrorRate: 0.3, seed: 11 });
  const run = await project.cli(['apply', '--auto-approve', '--concurrency', '1']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const requests = await project.requests();
  const transient = requests.filter((r) => r.status === 500);
  assert.ok(transient.length > 0, 'the emulator did fail some calls');
  assert.equal(countLines(run.stdout, 'retrying'), transient.length, 'one retry per failed call');
  assert.match(run.stdout, /^retrying main\/doc_\d+ \(attempt 2, in \d+\.\ds\): \(#[12]\) /m);
  assert.deepEqual(uploadsPerContent(uploadsOf(requests), project, files), files.map(() => 1));
  assert.deepEqual(applyCounts(run.stdout), { created: 8, updated: 0, refreshed: 0, forgotten: 0, failed: 0 });
});

test('a rate-limited page is paused: no call is made while Meta blocks it, and every asset is uploaded once', { timeout: 60_000 }, async (t) => {
  const project = await makeProject(t, manifest(GENERATED));
  const files = writeDistinctFiles(project, 10);
  const limit = { calls: 3, windowMs: 1000, blockMs: 1500 };
  const concurrency = 4;
  await configureEmulator(project, { rateLimit: limit });
  const run = await project.cli(['apply', '--auto-approve', '--rps', '20', '--concurrency', String(concurrency)]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(applyCounts(run.stdout), { created: 10, updated: 0, refreshed: 0, forgotten: 0, failed: 0 });
  const requests = (await project.requests()).filter((r) => r.pageId === PAGES.main.id);
  assert.deepEqual(uploadsPerContent(uploadsOf(requests), project, files), files.map(() => 1));
  assert.match(run.stdout, /^waiting \d+\.\ds for page main: rate limited by the Graph API$/m);

  // Which 80006 answers were to calls made while the page was already blocked? With no latency the
  // emulator logs each call right after its rate-limit decision, so the log's order is the order
  // of decisions. After a block ends the window starts afresh and the next call is allowed, so an
  // 80006 that follows a success started a block, and one that follows an 80006 was a call made
  // during a block (which extends it). Such a call can only be one attachform had sent before it
  // read the block's first 80006 — another upload in flight — so each block holds at most
  // concurrency − 1 of them; a client that kept calling a blocked page would pile up far more.
  const outcomes = requests.sort((a, b) => (a.seq as number) - (b.seq as number)).map((r) => (r.errorCode === 80006 ? 'limited' : 'ok'));
  const blocks: number[] = [];
  outcomes.forEach((outcome, i) => {
    if (outcome !== 'limited') return;
    if (i === 0 || outcomes[i - 1] === 'ok') blocks.push(0);
    else blocks[blocks.length - 1]++;
  });
  assert.ok(blocks.length > 0, 'the rate limit was reached');
  for (const during of blocks) assert.ok(during <= concurrency - 1, `${during} calls while blocked, in: ${outcomes.join(' ')}`);
  assert.ok(outcomes.filter((o) => o === 'limited').length <= blocks.length * concurrency);
});

test('a 429 with Retry-After pauses the page for that long, then the upload goes through', { timeout: 60_000 }, async (t) => {
  const arrivals: number[] = [];
  let answered429At = 0;
  const graph = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.push(performance.now());
      if (arrivals.length === 1) {
        answered429At = performance.now();
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' }).end('Too Many Requests');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ attachment_id: '5550001' }));
      }
    });
  });
  await new Promise<void>((resolve) => graph.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => graph.close(() => resolve())));
  const project = await makeProject(t, manifest('  welcome:\n    path: media/welcome.png\n'));
  const run = await runCli(['apply', '--auto-approve', '--graph-url', `http://127.0.0.1:${(graph.address() as AddressInfo).port}`], {
    cwd: project.dir,
    env: { [PAGES.main.env]: PAGES.main.token, [PAGES.support.env]: PAGES.support.token, ATTACHFORM_STATE: undefined },
  });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(arrivals.length, 2);
  // A lower bound, not a speed limit: the retry came no sooner than Retry-After said.
  assert.ok(arrivals[1] - answered429At >= 1000, `retried after ${arrivals[1] - answered429At} ms`);
  assert.match(run.stdout, /^retrying main\/welcome \(attempt 2\): HTTP 429 from the Graph API: Too Many Requests$/m);
  assert.equal(readIds(project).main.welcome.id, '5550001');
});

test('a refused token (190) stops that page only: its actions fail with a token message, the other page succeeds', { timeout: 60_000 }, async (t) => {
  const project = await makeProject(t, manifest(GENERATED.replace('    name:', '    pages: [main, support]\n    name:')));
  const files = writeDistinctFiles(project, 6);
  const wrong = 'EAAwrongSUPPORTtokenNOTknown00000000';
  const concurrency = 4;
  const run = await project.cli(['apply', '--auto-approve', '--concurrency', String(concurrency)], { [PAGES.support.env]: wrong });
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.deepEqual(applyCounts(run.stdout), { created: 6, updated: 0, refreshed: 0, forgotten: 0, failed: 6 });
  const listed = run.stdout.slice(run.stdout.indexOf('6 actions failed:')).split('\n').filter((l) => l.startsWith('  support/'));
  assert.equal(listed.length, 6, run.stdout);
  for (const line of listed) assert.match(line, /token/);
  assert.match(run.stdout, /^ {2}support\/doc_\d+: \(#190\) Invalid OAuth access token\. — check the page access token .*\[code 190, fbtrace_id \S+\]$/m);
  const requests = await project.requests();
  const toSupport = requests.filter((r) => r.path.includes(`/${PAGES.support.id}/`));
  assert.ok(toSupport.length >= 1 && toSupport.length <= concurrency, `${toSupport.length} calls with the refused token`);
  assert.ok(toSupport.every((r) => r.errorCode === 190));
  assert.deepEqual(uploadsPerContent(uploadsOf(requests), project, files), files.map(() => 1), 'main got each content once');
  assert.deepEqual(Object.keys(readIds(project)), ['main']);
  assert.ok(!run.stdout.includes(wrong) && !run.stderr.includes(wrong));
});

test('an asset Meta cannot fetch fails with 2018008, Graph\'s message and fbtrace_id; the others succeed', { timeout: 60_000 }, async (t) => {
  const media = await startMediaServer(t);
  media.route('/poster.png', Buffer.from('\x89PNG poster bytes'), 'image/png', 'not-found');
  const project = await makeProject(
    t,
    manifest(`  welcome:\n    path: media/welcome.png\n  menu:\n    path: media/menu.pdf\n  poster:\n    url: ${media.url}/poster.png\n    type: image\n    allow_private_urls: true\n`),
  );
  const run = await project.cli(['apply', '--auto-approve']);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /^failed main\/poster: \(#100\/2018008\) Failed to fetch the file from the url \[code 100, subcode 2018008, fbtrace_id [\w-]+\]$/m);
  assert.match(run.stdout, /^1 action failed:\n {2}main\/poster: \(#100\/2018008\) /m);
  assert.deepEqual(applyCounts(run.stdout), { created: 2, updated: 0, refreshed: 0, forgotten: 0, failed: 1 });
  assert.deepEqual(Object.keys(readIds(project).main).sort(), ['menu', 'welcome']);
  assert.ok(media.hits.some((h) => h.fromAttachform && h.status === 200), 'attachform could fetch it (to hash it)');
  assert.ok(media.hits.some((h) => !h.fromAttachform && h.status === 404), 'the emulator could not');
});

test('a Graph answer that never comes times out (ATTACHFORM_HTTP_TIMEOUT), is retried, then reported', { timeout: 60_000 }, async (t) => {
  const project = await makeProject(t, manifest('  welcome:\n    path: media/welcome.png\n'));
  await configureEmulator(project, { latencyMs: 30_000 });
  const run = await project.cli(['apply', '--auto-approve', '--max-retries', '1'], { ATTACHFORM_HTTP_TIMEOUT: '300ms' });
  assert.equal(run.code, 1, run.stdout + run.stderr);
  const noAnswer = `no answer from the Graph API at ${project.emulator.url} within 300 ms`;
  assert.ok(run.stdout.includes(`retrying main/welcome (attempt 2, in `), run.stdout);
  assert.ok(run.stdout.includes(`): ${noAnswer}\n`), run.stdout);
  assert.ok(run.stdout.includes(`failed main/welcome: ${noAnswer}\n`), run.stdout);
  assert.deepEqual(applyCounts(run.stdout), { created: 0, updated: 0, refreshed: 0, forgotten: 0, failed: 1 });

  const bad = await project.cli(['apply', '--auto-approve'], { ATTACHFORM_HTTP_TIMEOUT: 'soon' });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^Error: ATTACHFORM_HTTP_TIMEOUT="soon" is not a duration$/m);
});
