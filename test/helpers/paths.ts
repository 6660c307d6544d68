// Where things are, from a compiled test in dist/test/…
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository's root folder. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The CLI as it ships: the bundle package.json's "bin" names (scripts/bundle.js). */
export const binPath = join(repoRoot, 'dist', 'bundle', 'bin.js');
/** test/fixtures/ (the sources, not dist/). */
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
