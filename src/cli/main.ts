// argv → command → exit code. The only place exit codes are decided:
//   0 success (plan --detailed-exitcode: no changes), 2 changes (only with --detailed-exitcode),
//   1 every error — user errors without a stack, bugs with one and a request for a report.
import { commands } from './commands/index.js';
import { parseCommandArgs } from './arguments.js';
import { closestMatch } from '../closest-match.js';
import type { CliDeps, Outcome } from './deps.js';
import { isUserError, UserError } from '../user-error.js';
import { formatDiagnostic } from '../manifest/diagnostics.js';
import { redact } from './secrets.js';
import { VERSION } from '../version.js';

const EXIT_CODES: Record<Outcome, number> = { ok: 0, changes: 2, failed: 1 };

export async function main(argv: string[], deps: CliDeps): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    deps.stdout.write(globalHelp());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    deps.stdout.write(`attachform ${VERSION}\n`);
    return 0;
  }
  try {
    const entry = commands.find((c) => c.name === name);
    if (!entry) {
      const suggestion = closestMatch(name, commands.map((c) => c.name));
      throw new UserError(`unknown command "${name}"`, {
        hint: suggestion ? `did you mean \`attachform ${suggestion}\`?` : 'run `attachform --help` for the commands',
      });
    }
    const command = await entry.load();
    const args = parseCommandArgs(command.name, rest, command.options);
    if (args.common.help) {
      deps.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
      return 0;
    }
    return EXIT_CODES[await command.run(args, deps)];
  } catch (error) {
    reportError(error, deps);
    return 1;
  }
}

export function reportError(error: unknown, deps: CliDeps): void {
  if (isUserError(error)) {
    const inFileOrder = [...error.diagnostics].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    for (const d of inFileOrder) deps.stderr.write(`${formatDiagnostic(d)}\n`);
    if (error.message) deps.stderr.write(`Error: ${redact(error.message)}\n`);
    if (error.hint) deps.stderr.write(`  ${redact(error.hint)}\n`);
    return;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  deps.stderr.write(`attachform: internal error — this is a bug, please report it with the lines below.\n${redact(detail)}\n`);
}

function globalHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `attachform ${VERSION} — keep a Page's reusable Messenger attachments in sync with assets.yaml

Usage: attachform COMMAND [options]

Commands:
${lines.join('\n')}

Run \`attachform COMMAND --help\` for a command's options.
`;
}
