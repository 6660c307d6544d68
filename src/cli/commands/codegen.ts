// `attachform codegen` — not built yet.
import type { Command } from '../command.js';
import { COMMON_HELP } from '../command.js';
import { UserError } from '../../user-error.js';

export const codegenCommand: Command = {
  name: 'codegen',
  summary: '(not built yet)',
  help: `Usage: attachform codegen\n\n${COMMON_HELP}`,
  options: {},
  async run() {
    throw new UserError('codegen is not built yet');
  },
};
