// GitHub Actions' job summary: when GITHUB_STEP_SUMMARY names a file, plan and apply append their
// markdown summary to it. A summary that cannot be written is a warning, never a failed command.
import { appendFile } from 'node:fs/promises';
import type { CliDeps } from './deps.js';

export async function appendStepSummary(deps: Pick<CliDeps, 'env' | 'stderr'>, markdown: string): Promise<void> {
  const file = deps.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    await appendFile(file, markdown.endsWith('\n') ? `${markdown}\n` : `${markdown}\n\n`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    deps.stderr.write(`warning: could not append the summary to GITHUB_STEP_SUMMARY (${file}: ${code})\n`);
  }
}
