// The shape every command file exports. A command parses nothing itself (cli/arguments.ts does),
// builds its dependencies, calls the library, renders through a view and returns an Outcome.
import type { OptionSpec, ParsedArgs } from './arguments.js';
import type { CliDeps, Outcome } from './deps.js';

export interface Command {
  name: string;
  /** The whole `attachform NAME --help` text. */
  help: string;
  options: OptionSpec;
  run(args: ParsedArgs, deps: CliDeps): Promise<Outcome>;
}

export const COMMON_HELP = `Common options:
  -f, --file MANIFEST   the manifest (default ./assets.yaml)
  --graph-url URL       Graph API origin (default from the manifest, or ATTACHFORM_GRAPH_URL)
  --state URL           state store (default from the manifest, or ATTACHFORM_STATE)
  --emulator            run against an embedded emulator with its own state
  --no-color            no colours (also NO_COLOR=1)
  -h, --help            this help`;
