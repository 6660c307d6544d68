// A fresh temp folder per test (optionally a copy of a fixture), removed when the test ends.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fixturesDir } from './paths.js';

export function makeTempDir(t: TestContext, fixture?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'attachform-test-'));
  if (fixture) cpSync(join(fixturesDir, fixture), dir, { recursive: true });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
