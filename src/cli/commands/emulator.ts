// `attachform emulator` — not built yet.
import type { Command } from '../command.js';
import { COMMON_HELP } from '../command.js';
import { UserError } from '../../user-error.js';

export const emulatorCommand: Command = {
  name: 'emulator',
  summary: '(not built yet)',
  help: `Usage: attachform emulator\n\n${COMMON_HELP}`,
  options: {},
  async run() {
    throw new UserError('emulator is not built yet');
  },
};
