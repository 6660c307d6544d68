// URL assets end to end: hashed by a conditional fetch, uploaded as payload.url (Meta fetches it) or,
// with via: file, downloaded by attachform and uploaded as a file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { makeProject, PAGES_YAML, readIds, uploadsOf } from '../helpers/project.js';
import { repoRoot } from '../helpers/paths.js';

const jingle = readFileSync(join(repoRoot, 'examples/media/jingle.mp3'));
const jingleSha = createHash('sha256').update(jingle).digest('hex');

async function startCdn(t: Parameters<typeof makeProject>[0]) {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    if (req.headers['if-none-match'] === '"v1"') {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'audio/mpeg', etag: '"v1"', 'content-length': jingle.length }).end(jingle);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jingle.mp3`, seen };
}

function manifest(url: string, via: 'url' | 'file'): string {
  return `version: 1
${PAGES_YAML}defaults:
  page: main
outputs:
  json: generated/attachments.json
assets:
  jingle:
    url: ${url}
    type: audio
    via: ${via}
    allow_private_urls: true
`;
}

test('a URL asset is hashed by attachform, uploaded as payload.url, and re-planned with a conditional request', async (t) => {
  const cdn = await startCdn(t);
  const project = await makeProject(t, manifest(cdn.url, 'url'));
  const run = await project.cli(['apply', '--auto-approve']);
  assert.equal(run.code, 0, run.stderr + run.stdout);
  const [upload, ...more] = uploadsOf(await project.requests());
  assert.equal(more.length, 0);
  assert.equal(upload.form, 'json');
  assert.equal(upload.url, cdn.url);
  const attachment = (await project.attachments()).find((a) => a.id === readIds(project).main.jingle.id);
  assert.equal(attachment?.sha256, jingleSha);

  const fetchesBefore = cdn.seen.length;
  const plan = await project.cli(['plan', '--detailed-exitcode']);
  assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  assert.equal(cdn.seen.length, fetchesBefore + 1);
  assert.equal(cdn.seen.at(-1)!['if-none-match'], '"v1"', 'the second plan asks conditionally and gets a 304');
});

test('via: file downloads the URL and uploads it as a file', async (t) => {
  const cdn = await startCdn(t);
  const project = await makeProject(t, manifest(cdn.url, 'file'));
  const run = await project.cli(['apply', '--auto-approve']);
  assert.equal(run.code, 0, run.stderr + run.stdout);
  const [upload, ...more] = uploadsOf(await project.requests());
  assert.equal(more.length, 0);
  assert.equal(upload.form, 'multipart');
  assert.equal(upload.sha256, jingleSha);
  assert.equal(upload.contentType, 'audio/mpeg');
});

test('a URL on a private address is refused unless allowed, before anything is fetched or sent', async (t) => {
  const cdn = await startCdn(t);
  const project = await makeProject(t, manifest(cdn.url, 'url').replace('    allow_private_urls: true\n', ''));
  const run = await project.cli(['plan']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /assets\.yaml:\d+:\d+: error: .*(private|loopback)/);
  assert.equal(cdn.seen.length, 0);
  assert.equal((await project.requests()).length, 0);
});
