// `attachform apply` — not built yet.
import type { Command } from '../command.js';
import { COMMON_HELP } from '../command.js';
import { UserError } from '../../user-error.js';

export const applyCommand: Command = {
  name: 'apply',
  summary: '(not built yet)',
  help: `Usage: attachform apply\n\n${COMMON_HELP}`,
  options: {},
  async run() {
    throw new UserError('apply is not built yet');
  },
};
