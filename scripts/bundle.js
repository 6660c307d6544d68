// Build step after tsc: bundles the CLI (dist/src/cli/bin.js) into dist/bundle/, the `attachform`
// executable package.json's "bin" names, with the hash worker beside it as one CommonJS file. Why: a command's start-up was mostly
// Node resolving, reading and compiling ~300 small modules one by one (yaml, fast-glob and undici are
// ~140 CommonJS files); from a few chunks the plan command loads in about half the time (BENCHMARKS.md).
// Commands stay lazily loaded: each `import()` of a command becomes its own chunk. The library
// (`import 'attachform'`) stays the unbundled dist/src. Only sqlite3 is left out: it is a native addon
// that finds its compiled binding next to its own files.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const outdir = `${dist}bundle`;

const WORKER_FILE = 'hash-worker.cjs';

/** Points the bundled hash pool at the CommonJS worker built below instead of hash-worker.js. */
const workerAsCommonJs = {
  name: 'hash-worker-as-commonjs',
  setup(build) {
    build.onLoad({ filter: /[\\/]sources[\\/]hash-pool\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const parts = source.split("'./hash-worker.js'");
      if (parts.length !== 2) throw new Error(`${args.path}: expected './hash-worker.js' once, found it ${parts.length - 1} times`);
      return { contents: parts.join(`'./${WORKER_FILE}'`), loader: 'js' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  // Chunks land flat in outdir beside the worker, so hash-pool's `new URL('./hash-worker.cjs',
  // import.meta.url)` finds it, and package-root's '../../' is the package as in dist/src.
  entryPoints: [`${dist}src/cli/bin.js`],
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
  plugins: [workerAsCommonJs],
});
// The hash worker: one CommonJS file, with nothing to resolve or link and no ES module loader to
// start in the new thread — a worker answers its first path ~10 ms sooner than from an ES module
// importing three chunks (BENCHMARKS.md).
await build({
  entryPoints: [`${dist}src/sources/hash-worker.js`],
  outfile: `${outdir}/${WORKER_FILE}`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.18',
  logLevel: 'warning',
});
