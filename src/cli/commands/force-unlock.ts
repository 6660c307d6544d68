// `attachform force-unlock LOCK_ID`: breaks the state lock of a run that is gone (a killed CI job),
// by id, so a lock is never broken by mistake: a wrong id fails and names the lock that is held.
import type { Command } from '../command.js';
import { COMMON_HELP } from '../command.js';
import { openContext } from '../context.js';
import { UserError } from '../../user-error.js';

export const forceUnlockCommand: Command = {
  name: 'force-unlock',
  help: `Usage: attachform force-unlock LOCK_ID

Removes the state lock LOCK_ID (the id is in the error that named the lock's holder). Only do this
when that run is gone: two applies at once may upload the same assets twice. A lock whose holder
stopped renewing it is also taken over by the next apply on its own, with a warning. Exit 1 when
LOCK_ID is not the lock held (the error names the one that is).

${COMMON_HELP}`,
  options: {},
  async run(args, deps) {
    const [lockId, ...extra] = args.positionals;
    if (lockId === undefined || lockId.trim() === '' || extra.length > 0) {
      throw new UserError('force-unlock takes one argument, the id of the lock to break', {
        hint: 'the id is in the error that named the lock holder: attachform force-unlock LOCK_ID',
      });
    }
    const context = await openContext(args, deps, { tokens: false, graph: false });
    try {
      await context.state.forceUnlock(lockId);
      deps.stdout.write(`Broke lock ${lockId} on state ${context.state.displayUrl}.\n`);
      return 'ok';
    } finally {
      await context.close();
    }
  },
};
