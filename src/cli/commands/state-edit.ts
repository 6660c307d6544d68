// `state rm NAME` and `state mv OLD NEW`: edit records by hand, under the state lock; the outputs
// are rewritten from the state afterwards so the module never names a record that is gone.
import type { ParsedArgs } from '../arguments.js';
import { lockTimeoutOption } from '../arguments.js';
import type { CliDeps } from '../deps.js';
import { openContext, type CommandContext } from '../context.js';
import { findRecord, pageOption } from '../state-lookup.js';
import { emitOutputs } from '../../codegen/emit-outputs.js';
import { UserError } from '../../user-error.js';
import type { StateSubcommand } from './state.js';

export const stateRmCommand: StateSubcommand = {
  name: 'rm',
  usage: 'rm NAME [--page P]',
  summary: 'drop a record (the attachment itself stays on Meta\'s side)',
  async run(args, deps) {
    if (args.positionals.length !== 1) throw new UserError('state rm needs one asset name', { hint: 'attachform state rm NAME [--page P]' });
    const page = pageOption(args.values.page);
    return withStateLock(args, deps, 'state rm', async (context) => {
      const record = findRecord((await context.state.read()).records, args.positionals[0], page);
      await context.state.removeRecord(record.pageId, record.name);
      deps.stdout.write(`Removed ${record.page}/${record.name} (attachment ${record.attachmentId}) from the state.\n`);
      if (context.assets.some((a) => a.pageId === record.pageId && a.name === record.name)) {
        deps.stdout.write(`It is still in ${context.manifestPath}: the next apply uploads it again (or adopt an id with \`attachform state import\`).\n`);
      }
    });
  },
};

export const stateMvCommand: StateSubcommand = {
  name: 'mv',
  usage: 'mv OLD NEW [--page P]',
  summary: 'rename a record, keeping its attachment id (no upload)',
  async run(args, deps) {
    if (args.positionals.length !== 2) throw new UserError('state mv needs the old and the new asset name', { hint: 'attachform state mv OLD NEW [--page P]' });
    const [from, to] = args.positionals;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(to)) throw new UserError(`"${to}" is not an asset name: letters, digits and _, not starting with a digit`);
    const page = pageOption(args.values.page);
    return withStateLock(args, deps, 'state mv', async (context) => {
      const records = (await context.state.read()).records;
      const record = findRecord(records, from, page);
      if (records.some((r) => r.pageId === record.pageId && r.name === to)) {
        throw new UserError(`"${to}" is already in the state on page ${record.page}`, { hint: `remove it first with \`attachform state rm ${to} --page ${record.page}\`` });
      }
      // The new record first: a crash in between leaves two names for one id, never none.
      await context.state.putRecord({ ...record, name: to });
      await context.state.removeRecord(record.pageId, record.name);
      deps.stdout.write(`Moved ${record.page}/${from} to ${record.page}/${to} (attachment ${record.attachmentId}; nothing uploaded).\n`);
    });
  },
};

/** Opens the state, holds its lock while `edit` runs, then rewrites the outputs from the state. */
export async function withStateLock(args: ParsedArgs, deps: CliDeps, operation: string, edit: (context: CommandContext) => Promise<void>): Promise<'ok'> {
  const timeoutMs = lockTimeoutOption(args.values);
  const context = await openContext(args, deps, { tokens: false, graph: false });
  try {
    const lock = await context.state.acquireLock({
      operation,
      timeoutMs,
      onWait: (holder) => deps.stderr.write(`waiting for the state lock ${holder.id} held by ${holder.who}@${holder.host} (${holder.operation} since ${holder.since})\n`),
      onTakeover: (previous) => deps.stderr.write(`warning: took over an abandoned state lock ${previous.id} (held by ${previous.who}@${previous.host} since ${previous.since})\n`),
    });
    try {
      await edit(context);
    } finally {
      await lock.release();
    }
    for (const o of await emitOutputs(context.manifest, (await context.state.read()).records)) deps.stdout.write(o.status === 'written' ? `Wrote ${o.path}\n` : `${o.path} is up to date\n`);
    return 'ok';
  } finally {
    await context.close();
  }
}

