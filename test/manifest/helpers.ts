// A manifest project in a temp folder: assets.yaml plus the files it names, under <temp>/project so
// that <temp> itself is "outside the manifest's folder" for the path-escape cases.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { makeTempDir } from '../helpers/temp-dir.js';

export interface Project {
  /** The temp folder holding the project (outside it). */
  base: string;
  /** The manifest's folder. */
  dir: string;
  /** Absolute path of assets.yaml. */
  manifest: string;
}

/** `files` paths are relative to the project folder (`../x` lands in `base`). */
export function makeProject(t: TestContext, yaml: string, files: Record<string, string> = {}): Project {
  const base = makeTempDir(t);
  const dir = join(base, 'project');
  mkdirSync(dir);
  const manifest = join(dir, 'assets.yaml');
  writeFileSync(manifest, yaml);
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return { base, dir, manifest };
}

/** The first lines every case starts from: the asset lines that follow begin on line 5. */
export const HEAD = 'version: 1\npages:\n  main: {id: "1234567890", token_env: MAIN_TOKEN}\nassets:\n';
