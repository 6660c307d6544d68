// `attachform validate` — not built yet.
import type { Command } from '../command.js';
import { COMMON_HELP } from '../command.js';
import { UserError } from '../../user-error.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: '(not built yet)',
  help: `Usage: attachform validate\n\n${COMMON_HELP}`,
  options: {},
  async run() {
    throw new UserError('validate is not built yet');
  },
};
