import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutput, writeOutput } from '../../src/codegen/write-output.js';
import { UserError } from '../../src/user-error.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test('writes a new file, making its folders', async (t) => {
  const path = join(makeTempDir(t), 'generated', 'deep', 'attachments.ts');
  assert.equal(await writeOutput(path, 'export const a = 1;\n'), 'written');
  assert.equal(readFileSync(path, 'utf8'), 'export const a = 1;\n');
  assert.deepEqual(readdirSync(join(path, '..')), ['attachments.ts']);
});

test('an identical file is not touched: same inode, same mtime', async (t) => {
  const path = join(makeTempDir(t), 'attachments.ts');
  writeFileSync(path, 'same bytes ✓\n');
  const old = new Date('2020-01-02T03:04:05.000Z');
  utimesSync(path, old, old);
  const before = statSync(path);
  assert.equal(await writeOutput(path, 'same bytes ✓\n'), 'unchanged');
  const after = statSync(path);
  assert.equal(after.ino, before.ino);
  assert.equal(after.mtimeMs, old.getTime());
});

test('a changed file is replaced by rename, leaving no temp file', async (t) => {
  const dir = makeTempDir(t);
  const path = join(dir, 'attachments.json');
  writeFileSync(path, '{"old": true}\n');
  const before = statSync(path);
  assert.equal(await writeOutput(path, '{"new": true}\n'), 'written');
  assert.equal(readFileSync(path, 'utf8'), '{"new": true}\n');
  assert.notEqual(statSync(path).ino, before.ino); // a new file renamed over the old, not rewritten in place
  assert.deepEqual(readdirSync(dir), ['attachments.json']);
});

test('checkOutput says same, differs or missing', async (t) => {
  const dir = makeTempDir(t);
  const path = join(dir, 'attachments.ts');
  assert.equal(await checkOutput(path, 'x\n'), 'missing');
  writeFileSync(path, 'x\n');
  assert.equal(await checkOutput(path, 'x\n'), 'same');
  assert.equal(await checkOutput(path, 'x'), 'differs');
});

test('an output path that cannot be written is a UserError, and nothing is left behind', async (t) => {
  const dir = makeTempDir(t);
  mkdirSync(join(dir, 'attachments.ts'));
  await assert.rejects(writeOutput(join(dir, 'attachments.ts'), 'x\n'), (error: unknown) => {
    assert.ok(error instanceof UserError);
    assert.ok(error.message.includes(join(dir, 'attachments.ts')));
    return true;
  });
  assert.deepEqual(readdirSync(dir), ['attachments.ts']);
  writeFileSync(join(dir, 'file'), '');
  await assert.rejects(writeOutput(join(dir, 'file', 'attachments.ts'), 'x\n'), UserError);
});
