import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration } from '../../src/plan/format-duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

const rows: Array<[number, string]> = [
  [0, '0s'],
  [999, '0s'],
  [S, '1s'],
  [45 * S, '45s'],
  [5 * M + 3 * S, '5m 3s'],
  [5 * H + 30 * M + 10 * S, '5h 30m'],
  [2 * D, '2d'],
  [2 * D + 30 * M, '2d'],
  [3 * D + 4 * H + 59 * M, '3d 4h'],
  [89 * D + 23 * H, '89d 23h'],
  [-5 * S, '0s'],
];

for (const [ms, text] of rows) {
  test(`formatDuration(${ms}) = ${text}`, () => assert.equal(formatDuration(ms), text));
}
