#!/usr/bin/env node
// `npm run demo`: plan and apply the repo's own assets.yaml against the embedded emulator (its own
// SQLite state in .attachform/emulator-state.sqlite), then say where the generated module is.
// Run it twice: the second run has nothing to do.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/bundle/bin.js', import.meta.url));

function run(args) {
  console.log(`\n$ attachform ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(['plan', '--emulator']);
run(['apply', '--emulator', '--auto-approve']);
console.log('\nThe generated module is generated/attachments.ts (and generated/attachments.json); import it from your bot.');
console.log('Run `npm run demo` again: the plan says "No changes." and nothing is uploaded.');
