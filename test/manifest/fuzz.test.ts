// A valid manifest, corrupted a few hundred seeded ways: readManifest/loadManifest never throw, and
// every diagnostic is well formed (a message, and a line inside the file or 0 for the whole file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/temp-dir.js';
import { loadManifest, readManifest } from '../../src/manifest/load-manifest.js';
import type { Diagnostic } from '../../src/manifest/diagnostics.js';

/** mulberry32: a small seeded generator, so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = ['\t', ':', ': ', '"', "'", '[', ']', '{', '}', '- ', '#', '&a ', '*a', '!!', '? ', '|', '>', '\n', '  ', '%', '@', '`', ',', '\u0000', '\ufeff', 'é'];

function corrupt(text: string, next: () => number): string {
  const pick = (n: number) => Math.floor(next() * n);
  let out = text;
  const rounds = 1 + pick(3);
  for (let r = 0; r < rounds; r++) {
    const lines = out.split('\n');
    const at = pick(out.length + 1);
    const line = pick(lines.length);
    switch (pick(8)) {
      case 0: out = out.slice(0, at) + out.slice(at + 1 + pick(4)); break;
      case 1: out = out.slice(0, at) + out.slice(at, at + 1 + pick(6)).repeat(2) + out.slice(at + 1 + pick(6)); break;
      case 2: if (at + 1 < out.length) out = out.slice(0, at) + out[at + 1] + out[at] + out.slice(at + 2); break;
      case 3: out = out.slice(0, at) + INSERTS[pick(INSERTS.length)] + out.slice(at); break;
      case 4: lines.splice(line, 1); out = lines.join('\n'); break;
      case 5: lines.splice(line, 0, lines[line] ?? ''); out = lines.join('\n'); break;
      case 6: { const other = pick(lines.length); [lines[line], lines[other]] = [lines[other], lines[line]]; out = lines.join('\n'); break; }
      default: lines[line] = pick(2) ? ` ${lines[line]}` : lines[line].replace(/^ {1,2}/, pick(2) ? '\t' : ''); out = lines.join('\n');
    }
  }
  return out;
}

function checkWellFormed(d: Diagnostic, lineCount: number, context: string): void {
  assert.ok(d.severity === 'error' || d.severity === 'warning', context);
  assert.equal(typeof d.summary, 'string', context);
  assert.ok(d.summary.trim().length > 0, `empty message ${context}`);
  assert.equal(d.file, 'assets.yaml', context);
  assert.equal(typeof d.path, 'string', context);
  if (d.line === 0) assert.equal(d.column, 0, context);
  else {
    assert.ok(Number.isInteger(d.line) && d.line >= 1 && d.line <= lineCount, `line ${d.line} of ${lineCount} ${context}`);
    assert.ok(Number.isInteger(d.column) && d.column >= 1, `column ${d.column} ${context}`);
  }
}

test('300 seeded corruptions of a valid manifest: no throw, every diagnostic well formed', async (t) => {
  const dir = makeTempDir(t, 'manifests/basic');
  const file = join(dir, 'assets.yaml');
  const original = readFileSync(file, 'utf8');
  assert.deepEqual((await loadManifest(file)).diagnostics, [], 'the starting point is valid');
  let withErrors = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const text = corrupt(original, random(seed));
    writeFileSync(file, text);
    const context = `(seed ${seed})\n${text}`;
    const read = await readManifest(file, { displayPath: 'assets.yaml' });
    const loaded = await loadManifest(file, { displayPath: 'assets.yaml' });
    const lineCount = text.split('\n').length;
    for (const d of [...read.diagnostics, ...loaded.diagnostics]) checkWellFormed(d, lineCount, context);
    const errors = loaded.diagnostics.some((d) => d.severity === 'error');
    assert.equal(loaded.assets.length > 0 || errors || loaded.manifest !== undefined, true, context);
    if (errors) {
      withErrors++;
      assert.deepEqual(loaded.assets, [], `assets only when there are no errors ${context}`);
    } else {
      assert.ok(loaded.manifest, `no errors means a manifest ${context}`);
    }
  }
  // The corruptions must actually break things most of the time, or this test proves little.
  assert.ok(withErrors > 150, `only ${withErrors} of 300 corruptions were errors`);
});
