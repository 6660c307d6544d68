// The confirmation before an apply without a saved plan: only on a TTY, only "yes" goes ahead.
import { createInterface } from 'node:readline/promises';
import type { CliDeps } from './deps.js';

export async function confirmApply(deps: CliDeps): Promise<boolean> {
  const rl = createInterface({ input: deps.stdin, output: process.stdout, terminal: false });
  try {
    deps.stdout.write("\nDo you want to apply these changes? Only 'yes' will be accepted: ");
    const answer = await rl.question('');
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}
