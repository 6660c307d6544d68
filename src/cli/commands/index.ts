// Every command, in the order `attachform --help` lists them. A command's module (and all it
// imports: yaml, ajv, the state drivers, undici…) is loaded only when that command runs, so
// `--version`, `--help` and each command pay start-up time for their own code alone.
import type { Command } from '../command.js';

export interface CommandEntry {
  name: string;
  /** One line for `attachform --help`. */
  summary: string;
  load(): Promise<Command>;
}

export const commands: CommandEntry[] = [
  { name: 'validate', summary: 'check the manifest (no network, no state)', load: async () => (await import('./validate.js')).validateCommand },
  { name: 'plan', summary: 'show what apply would upload, refresh or forget, and why', load: async () => (await import('./plan.js')).planCommand },
  { name: 'apply', summary: 'upload what is new, changed or about to expire; record ids; write the module', load: async () => (await import('./apply.js')).applyCommand },
  { name: 'show', summary: 'render a saved plan file (warns when it is stale)', load: async () => (await import('./show.js')).showCommand },
  { name: 'codegen', summary: 'rewrite (or --check) the generated module from the state; no network', load: async () => (await import('./codegen.js')).codegenCommand },
  { name: 'state', summary: 'list, show, remove, rename, import or migrate records of the state', load: async () => (await import('./state.js')).stateCommand },
  { name: 'force-unlock', summary: 'break the state lock LOCK_ID held by a run that is gone', load: async () => (await import('./force-unlock.js')).forceUnlockCommand },
  { name: 'emulator', summary: 'run a local Graph API emulator for tests and rehearsals', load: async () => (await import('./emulator.js')).emulatorCommand },
];
