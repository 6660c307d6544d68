import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { statSync, symlinkSync, writeFileSync } from 'node:fs';
import { makeTempDir } from '../helpers/temp-dir.js';
import { makeProject, HEAD } from './helpers.js';
import { loadManifest, readManifest, expandAssets } from '../../src/manifest/load-manifest.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

test('a valid manifest reads with its defaults filled in and its outputs made absolute', async (t) => {
  const dir = makeTempDir(t, 'manifests/basic');
  const file = join(dir, 'assets.yaml');
  const { manifest, diagnostics } = await readManifest(file);
  assert.deepEqual(diagnostics, []);
  assert.ok(manifest);
  assert.equal(manifest.file, file);
  assert.equal(manifest.dir, dir);
  assert.equal(manifest.sha256, createHash('sha256').update(readFileSync(file)).digest('hex'));
  assert.deepEqual(manifest.graph, { url: 'https://graph.facebook.com', apiVersion: 'v21.0' });
  assert.equal(manifest.state, 'sqlite://.attachform/state.sqlite');
  assert.deepEqual(manifest.defaults, { page: 'main', refreshBeforeMs: 14 * 86_400_000, ttlMs: 90 * 86_400_000, allowPrivateUrls: false });
  assert.deepEqual(manifest.outputs, { typescript: join(dir, 'generated/attachments.ts'), json: join(dir, 'generated/attachments.json') });
  assert.deepEqual(
    manifest.pages.map((p) => [p.key, p.id, p.tokenEnv, p.position.line]),
    [['main', '1234567890', 'MAIN_PAGE_TOKEN', 4], ['support', '2345678901', 'SUPPORT_PAGE_TOKEN', 7]],
  );
  const jingle = manifest.assets.find((a) => a.key === 'remote_jingle');
  assert.equal(jingle?.via, 'file');
  assert.deepEqual(jingle?.pages, ['main']);
  assert.equal(manifest.assets.find((a) => a.key === 'welcome')?.via, 'file');
});

test('expansion: one asset per (page, name), sorted, with types, content types, sources and glob names', async (t) => {
  const dir = makeTempDir(t, 'manifests/basic');
  const { assets, diagnostics } = await loadManifest(join(dir, 'assets.yaml'));
  assert.deepEqual(diagnostics, []);
  const rows = assets.map((a) => [a.page, a.name, a.type, a.contentType, a.source.kind === 'file' ? a.source.relPath : a.source.url, a.via, a.declaredAs]);
  assert.deepEqual(rows, [
    ['main', 'jingle', 'audio', 'audio/mpeg', 'media/jingle.mp3', 'file', 'jingle'],
    ['main', 'menu', 'file', 'application/pdf', 'docs/menu.pdf', 'file', 'menu'],
    ['main', 'remote_jingle', 'audio', 'audio/mpeg', 'https://cdn.example.com/audio/jingle.mp3', 'file', 'remote_jingle'],
    ['main', 'sticker_happy_1_smile', 'image', 'image/png', 'media/stickers/happy/1-smile.png', 'file', 'sticker'],
    ['main', 'sticker_sad_tear', 'image', 'image/png', 'media/stickers/sad/tear.png', 'file', 'sticker'],
    ['main', 'sticker_stickers_wave', 'image', 'image/png', 'media/stickers/wave.png', 'file', 'sticker'],
    ['main', 'welcome', 'image', 'image/png', 'media/welcome.png', 'file', 'welcome'],
    ['support', 'menu', 'file', 'application/pdf', 'docs/menu.pdf', 'file', 'menu'],
    ['support', 'promo', 'video', 'video/mp4', 'media/promo.mp4', 'file', 'promo'],
  ]);
  const welcome = assets.find((a) => a.name === 'welcome');
  assert.deepEqual(welcome?.source, { kind: 'file', path: join(dir, 'media/welcome.png'), relPath: 'media/welcome.png' });
  assert.equal(welcome?.pageId, '1234567890');
  assert.deepEqual(welcome?.position, { line: 13, column: 3 });
  assert.equal(assets.find((a) => a.page === 'support')?.pageId, '2345678901');
});

test('the stats of every local file, as its checks took them (following symlinks), come with the assets', async (t) => {
  const p = makeProject(t, `${HEAD}  pic:\n    glob: "img/*.png"\n  linked:\n    path: link.png\n  clip:\n    url: https://cdn.example.com/v/clip.mp4\n    type: video\n`, {
    'img/a.png': 'aa', 'img/b.png': 'bbbb', 'real.png': 'realbytes',
  });
  symlinkSync('real.png', join(p.dir, 'link.png'));
  const { assets, diagnostics, fileStats } = await loadManifest(p.manifest);
  assert.deepEqual(diagnostics, []);
  const paths = assets.flatMap((a) => (a.source.kind === 'file' ? [a.source.path] : []));
  assert.deepEqual([...fileStats.keys()].sort(), paths.sort(), 'one entry per local file, none for the URL');
  for (const path of paths) {
    const stat = statSync(path);
    assert.deepEqual([fileStats.get(path)?.size, fileStats.get(path)?.ino, fileStats.get(path)?.mtimeMs], [stat.size, stat.ino, stat.mtimeMs], path);
  }
  assert.equal(fileStats.get(join(p.dir, 'link.png'))?.size, 'realbytes'.length, 'the symlink followed');

  const bad = makeProject(t, `${HEAD}  pic:\n    glob: "img/*.png"\n  gone:\n    path: missing.png\n`, { 'img/a.png': 'aa' });
  const failed = await loadManifest(bad.manifest);
  assert.equal(failed.diagnostics.length, 1);
  assert.equal(failed.fileStats.size, 0, 'no stats when the manifest has errors');
});

test('the default glob name is <key>_{stem}, sanitised; a leading digit gets a leading _', async (t) => {
  const p = makeProject(t, `${HEAD}  pic:\n    glob: "img/*"\n  x:\n    glob: "n/*.gif"\n    name: "{stem}"\n`, {
    'img/a b.png': '1', 'img/c.d.JPG': '2', 'n/2go.gif': '3',
  });
  const { assets, diagnostics } = await loadManifest(p.manifest);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(assets.map((a) => [a.name, a.type, a.contentType]), [
    ['_2go', 'image', 'image/gif'],
    ['pic_a_b', 'image', 'image/png'],
    ['pic_c_d', 'image', 'image/jpeg'],
  ]);
});

test('the only page is the default page; a url asset defaults to via url', async (t) => {
  const p = makeProject(t, `${HEAD}  clip:\n    url: https://cdn.example.com/v/clip\n    type: video\n`);
  const { assets, diagnostics } = await loadManifest(p.manifest);
  assert.deepEqual(diagnostics, []);
  assert.equal(assets.length, 1);
  assert.deepEqual(
    { page: assets[0].page, via: assets[0].via, source: assets[0].source },
    { page: 'main', via: 'url', source: { kind: 'url', url: 'https://cdn.example.com/v/clip', allowPrivate: false } },
  );
});

test('what is allowed: type file on an .mp3, allow_outside, allow_private_urls, graph and state settings', async (t) => {
  const yaml = `version: 1
graph: {url: "http://127.0.0.1:8790", api_version: v19.0}
state: redis://ci-cache:6379/0
pages:
  main: {id: "1", token_env: T}
defaults: {allow_private_urls: true, refresh_before: 36h, ttl: 30d}
assets:
  raw: {path: a.mp3, type: file}
  shared: {path: ../shared/logo.png, allow_outside: true}
  internal: {url: "http://10.0.0.5/x.png", type: image}
  pinned: {url: "http://[::1]/y.png", type: image, allow_private_urls: true, content_type: image/png}
`;
  const p = makeProject(t, yaml, { 'a.mp3': 'ID3', '../shared/logo.png': 'png' });
  const { manifest, assets, diagnostics } = await loadManifest(p.manifest);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(manifest?.graph, { url: 'http://127.0.0.1:8790', apiVersion: 'v19.0' });
  assert.equal(manifest?.state, 'redis://ci-cache:6379/0');
  assert.equal(manifest?.defaults.refreshBeforeMs, 36 * 3_600_000);
  assert.deepEqual(assets.map((a) => [a.name, a.type, a.contentType]), [
    ['internal', 'image', 'image/png'],
    ['pinned', 'image', 'image/png'],
    ['raw', 'file', 'audio/mpeg'],
    ['shared', 'image', 'image/png'],
  ]);
  const shared = assets.find((a) => a.name === 'shared');
  assert.deepEqual(shared?.source, { kind: 'file', path: join(p.base, 'shared/logo.png'), relPath: '../shared/logo.png' });
});

test('an unreadable file is an error (as root, where chmod 000 does not stop reads, it is read, and refused to an unprivileged child)', async (t) => {
  const p = makeProject(t, `${HEAD}  secret:\n    path: locked.png\n`, { 'locked.png': 'x' });
  const { chmodSync } = await import('node:fs');
  chmodSync(join(p.dir, 'locked.png'), 0o000); // removing it needs only the folder's permissions
  let readable = true;
  try {
    readFileSync(join(p.dir, 'locked.png'));
  } catch {
    readable = false;
  }
  const { assets, diagnostics } = await loadManifest(p.manifest, { displayPath: 'assets.yaml' });
  if (readable) {
    t.diagnostic('running with privileges that read chmod 000 files (root): the file is readable, so it must be accepted');
    assert.deepEqual(diagnostics, []);
    assert.equal(assets.length, 1);
    if (process.getuid?.() === 0) {
      // As root, also check the real refusal: the same load in a child process run as `nobody`.
      chmodSync(p.base, 0o755);
      chmodSync(p.dir, 0o755);
      const moduleUrl = new URL('../../src/manifest/load-manifest.js', import.meta.url).href;
      const script = `const { loadManifest } = await import(${JSON.stringify(moduleUrl)});
        const r = await loadManifest(${JSON.stringify(p.manifest)}, { displayPath: 'assets.yaml' });
        console.log(JSON.stringify(r.diagnostics.map((d) => d.line + ':' + d.column + ' ' + d.summary)));`;
      const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], { uid: 65534, gid: 65534 });
      assert.deepEqual(JSON.parse(stdout), ['6:11 locked.png cannot be read: permission denied']);
    }
  } else {
    assert.deepEqual(diagnostics.map((d) => `${d.line}:${d.column} ${d.summary}`), ['6:11 locked.png cannot be read: permission denied']);
    assert.deepEqual(assets, []);
  }
});

test('a missing manifest file is one whole-file diagnostic with the path as given', async (t) => {
  const dir = makeTempDir(t);
  const { manifest, diagnostics } = await readManifest(join(dir, 'nope.yaml'), { displayPath: 'nope.yaml' });
  assert.equal(manifest, undefined);
  assert.deepEqual(diagnostics.map((d) => [d.file, d.line, d.column, d.summary]), [['nope.yaml', 0, 0, 'no such file']]);
});

test('expandAssets reads the same declarations twice to the same result (deterministic)', async (t) => {
  const dir = makeTempDir(t, 'manifests/basic');
  const { manifest } = await readManifest(join(dir, 'assets.yaml'));
  assert.ok(manifest);
  const first = await expandAssets(manifest);
  writeFileSync(join(dir, 'media/stickers/zz.png'), 'z');
  const second = await expandAssets(manifest);
  assert.equal(second.assets.length, first.assets.length + 1, 'a new match is picked up');
  assert.deepEqual(second.assets.filter((a) => a.name !== 'sticker_stickers_zz'), first.assets);
});
