import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSources, type ReadSourcesOptions } from '../../src/sources/read-sources.js';
import { RACY_WINDOW_MS } from '../../src/sources/stat-cache.js';
import { isWorthAPool } from '../../src/sources/read-local-files.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { countingHashFile, fileAssets, sha256OfFile } from './make-asset.js';

const manifestFile = '/repo/assets.yaml';

interface Project {
  dir: string;
  paths: string[];
  cacheFile: string;
}

function makeProject(t: Parameters<typeof makeTempDir>[0], count = 3): Project {
  const dir = makeTempDir(t);
  const paths = Array.from({ length: count }, (_, i) => join(dir, `image-${i}.png`));
  paths.forEach((path, i) => writeFileSync(path, `bytes of image ${i}`));
  return { dir, paths, cacheFile: join(dir, '.attachform', 'stat-cache.json') };
}

async function plan(project: Project, paths = project.paths, extra: Partial<ReadSourcesOptions> = {}) {
  const counter = countingHashFile();
  const result = await readSources(fileAssets(paths), {
    known: new Map(),
    manifestFile,
    statCache: { file: project.cacheFile },
    hashFile: counter.hashFile,
    ...extra,
  });
  return { ...result, hashed: counter.calls.sort() };
}

/**
 * Entries younger than the racy window before the cache's write time are not trusted; tests that
 * need a trusted cache move the cache file's mtime forward, as if it had been written later.
 */
function ageCache(project: Project): void {
  const later = new Date(Date.now() + 10 * RACY_WINDOW_MS);
  utimesSync(project.cacheFile, later, later);
}

function cachedPaths(project: Project): string[] {
  return Object.keys(JSON.parse(readFileSync(project.cacheFile, 'utf8')).entries).sort();
}

/** Touches a probe until the file system's clock has moved past `ctimeMs` (a real event, not a sleep). */
function waitForCtimeAfter(dir: string, ctimeMs: number): void {
  const probe = join(dir, 'clock-probe');
  for (let i = 0; ; i++) {
    writeFileSync(probe, String(i));
    if (statSync(probe).ctimeMs > ctimeMs) return;
  }
}

test('a file the stat cache knows unchanged is not read again, and gives the same facts', async (t) => {
  const project = makeProject(t);
  const first = await plan(project);
  assert.deepEqual(first.hashed, [...project.paths].sort());
  assert.deepEqual(first.diagnostics, []);
  assert.deepEqual(cachedPaths(project), [...project.paths].sort());

  ageCache(project);
  const second = await plan(project);
  assert.deepEqual(second.hashed, [], 'no file was read');
  assert.deepEqual(second.diagnostics, []);
  assert.deepEqual(second.facts, first.facts);
  assert.equal(second.facts.get(`file:${project.paths[1]}`)?.sha256, sha256OfFile(project.paths[1]));
});

test('stats the caller took (fileStats) stand in for stat\'ing those files; the others are stat\'ed', async (t) => {
  const project = makeProject(t);
  const first = await plan(project);
  ageCache(project);
  const before = statSync(project.paths[0]);
  appendFileSync(project.paths[0], ' and more');
  appendFileSync(project.paths[1], ' and more');

  const trusted = await plan(project, project.paths, { fileStats: new Map([[project.paths[0], before]]) });
  assert.deepEqual(trusted.hashed, [project.paths[1]], 'the first file was looked up with the stats given, the second stat\'ed');
  assert.deepEqual(trusted.facts.get(`file:${project.paths[0]}`), first.facts.get(`file:${project.paths[0]}`));

  ageCache(project);
  const fresh = await plan(project);
  assert.deepEqual(fresh.hashed, [project.paths[0]], 'without them the change shows (the second was re-cached above)');
  assert.equal(fresh.facts.get(`file:${project.paths[0]}`)?.sha256, sha256OfFile(project.paths[0]));
});

// The timeouts below only turn a hang (a reader that does not stop) into a failure; no speed target.
test('an aborted read stops: the file being hashed is left, no other is started, no cache is written, and it rejects with the reason', { timeout: 30_000 }, async (t) => {
  const project = makeProject(t);
  const stop = new AbortController();
  const started: string[] = [];
  const hashFile = (path: string) => {
    started.push(path);
    stop.abort(new Error('the state could not be read'));
    return new Promise<never>(() => {}); // would never finish
  };
  await assert.rejects(plan(project, project.paths, { hashFile, concurrency: 1, signal: stop.signal }), /the state could not be read/);
  assert.equal(started.length, 1, 'nothing started after the abort');
  assert.equal(existsSync(project.cacheFile), false);
});

test('an aborted read through the hash pool stops too, without writing the cache', { timeout: 30_000 }, async (t) => {
  const project = makeProject(t, 300);
  assert.ok(isWorthAPool(300, 300 * 20), 'premise: the pool hashes these');
  const stop = new AbortController();
  const reading = readSources(fileAssets(project.paths), { known: new Map(), manifestFile, statCache: { file: project.cacheFile }, signal: stop.signal });
  queueMicrotask(() => stop.abort(new Error('stopped')));
  await assert.rejects(reading, /stopped/);
  assert.equal(existsSync(project.cacheFile), false);
});

test('an entry as young as the cache file itself (racy) is not trusted, by mtime or by ctime', async (t) => {
  const project = makeProject(t);
  const longAgo = new Date('2020-01-01T00:00:00Z');
  utimesSync(project.paths[0], longAgo, longAgo); // an old mtime, but the ctime is now
  await plan(project);
  const cacheWrittenMs = statSync(project.cacheFile).mtimeMs;
  assert.ok(project.paths.every((path) => statSync(path).ctimeMs > cacheWrittenMs - RACY_WINDOW_MS), 'premise: the files are racy');
  const second = await plan(project);
  assert.deepEqual(second.hashed, [...project.paths].sort());
});

test('a changed size, mtime or content is always re-hashed, even with the mtime put back', async (t) => {
  const project = makeProject(t, 4);
  const [grown, touched, rewritten, untouched] = project.paths;
  const wholeSecond = new Date('2020-01-01T00:00:00Z'); // so the mtime can be put back exactly
  utimesSync(rewritten, wholeSecond, wholeSecond);
  await plan(project);
  ageCache(project);

  const before = statSync(rewritten);
  waitForCtimeAfter(project.dir, Math.max(...project.paths.map((path) => statSync(path).ctimeMs)));
  appendFileSync(grown, '+');
  utimesSync(touched, new Date(2001, 0, 1), new Date(2001, 0, 1));
  writeFileSync(rewritten, readFileSync(rewritten, 'utf8').toUpperCase()); // same size, new bytes
  utimesSync(rewritten, wholeSecond, wholeSecond);
  const after = statSync(rewritten);
  assert.equal(after.mtimeMs, before.mtimeMs, 'premise: mtime restored');
  assert.equal(after.size, before.size, 'premise: same size');
  assert.notEqual(after.ctimeMs, before.ctimeMs, 'premise: ctime moved');

  const second = await plan(project);
  assert.deepEqual(second.hashed, [grown, touched, rewritten].sort());
  assert.ok(!second.hashed.includes(untouched));
  for (const path of project.paths) assert.equal(second.facts.get(`file:${path}`)?.sha256, sha256OfFile(path), path);
});

test('a corrupt cache file is ignored, everything is hashed, and the cache is rewritten', async (t) => {
  for (const corrupt of ['{"version": 1, "entries": {', '[1, 2, 3]', '{"version": 1, "entries": {"/x": {"size": "big"}}}']) {
    const project = makeProject(t);
    await plan(project);
    writeFileSync(project.cacheFile, corrupt);
    const result = await plan(project);
    assert.deepEqual(result.diagnostics, [], corrupt);
    assert.deepEqual(result.hashed, [...project.paths].sort(), corrupt);
    assert.deepEqual(cachedPaths(project), [...project.paths].sort(), corrupt);
  }
});

test('without the statCache option every file is hashed every time and no cache is written', async (t) => {
  const project = makeProject(t);
  for (let run = 0; run < 2; run++) {
    const result = await plan(project, project.paths, { statCache: undefined });
    assert.deepEqual(result.hashed, [...project.paths].sort());
  }
  assert.equal(existsSync(join(project.dir, '.attachform')), false);
});

test('entries for files no longer planned are dropped from the cache', async (t) => {
  const project = makeProject(t);
  await plan(project);
  await plan(project, project.paths.slice(0, 1));
  assert.deepEqual(cachedPaths(project), [project.paths[0]]);
});

test('a cache that cannot be written is a warning; the facts are all there', async (t) => {
  const project = makeProject(t);
  const blocker = join(project.dir, 'not-a-folder');
  writeFileSync(blocker, 'a file where the cache folder should be');
  const result = await plan({ ...project, cacheFile: join(blocker, 'stat-cache.json') });
  assert.equal(result.facts.size, project.paths.length);
  assert.deepEqual(
    result.diagnostics.map((d) => [d.severity, d.file]),
    [['warning', join(blocker, 'stat-cache.json')]],
  );
  assert.match(result.diagnostics[0].summary, /could not write the stat cache/);
});

test('a missing file is an error diagnostic whatever the cache holds, and leaves the cache', async (t) => {
  const project = makeProject(t);
  await plan(project);
  ageCache(project);
  const missing = join(project.dir, 'gone.png');
  writeFileSync(missing, 'soon gone');
  await plan(project, [...project.paths, missing]);
  ageCache(project);
  rmSync(missing);
  const result = await plan(project, [...project.paths, missing]);
  assert.deepEqual(
    result.diagnostics.map((d) => [d.severity, d.line]),
    [['error', project.paths.length + 1]],
  );
  assert.match(result.diagnostics[0].summary, /gone\.png: no such file/);
  assert.deepEqual(cachedPaths(project), [...project.paths].sort());
});
