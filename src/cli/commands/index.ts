// Every command, in the order `attachform --help` lists them.
import type { Command } from '../command.js';
import { validateCommand } from './validate.js';
import { planCommand } from './plan.js';
import { applyCommand } from './apply.js';
import { codegenCommand } from './codegen.js';
import { emulatorCommand } from './emulator.js';
import { showCommand } from './show.js';
import { stateCommand } from './state.js';
import { forceUnlockCommand } from './force-unlock.js';

export const commands: Command[] = [
  validateCommand,
  planCommand,
  applyCommand,
  showCommand,
  codegenCommand,
  stateCommand,
  forceUnlockCommand,
  emulatorCommand,
];
