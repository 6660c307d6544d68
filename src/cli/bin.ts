#!/usr/bin/env node
// The `attachform` executable: builds the real dependencies and hands argv to main().
import * as nodeModule from 'node:module';
import { main } from './main.js';
import { redact } from './secrets.js';
import type { CliDeps, OutputStream } from './deps.js';

function redacting(stream: NodeJS.WriteStream): OutputStream {
  return {
    write: (chunk: string) => stream.write(redact(chunk)),
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.columns;
    },
  };
}

function clock(env: NodeJS.ProcessEnv): () => Date {
  const fixed = env.ATTACHFORM_NOW;
  if (!fixed) return () => new Date();
  const at = Date.parse(fixed);
  if (Number.isNaN(at)) {
    process.stderr.write(`Error: ATTACHFORM_NOW=${JSON.stringify(fixed)} is not an ISO 8601 time\n  set it like 2026-01-31T12:00:00Z, or unset it\n`);
    process.exit(1);
  }
  return () => new Date(at);
}

// Node ≥ 22.1 can keep the compiled code of the modules loaded from here on (each command's chunk)
// in a cache in the OS temp folder, as npm and tsc do: `validate` 77 → 71 ms on Node 24 here. Not in
// Node 20, where this does nothing; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const deps: CliDeps = {
  env: process.env,
  cwd: process.cwd(),
  stdout: redacting(process.stdout),
  stderr: redacting(process.stderr),
  stdin: process.stdin,
  now: clock(process.env),
};

main(process.argv.slice(2), deps).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`attachform: internal error — this is a bug, please report it.\n${redact(String(error instanceof Error ? error.stack : error))}\n`);
    process.exitCode = 1;
  },
);
