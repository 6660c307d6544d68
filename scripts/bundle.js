// Build step after tsc: bundles the CLI (dist/src/cli/bin.js) and the hash worker into dist/bundle/,
// the `attachform` executable package.json's "bin" names. Why: a command's start-up was mostly
// Node resolving, reading and compiling ~300 small modules one by one (yaml, fast-glob and undici are
// ~140 CommonJS files); from a few chunks the plan command loads in about half the time (BENCHMARKS.md).
// Commands stay lazily loaded: each `import()` of a command becomes its own chunk. The library
// (`import 'attachform'`) stays the unbundled dist/src. Only sqlite3 is left out: it is a native addon
// that finds its compiled binding next to its own files.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const outdir = `${dist}bundle`;

rmSync(outdir, { recursive: true, force: true });
await build({
  // Both entries land flat in outdir with every chunk, so hash-pool's `new URL('./hash-worker.js',
  // import.meta.url)` finds the worker, and package-root's '../../' is the package as in dist/src.
  entryPoints: [`${dist}src/cli/bin.js`, `${dist}src/sources/hash-worker.js`],
  outdir,
  entryNames: '[name]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  external: ['sqlite3'],
  // CommonJS dependencies call require() for node's built-ins; an ES module has no require of its own.
  banner: { js: "import { createRequire as __attachformRequire } from 'node:module';\nconst require = __attachformRequire(import.meta.url);" },
  logLevel: 'warning',
});
