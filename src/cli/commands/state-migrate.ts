// `attachform state migrate --to URL [--from URL]`: copy the state (lineage, serial, records) to
// another backend and verify the copy. Dispatched by the `state` command; the source is --from,
// else the state the other commands use (--state > ATTACHFORM_STATE > the manifest's `state:`).
import { dirname, resolve } from 'node:path';
import { migrateState } from '../../state/migrate-state.js';
import { redactStateUrl } from '../../state/state-url.js';
import { UserError } from '../../user-error.js';
import type { ParsedArgs } from '../arguments.js';
import { lockTimeoutOption } from '../arguments.js';
import { COMMON_HELP, type Command } from '../command.js';
import { readManifestOrFail } from '../context.js';
import type { CliDeps, Outcome } from '../deps.js';

export const migrateCommand: Command = {
  name: 'migrate',
  help: `Usage: attachform state migrate --to URL [--from URL] [--force] [--lock-timeout D]

Copies the whole state — its lineage, its serial and every record — from the current state (or
--from URL) to the state at --to URL, then reads the copy back and compares it. Both states are
locked meanwhile. Plans saved against the old state stay valid against the copy. Afterwards,
point \`state:\` in the manifest (or ATTACHFORM_STATE) at the new URL. The old state is left as it was.

  attachform state migrate --to postgres://attachform@db.internal:5432/attachform

Options:
  --to URL              the state to copy to: sqlite://PATH, postgres://…, redis://…
  --from URL            the state to copy from (default: --state, ATTACHFORM_STATE or \`state:\`)
  --force               replace a --to state that is not empty
  --lock-timeout D      wait up to D (30s, 2m) for either lock (default: fail at once)

Passwords may be in the URLs (they are never printed) or, for Postgres, in PGPASSWORD.
Relative sqlite paths are relative to the manifest's folder.

${COMMON_HELP}`,
  options: {
    to: { type: 'string' },
    from: { type: 'string' },
    force: { type: 'boolean' },
    'lock-timeout': { type: 'string' },
  },
  run: runStateMigrate,
};

export async function runStateMigrate(args: ParsedArgs, deps: CliDeps): Promise<Outcome> {
  const extra = args.positionals[0] === 'migrate' ? args.positionals.slice(1) : args.positionals;
  if (extra.length > 0) {
    throw new UserError(`state migrate: unexpected argument ${JSON.stringify(extra[0])}`, { hint: 'Give the target as --to URL.' });
  }
  const to = args.values.to;
  if (typeof to !== 'string' || to === '') {
    throw new UserError('state migrate needs the state to copy to: --to URL', { hint: 'e.g. attachform state migrate --to postgres://attachform@db.internal/attachform' });
  }
  if (args.common.emulator) {
    throw new UserError('state migrate does not copy the emulator\'s state: its ids are not real ones', { hint: 'drop --emulator' });
  }
  const baseDir = dirname(resolve(deps.cwd, args.common.file));
  const from = await sourceUrl(args, deps);
  const result = await migrateState(from, to, {
    baseDir,
    force: args.values.force === true,
    lockTimeoutMs: lockTimeoutOption(args.values),
    onWait: (holder, url) =>
      deps.stderr.write(`waiting up to ${args.values['lock-timeout']} for the lock of ${url}, held by ${holder.who}@${holder.host} (pid ${holder.pid}, ${holder.operation} since ${holder.since})\n`),
    onTakeover: (previous, url) =>
      deps.stderr.write(`warning: took over an abandoned lock of ${url}: ${previous.id} (held by ${previous.who}@${previous.host} pid ${previous.pid} since ${previous.since}, not renewed since ${previous.renewedAt})\n`),
  });
  if (result.replaced) {
    deps.stdout.write(`Replaced the state in ${result.to} (lineage ${result.replaced.lineage}, serial ${result.replaced.serial}, ${plural(result.replaced.records)}).\n`);
  }
  deps.stdout.write(
    `Copied ${plural(result.records)} from ${result.from} to ${result.to} (lineage ${result.lineage}, serial ${result.serial}) and verified the copy.\n` +
      `To use it, set \`state: ${redactStateUrl(to)}\` in the manifest (or ATTACHFORM_STATE); ${result.from} is unchanged.\n`,
  );
  return 'ok';
}

/** --from, else the state the other commands would use: --state > ATTACHFORM_STATE > the manifest's `state:`. */
async function sourceUrl(args: ParsedArgs, deps: CliDeps): Promise<string> {
  const given = [args.values.from, args.common.state, deps.env.ATTACHFORM_STATE].find((v): v is string => typeof v === 'string' && v !== '');
  if (given) return given;
  return (await readManifestOrFail(args.common.file, deps)).manifest.state;
}


function plural(records: number): string {
  return `${records} record${records === 1 ? '' : 's'}`;
}
