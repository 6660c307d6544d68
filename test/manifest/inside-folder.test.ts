import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { isLexicallyInside, relativePath } from '../../src/manifest/inside-folder.js';

// relativePath skips path.relative's arithmetic for paths plainly below the folder; it must give
// exactly what path.relative gives, for those and for every path that only looks like them.
const CASES: Array<[dir: string, target: string]> = [
  ['/repo', '/repo/media/a.png'],
  ['/repo', '/repo/a.png'],
  ['/repo', '/repo'],
  ['/repo', '/repo/'],
  ['/repo', '/repository/a.png'],
  ['/repo', '/repo/../etc/passwd'],
  ['/repo', '/repo/media/../../etc'],
  ['/repo', '/repo/./a.png'],
  ['/repo', '/repo//a.png'],
  ['/repo', '/repo/media/.'],
  ['/repo', '/repo/media/..'],
  ['/repo', '/repo/.hidden/a.png'],
  ['/repo', '/repo/..a/b'],
  ['/repo', '/repo/a../b'],
  ['/repo', '/repo/a.'],
  ['/repo/', '/repo/a.png'],
  ['/', '/a.png'],
  ['/repo/./sub', '/repo/./sub/a.png'],
  ['/repo/sub/..', '/repo/sub/../a.png'],
  ['media', 'media/a.png'],
  ['/repo', 'media/a.png'],
  ['', '/repo/a.png'],
  ['', 'media/a.png'],
];

test('relativePath gives what path.relative gives, and isLexicallyInside follows it', () => {
  for (const [dir, target] of CASES) {
    const expected = relative(dir, target);
    assert.equal(relativePath(dir, target), expected, `${dir} → ${target}`);
    const inside = expected === '' || (!expected.startsWith('/') && expected !== '..' && !expected.startsWith('../'));
    assert.equal(isLexicallyInside(dir, target), inside, `inside: ${dir} → ${target}`);
  }
  assert.equal(isLexicallyInside('/repo', '/repo/media/a.png'), true);
  assert.equal(isLexicallyInside('/repo', '/repository/a.png'), false);
  assert.equal(isLexicallyInside('/repo', '/repo/media/../../etc'), false);
});
