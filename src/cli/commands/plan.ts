// `attachform plan` — not built yet.
import type { Command } from '../command.js';
import { COMMON_HELP } from '../command.js';
import { UserError } from '../../user-error.js';

export const planCommand: Command = {
  name: 'plan',
  summary: '(not built yet)',
  help: `Usage: attachform plan\n\n${COMMON_HELP}`,
  options: {},
  async run() {
    throw new UserError('plan is not built yet');
  },
};
