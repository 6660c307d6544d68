import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Source } from '../../src/manifest/types.js';
import { readSources } from '../../src/sources/read-sources.js';
import { sourceKey } from '../../src/sources/source-key.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startServer } from './test-server.js';
import { fileSource, makeAsset } from './make-asset.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const manifestFile = '/repo/assets.yaml';

function urlSource(url: string, allowPrivate = true): Source {
  return { kind: 'url', url, allowPrivate };
}

const noKnown = { known: new Map(), manifestFile };

test('two assets with one URL cost one request and share one fact', async (t) => {
  const server = await startServer(t, (_req, res) => res.writeHead(200, { etag: '"a"' }).end('shared bytes'));
  const url = `${server.origin}/shared.png`;
  const assets = [
    makeAsset('welcome', urlSource(url), 3),
    makeAsset('welcome', urlSource(url), 3, { page: 'support', pageId: '999' }),
    makeAsset('hello', urlSource(url), 7),
  ];
  const { facts, diagnostics } = await readSources(assets, noKnown);
  assert.deepEqual(diagnostics, []);
  assert.equal(server.requests.length, 1);
  assert.equal(facts.size, 1);
  assert.equal(facts.get(`url:${url}`)?.sha256, sha256('shared bytes'));
});

test('local files are hashed, once per distinct path', async (t) => {
  const dir = makeTempDir(t);
  writeFileSync(join(dir, 'a.png'), 'aaa');
  writeFileSync(join(dir, 'b.png'), 'bbbb');
  const assets = [
    makeAsset('a', fileSource(join(dir, 'a.png')), 1),
    makeAsset('a_again', fileSource(join(dir, 'a.png')), 2),
    makeAsset('b', fileSource(join(dir, 'b.png')), 3),
  ];
  const { facts, diagnostics } = await readSources(assets, noKnown);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    [...facts.entries()].sort(),
    [
      [sourceKey(assets[0].source), { sha256: sha256('aaa'), size: 3 }],
      [sourceKey(assets[2].source), { sha256: sha256('bbbb'), size: 4 }],
    ].sort(),
  );
});

test('every failing asset gets a diagnostic at its position; the others still get facts', async (t) => {
  const dir = makeTempDir(t);
  writeFileSync(join(dir, 'ok.png'), 'fine');
  const server = await startServer(t, (req, res) => {
    if (req.url === '/ok.png') return res.writeHead(200).end('fine too');
    res.writeHead(404).end();
  });
  const assets = [
    makeAsset('ok_file', fileSource(join(dir, 'ok.png')), 2),
    makeAsset('missing_file', fileSource(join(dir, 'missing.png')), 4),
    makeAsset('sticker_cat', fileSource(join(dir, 'cat.png')), 6, { declaredAs: 'sticker' }),
    makeAsset('ok_url', urlSource(`${server.origin}/ok.png`), 8),
    makeAsset('gone', urlSource(`${server.origin}/gone.png`), 10),
    makeAsset('gone_too', urlSource(`${server.origin}/gone.png`), 12),
    makeAsset('internal', urlSource(`${server.origin}/ok.png?access_token=EAAsecret`, false), 14),
  ];
  const { facts, diagnostics } = await readSources(assets, noKnown);
  assert.equal(facts.get(sourceKey(assets[0].source))?.sha256, sha256('fine'));
  assert.equal(facts.get(sourceKey(assets[3].source))?.sha256, sha256('fine too'));
  assert.equal(facts.size, 2);
  assert.deepEqual(
    diagnostics.map((d) => [d.file, d.line, d.column, d.path, d.severity]),
    [
      [manifestFile, 4, 5, 'assets.missing_file.path', 'error'],
      [manifestFile, 6, 5, 'assets.sticker.glob', 'error'],
      [manifestFile, 10, 5, 'assets.gone.url', 'error'],
      [manifestFile, 12, 5, 'assets.gone_too.url', 'error'],
      [manifestFile, 14, 5, 'assets.internal.url', 'error'],
    ],
  );
  assert.match(diagnostics[0].summary, /missing\.png: no such file/);
  assert.match(diagnostics[2].summary, /gone\.png answered HTTP 404/);
  assert.match(diagnostics[4].summary, /a loopback address; .*allow_private_urls: true/);
  assert.ok(!diagnostics[4].summary.includes('EAAsecret'));
  assert.equal(server.requests.filter((r) => r.url === '/gone.png').length, 1, 'the failing URL is fetched once for both assets');
  assert.equal(server.requests.filter((r) => r.url.includes('access_token')).length, 0, 'the private URL is never fetched');
});

test('an asset that does not allow private URLs never rides on a fetch made for one that does', async (t) => {
  const server = await startServer(t, (_req, res) => res.writeHead(200).end('internal cdn'));
  const url = `${server.origin}/logo.png`;
  const assets = [makeAsset('allowed', urlSource(url, true), 2), makeAsset('refused', urlSource(url, false), 4)];
  const { facts, diagnostics } = await readSources(assets, noKnown);
  assert.equal(facts.get(`url:${url}`)?.sha256, sha256('internal cdn'));
  assert.deepEqual(
    diagnostics.map((d) => d.path),
    ['assets.refused.url'],
  );
  assert.equal(server.requests.length, 1);
});

test('known validators make the fetch conditional; a 304 gives the known facts', async (t) => {
  const server = await startServer(t, (req, res) => {
    if (req.headers['if-none-match'] === '"v7"') return res.writeHead(304).end();
    res.writeHead(200, { etag: '"v8"' }).end('new bytes');
  });
  const url = `${server.origin}/jingle.mp3`;
  const known = { sha256: sha256('old bytes'), size: 9, etag: '"v7"' };
  const { facts, diagnostics } = await readSources([makeAsset('jingle', urlSource(url), 1)], {
    known: new Map([[`url:${url}`, known]]),
    manifestFile,
  });
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(facts.get(`url:${url}`), known);
  assert.equal(server.requests[0].headers['if-none-match'], '"v7"');
});

test('a hashFile passed in is used for local files, once per distinct path', async () => {
  const hashed: string[] = [];
  const fakeHash = async (path: string) => {
    hashed.push(path);
    return { sha256: sha256(path), size: path.length };
  };
  const assets = [makeAsset('a', fileSource('/repo/a.png'), 1), makeAsset('b', fileSource('/repo/a.png'), 2), makeAsset('c', fileSource('/repo/c.png'), 3)];
  const { facts, diagnostics } = await readSources(assets, { ...noKnown, hashFile: fakeHash });
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(hashed.sort(), ['/repo/a.png', '/repo/c.png']);
  assert.equal(facts.get('file:/repo/c.png')?.sha256, sha256('/repo/c.png'));
});
