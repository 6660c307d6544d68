import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, openSync, writeSync, closeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { hashFile, hashFileInTurns, hashFileSync } from '../../src/sources/hash-file.js';
import { SourceError } from '../../src/sources/source-error.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

test('hashFile gives the SHA-256 and size node:crypto gives over the same bytes', async (t) => {
  const file = join(makeTempDir(t), 'welcome.png');
  writeFileSync(file, randomBytes(4096));
  assert.deepEqual(await hashFile(file), { sha256: sha256Of(file), size: 4096 });
});

test('hashFile over a file of several MB, written in chunks, matches node:crypto', async (t) => {
  const file = join(makeTempDir(t), 'big.bin');
  const fd = openSync(file, 'w');
  const chunks = 6;
  const chunkSize = 1024 * 1024 + 17; // not a multiple of the read size
  for (let i = 0; i < chunks; i++) writeSync(fd, randomBytes(chunkSize));
  closeSync(fd);
  const result = await hashFile(file);
  assert.equal(result.size, chunks * chunkSize);
  assert.equal(result.sha256, sha256Of(file));
});

test('hashFile of an empty file is the SHA-256 of no bytes', async (t) => {
  const file = join(makeTempDir(t), 'empty.txt');
  writeFileSync(file, '');
  assert.deepEqual(await hashFile(file), { sha256: createHash('sha256').digest('hex'), size: 0 });
});

test('hashFile of a missing file throws an io SourceError naming the path', async (t) => {
  const file = join(makeTempDir(t), 'missing.png');
  await assert.rejects(hashFile(file), (error: unknown) => {
    assert.ok(error instanceof SourceError);
    assert.equal(error.reason, 'io');
    assert.ok(error.message.includes(file));
    assert.match(error.message, /no such file/);
    return true;
  });
});

test('hashFile of a directory throws an io SourceError', async (t) => {
  const dir = join(makeTempDir(t), 'media');
  mkdirSync(dir);
  await assert.rejects(hashFile(dir), (error: unknown) => error instanceof SourceError && error.reason === 'io' && /directory/.test(error.message));
});

test('hashFileSync reading through a small reused buffer matches node:crypto, and fails as hashFile does', async (t) => {
  const dir = makeTempDir(t);
  const file = join(dir, 'odd.bin');
  writeFileSync(file, randomBytes(1000));
  const buffer = Buffer.alloc(7); // many reads, the last one short
  assert.deepEqual(hashFileSync(file, buffer), { sha256: sha256Of(file), size: 1000 });
  assert.deepEqual(hashFileSync(join(dir, 'odd.bin'), buffer), await hashFile(file), 'the buffer is reusable');
  const missing = join(dir, 'missing.png');
  const expected = await hashFile(missing).catch((error: unknown) => error);
  assert.throws(() => hashFileSync(missing, buffer), (error: unknown) => {
    assert.ok(error instanceof SourceError && expected instanceof SourceError);
    assert.equal(error.reason, 'io');
    assert.equal(error.message, expected.message);
    return true;
  });
});

test('hashFileInTurns matches node:crypto and hashFileSync, fails as they do, and lets the event loop run between chunks', async (t) => {
  const dir = makeTempDir(t);
  const file = join(dir, 'turns.bin');
  writeFileSync(file, randomBytes(3 * 1024 * 1024 + 5)); // four reads of 1 MiB, the last one short
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  let turns = 0;
  let counting = true;
  const count = () => {
    turns++;
    if (counting) setImmediate(count);
  };
  setImmediate(count);
  const result = await hashFileInTurns(file, buffer);
  counting = false;
  assert.deepEqual(result, { sha256: sha256Of(file), size: 3 * 1024 * 1024 + 5 });
  assert.ok(turns >= 3, `the event loop ran between the chunks (${turns} turns)`);
  assert.deepEqual(await hashFileInTurns(file, buffer), hashFileSync(file, Buffer.alloc(1000)), 'the buffer is reusable');
  const missing = join(dir, 'missing.png');
  const expected = await hashFile(missing).catch((error: unknown) => error);
  await assert.rejects(hashFileInTurns(missing, buffer), (error: unknown) => {
    assert.ok(error instanceof SourceError && expected instanceof SourceError);
    assert.equal(error.message, expected.message);
    return true;
  });
});
