// `attachform state SUBCOMMAND`: look at and repair the state by hand. One table of subcommands;
// each is a small file. Reading ones take no lock; writing ones hold the state lock, like apply,
// and rewrite the outputs from the state afterwards.
import type { Command } from '../command.js';
import { COMMON_HELP } from '../command.js';
import type { ParsedArgs } from '../arguments.js';
import type { CliDeps, Outcome } from '../deps.js';
import { closestMatch } from '../../closest-match.js';
import { UserError } from '../../user-error.js';
import { stateListCommand, stateShowCommand } from './state-read.js';
import { stateMvCommand, stateRmCommand } from './state-edit.js';
import { stateImportCommand } from './state-import.js';
import { runStateMigrate } from './state-migrate.js';

const stateMigrateCommand: StateSubcommand = {
  name: 'migrate',
  usage: 'migrate --to URL [--from URL] [--force]',
  summary: 'copy the whole state (lineage, serial, records) to another backend and verify it',
  run: runStateMigrate,
};

export interface StateSubcommand {
  name: string;
  usage: string;
  summary: string;
  /** `args.positionals` holds the subcommand's own arguments. */
  run(args: ParsedArgs, deps: CliDeps): Promise<Outcome>;
}

export const STATE_SUBCOMMANDS: StateSubcommand[] = [stateListCommand, stateShowCommand, stateRmCommand, stateMvCommand, stateImportCommand, stateMigrateCommand];

export const stateCommand: Command = {
  name: 'state',
  get help() {
    const width = Math.max(...STATE_SUBCOMMANDS.map((s) => s.usage.length));
    return `Usage: attachform state SUBCOMMAND [options]

${STATE_SUBCOMMANDS.map((s) => `  ${s.usage.padEnd(width)}  ${s.summary}`).join('\n')}

NAME is an asset name; --page P (a page key or id) is needed only when the name is on several
pages. rm, mv and import hold the state lock and rewrite the outputs from the state.

Options:
  --json               (list, show) JSON instead of text
  --page P             the page of NAME
  --uploaded-at ISO    (import) when the id was uploaded (default: now); it expires ttl later
  --lock-timeout D     (rm, mv, import, migrate) wait up to D for a held state lock
  --to URL             (migrate) the state to copy to: sqlite://PATH, postgres://…, redis://…
  --from URL           (migrate) the state to copy from (default: the current one)
  --force              (migrate) overwrite a target that already holds a state

${COMMON_HELP}`;
  },
  options: {
    json: { type: 'boolean' },
    page: { type: 'string' },
    'uploaded-at': { type: 'string' },
    'lock-timeout': { type: 'string' },
    to: { type: 'string' },
    from: { type: 'string' },
    force: { type: 'boolean' },
  },
  async run(args, deps) {
    const [name, ...rest] = args.positionals;
    const sub = STATE_SUBCOMMANDS.find((s) => s.name === name);
    if (!sub) {
      const known = STATE_SUBCOMMANDS.map((s) => s.name);
      const suggestion = name === undefined ? undefined : closestMatch(name, known);
      throw new UserError(name === undefined ? 'state needs a subcommand' : `unknown state subcommand "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, {
        hint: `one of: ${known.join(', ')}; see \`attachform state --help\``,
      });
    }
    return sub.run({ ...args, positionals: rest }, deps);
  },
};
