import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashFile } from '../../src/sources/hash-file.js';
import { startHashPool } from '../../src/sources/hash-pool.js';
import { isWorthAPool } from '../../src/sources/read-local-files.js';
import { readSources } from '../../src/sources/read-sources.js';
import { SourceError } from '../../src/sources/source-error.js';
import { repoRoot } from '../helpers/paths.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { fileAssets, sha256OfFile } from './make-asset.js';

const ASSORTED = [0, 1, 1000, 1024 * 1024, 1024 * 1024 + 17, 3 * 1024 * 1024 + 5];
const SMALL = [0, 1, 1000, 5000];

/** Files of the sizes given, in turn: empty, tiny, and over the 1 MiB read size without being a multiple of it. */
function writeFiles(dir: string, count: number, sizes = ASSORTED): { paths: string[]; sizes: number[] } {
  const written = Array.from({ length: count }, (_, i) => {
    const path = join(dir, `file-${i}.bin`);
    writeFileSync(path, randomBytes(sizes[i % sizes.length]));
    return { path, size: sizes[i % sizes.length] };
  });
  return { paths: written.map((file) => file.path), sizes: written.map((file) => file.size) };
}

test('the pool gives the SHA-256 and size node:crypto gives, for many files at once', async (t) => {
  const { paths, sizes } = writeFiles(makeTempDir(t), 18);
  const pool = startHashPool({ workers: 2 });
  try {
    const results = await Promise.all(paths.map((path) => pool.hash(path)));
    assert.deepEqual(
      results,
      paths.map((path, i) => ({ sha256: sha256OfFile(path), size: sizes[i] })),
    );
    assert.equal(results[0].sha256, createHash('sha256').digest('hex'), 'the empty file');
  } finally {
    await pool.close();
  }
});

test('a file the pool cannot read rejects with the io SourceError hashFile gives; the rest still hash', async (t) => {
  const dir = makeTempDir(t);
  const good = writeFiles(dir, 3).paths[2];
  const missing = join(dir, 'missing.png');
  const folder = join(dir, 'media');
  mkdirSync(folder);
  const pool = startHashPool({ workers: 2 });
  try {
    const [missingResult, folderResult, goodResult] = await Promise.allSettled([pool.hash(missing), pool.hash(folder), pool.hash(good)]);
    assert.equal(missingResult.status, 'rejected');
    assert.ok(missingResult.reason instanceof SourceError);
    assert.equal(missingResult.reason.reason, 'io');
    assert.equal(missingResult.reason.message, `cannot read ${missing}: no such file; check the path, relative to the manifest's folder`);
    assert.equal(folderResult.status, 'rejected');
    assert.match((folderResult.reason as Error).message, /it is a directory/);
    assert.deepEqual(goodResult, { status: 'fulfilled', value: { sha256: sha256OfFile(good), size: 1000 } });
  } finally {
    await pool.close();
  }
});

test('the calling thread hashes too: it takes the first file at once, and the worker hashes the rest while it is busy', async (t) => {
  const { paths, sizes } = writeFiles(makeTempDir(t), 6);
  const taken: string[] = [];
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const pool = startHashPool({
    workers: 1,
    inProcess: async (path) => {
      taken.push(path);
      await released;
      return hashFile(path);
    },
  });
  try {
    const results = paths.map((path) => pool.hash(path));
    assert.deepEqual(taken, [paths[0]], 'no worker runs yet: this thread took the first file at once');
    assert.deepEqual(
      await Promise.all(results.slice(1)),
      paths.slice(1).map((path, i) => ({ sha256: sha256OfFile(path), size: sizes[i + 1] })),
      'the worker hashed every other file while this thread held its own',
    );
    assert.deepEqual(taken, [paths[0]], 'this thread took no other file while busy');
    release();
    assert.deepEqual(await results[0], { sha256: sha256OfFile(paths[0]), size: sizes[0] });
  } finally {
    release();
    await pool.close();
  }
});

test('a failure on the calling thread rejects only its own file', async (t) => {
  const { paths, sizes } = writeFiles(makeTempDir(t), 5);
  const failure = new SourceError('io', 'cannot read the first file: a test failure');
  const pool = startHashPool({ workers: 1, inProcess: (path) => (path === paths[0] ? Promise.reject(failure) : hashFile(path)) });
  try {
    const [first, ...rest] = await Promise.allSettled(paths.map((path) => pool.hash(path)));
    assert.deepEqual(first, { status: 'rejected', reason: failure });
    assert.deepEqual(
      rest,
      paths.slice(1).map((path, i) => ({ status: 'fulfilled', value: { sha256: sha256OfFile(path), size: sizes[i + 1] } })),
    );
  } finally {
    await pool.close();
  }
});

test('with no workers the calling thread hashes everything; closing rejects the file it is on and takes no other', async (t) => {
  const { paths, sizes } = writeFiles(makeTempDir(t), 4);
  const taken: string[] = [];
  const all = startHashPool({ workers: 0, inProcess: (path) => (taken.push(path), hashFile(path)) });
  try {
    assert.deepEqual(
      await Promise.all(paths.map((path) => all.hash(path))),
      paths.map((path, i) => ({ sha256: sha256OfFile(path), size: sizes[i] })),
    );
    assert.deepEqual(taken, paths);
  } finally {
    await all.close();
  }

  taken.length = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const held = startHashPool({ workers: 0, inProcess: async (path) => (taken.push(path), await released, hashFile(path)) });
  const results = paths.map((path) => held.hash(path));
  await held.close();
  release();
  for (const result of await Promise.allSettled(results)) {
    assert.equal(result.status, 'rejected');
    assert.match(String(result.reason), /closed/);
  }
  await released;
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(taken, [paths[0]], 'nothing was taken after close');
});

test('a closed pool refuses work', async () => {
  const pool = startHashPool({ workers: 1 });
  await pool.close();
  await assert.rejects(pool.hash('/nowhere'), /closed/);
});

test('readSources hashes many files in the pool: same facts, and a missing file is a diagnostic', async (t) => {
  const dir = makeTempDir(t);
  const written = writeFiles(dir, 300, [...SMALL, 1024 * 1024 + 17]);
  const paths = [...written.paths, join(dir, 'missing.png')];
  assert.ok(isWorthAPool(paths.length, written.sizes.reduce((a, b) => a + b)), 'premise: enough work for the pool');
  const { facts, diagnostics } = await readSources(fileAssets(paths), { known: new Map(), manifestFile: '/repo/assets.yaml' });
  written.paths.forEach((path, i) => assert.deepEqual(facts.get(`file:${path}`), { sha256: sha256OfFile(path), size: written.sizes[i] }, path));
  assert.deepEqual(
    diagnostics.map((d) => [d.severity, d.line, d.path]),
    [['error', paths.length, `assets.asset_${paths.length - 1}.path`]],
  );
  assert.match(diagnostics[0].summary, /missing\.png: no such file/);
});

// The guard below only turns a hang (workers left running) into a failure; it is no speed target.
test('a process that read sources through the pool exits by itself', { timeout: 120_000 }, async (t) => {
  const dir = makeTempDir(t);
  const { sizes } = writeFiles(dir, 300, SMALL);
  assert.ok(isWorthAPool(sizes.length, sizes.reduce((a, b) => a + b)), 'premise: enough work for the pool');
  const script = `
    import { readdirSync } from 'node:fs';
    import { join } from 'node:path';
    import { readSources } from ${JSON.stringify(join(repoRoot, 'dist/src/sources/read-sources.js'))};
    const dir = ${JSON.stringify(dir)};
    const assets = readdirSync(dir).map((name, i) => ({ name: 'a' + i, page: 'main', pageId: '1', type: 'file', contentType: 'application/octet-stream',
      source: { kind: 'file', path: join(dir, name), relPath: name }, via: 'file', position: { line: i + 1, column: 1 }, declaredAs: 'a' + i }));
    const { facts, diagnostics } = await readSources(assets, { known: new Map(), manifestFile: 'assets.yaml' });
    console.log(JSON.stringify({ facts: facts.size, diagnostics: diagnostics.length }));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(stdout), { facts: 300, diagnostics: 0 });
});
