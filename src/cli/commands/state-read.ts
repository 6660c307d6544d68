// `state list` and `state show NAME`: read the state, no lock, nothing written.
import { openContext } from '../context.js';
import { findRecord, pageOption } from '../state-lookup.js';
import { recordJson, renderRecord, renderStateList, stateListJson } from '../views/state-view.js';
import { UserError } from '../../user-error.js';
import type { StateSubcommand } from './state.js';

export const stateListCommand: StateSubcommand = {
  name: 'list',
  usage: 'list [--json]',
  summary: 'every record: page/name, type, attachment id, expiry, source',
  async run(args, deps) {
    if (args.positionals.length > 0) throw new UserError(`state list takes no arguments, got ${JSON.stringify(args.positionals[0])}`);
    const context = await openContext(args, deps, { tokens: false, graph: false });
    try {
      const snapshot = await context.state.read();
      deps.stdout.write(args.values.json ? `${JSON.stringify(stateListJson(snapshot, context.state.displayUrl), null, 2)}\n` : renderStateList(snapshot, context.state.displayUrl, deps.now()));
      return 'ok';
    } finally {
      await context.close();
    }
  },
};

export const stateShowCommand: StateSubcommand = {
  name: 'show',
  usage: 'show NAME [--page P] [--json]',
  summary: 'one record in full',
  async run(args, deps) {
    if (args.positionals.length !== 1) throw new UserError('state show needs one asset name', { hint: 'attachform state show NAME [--page P]' });
    const page = pageOption(args.values.page);
    const context = await openContext(args, deps, { tokens: false, graph: false });
    try {
      const record = findRecord((await context.state.read()).records, args.positionals[0], page);
      deps.stdout.write(args.values.json ? `${JSON.stringify(recordJson(record), null, 2)}\n` : renderRecord(record, deps.now()));
      return 'ok';
    } finally {
      await context.close();
    }
  },
};
