import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inferContentType, inferType, parseDuration, sanitizeName, applyNameTemplate } from '../../src/manifest/load-manifest.js';

test('inferType follows the SPEC §2 table, whatever the case of the extension', () => {
  const table: Record<string, string[]> = {
    image: ['png', 'jpg', 'jpeg', 'gif', 'webp'],
    audio: ['mp3', 'm4a', 'aac', 'ogg', 'oga', 'wav'],
    video: ['mp4', 'mov', 'm4v', 'webm'],
    file: ['pdf', 'txt', 'zip', 'bin', 'svg', ''],
  };
  for (const [type, exts] of Object.entries(table)) {
    for (const ext of exts) {
      assert.equal(inferType(`media/x.${ext}`), type, ext);
      assert.equal(inferType(`media/X.${ext.toUpperCase()}`), type, ext.toUpperCase());
    }
  }
  assert.equal(inferType('.mp3'), 'audio');
  assert.equal(inferType('mp3'), 'audio');
  assert.equal(inferType('README'), 'file');
});

test('inferContentType gives the media type Meta checks, octet-stream when unknown', () => {
  const table: Record<string, string> = {
    'a.png': 'image/png', 'a.jpg': 'image/jpeg', 'a.jpeg': 'image/jpeg', 'a.gif': 'image/gif', 'a.webp': 'image/webp',
    'a.mp3': 'audio/mpeg', 'a.m4a': 'audio/mp4', 'a.aac': 'audio/aac', 'a.ogg': 'audio/ogg', 'a.oga': 'audio/ogg', 'a.wav': 'audio/wav',
    'a.mp4': 'video/mp4', 'a.mov': 'video/quicktime', 'a.m4v': 'video/x-m4v', 'a.webm': 'video/webm',
    'a.pdf': 'application/pdf', 'a.txt': 'text/plain', 'a.json': 'application/json', 'a.zip': 'application/zip',
    'a.bin': 'application/octet-stream', 'noext': 'application/octet-stream',
  };
  for (const [name, type] of Object.entries(table)) assert.equal(inferContentType(name), type, name);
});

test('parseDuration: s m h d to milliseconds; anything else throws', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('36h'), 36 * 3_600_000);
  assert.equal(parseDuration('14d'), 14 * 86_400_000);
  assert.equal(parseDuration('0d'), 0);
  for (const bad of ['', '14', 'd', '2w', '1.5d', '-1d', ' 14d', '14d ', '14D', '99999999999999999999d']) {
    assert.throws(() => parseDuration(bad), /duration/, JSON.stringify(bad));
  }
});

test('names: templates and sanitising', () => {
  assert.equal(sanitizeName('a-b.c d'), 'a_b_c_d');
  assert.equal(sanitizeName('9lives'), '_9lives');
  assert.equal(sanitizeName('é'), '_');
  assert.equal(applyNameTemplate('s_{stem}', 'media/x/happy face.png'), 's_happy_face');
  assert.equal(applyNameTemplate('{dir}_{stem}_{ext}', 'media/x/a.PNG'), 'x_a_PNG');
  assert.equal(applyNameTemplate('{dir}{stem}', 'top.png'), 'top');
});

test('closestMatch: typos and swapped neighbours, nothing for unrelated words', async () => {
  const { closestMatch } = await import('../../src/closest-match.js');
  assert.equal(closestMatch('pth', ['path', 'url', 'glob']), 'path');
  assert.equal(closestMatch('mian', ['main', 'support']), 'main');
  assert.equal(closestMatch('imgae', ['image', 'audio', 'video', 'file']), 'image');
  assert.equal(closestMatch('colour', ['path', 'url', 'glob']), undefined);
});
