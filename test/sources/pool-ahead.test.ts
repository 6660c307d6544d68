// A hash pool started ahead by the caller (the CLI starts one before it reads the manifest): the
// files are hashed on it when they pay for a pool; otherwise, or when the read is aborted, it is
// closed at once and never hashed on. Either way readSources closes it.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HashPool } from '../../src/sources/hash-pool.js';
import { isWorthAPool, startFileHashPool } from '../../src/sources/read-local-files.js';
import { readSources } from '../../src/sources/read-sources.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { fileAssets, sha256OfFile } from './make-asset.js';

/** A real pool started ahead, recording the paths hashed on it and the times it was closed. */
function recordedPool(t: TestContext): { pool: HashPool; hashed: string[]; closes: () => number } {
  const real = startFileHashPool();
  t.after(() => real.close()); // were it left open, its worker would keep the test process alive
  const hashed: string[] = [];
  let closes = 0;
  return {
    hashed,
    closes: () => closes,
    pool: {
      hash: (path) => {
        hashed.push(path);
        return real.hash(path);
      },
      close: () => {
        closes += 1;
        return real.close();
      },
    },
  };
}

function writeFiles(dir: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const path = join(dir, `file-${i}.bin`);
    writeFileSync(path, `bytes of file ${i}`);
    return path;
  });
}

const read = (paths: string[], hashPool: HashPool, signal?: AbortSignal) => readSources(fileAssets(paths), { known: new Map(), manifestFile: '/repo/assets.yaml', hashPool, signal });

test('files that pay for a pool are hashed on the one started ahead, which is then closed', async (t) => {
  const paths = writeFiles(makeTempDir(t), 300);
  assert.ok(isWorthAPool(300, 300 * 20), 'premise: these pay for a pool');
  const recorded = recordedPool(t);
  const { facts, diagnostics } = await read(paths, recorded.pool);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual([...recorded.hashed].sort(), [...paths].sort(), 'every file on the pool given, none elsewhere');
  assert.equal(recorded.closes(), 1);
  assert.equal(facts.get(`file:${paths[7]}`)?.sha256, sha256OfFile(paths[7]));
});

test('files too few for a pool are hashed in-process, and the pool started ahead is closed unused', async (t) => {
  const paths = writeFiles(makeTempDir(t), 3);
  assert.ok(!isWorthAPool(3, 3 * 20), 'premise: too few for a pool');
  const recorded = recordedPool(t);
  const { facts } = await read(paths, recorded.pool);
  assert.deepEqual(recorded.hashed, []);
  assert.equal(recorded.closes(), 1);
  assert.deepEqual(paths.map((path) => facts.get(`file:${path}`)?.sha256), paths.map(sha256OfFile));
});

test('an aborted read closes the pool started ahead without hashing on it', async (t) => {
  const paths = writeFiles(makeTempDir(t), 300);
  const recorded = recordedPool(t);
  const stop = new AbortController();
  stop.abort(new Error('the state could not be read'));
  await assert.rejects(read(paths, recorded.pool, stop.signal), /the state could not be read/);
  assert.deepEqual(recorded.hashed, []);
  assert.equal(recorded.closes(), 1);
});
