// `attachform validate`: reads and checks the manifest, prints every problem at once, and says how
// many assets it declares. No network, no state, nothing written.
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { COMMON_HELP } from '../command.js';
import { UserError } from '../../user-error.js';
import { hasErrors } from '../../manifest/diagnostics.js';
import { formatDiagnostic } from '../../manifest/diagnostics.js';
import { loadManifest } from '../../manifest/load-manifest.js';

export const validateCommand: Command = {
  name: 'validate',
  help: `Usage: attachform validate [-f MANIFEST]

Checks assets.yaml without touching the network or the state: the YAML, its shape (against
schema/assets.schema.json), pages and page references, durations, URLs, and every local file
(present, readable, not empty, at most 25 MB, inside the manifest's folder). Globs are expanded
and the names they make are checked for collisions.

Every problem is printed at once, one per line, as
  FILE:LINE:COL: error: PATH: message (hint)
and the exit code is 1. On success it prints how many assets there are and exits 0.

Examples:
  attachform validate
  attachform validate -f bots/shop/assets.yaml

${COMMON_HELP}`,
  options: {},
  async run(args, deps) {
    const given = args.common.file;
    const { assets, diagnostics } = await loadManifest(resolve(deps.cwd, given), { displayPath: given });
    const missing = diagnostics.length === 1 && diagnostics[0].line === 0 && diagnostics[0].summary === 'no such file';
    if (missing) {
      throw new UserError(`${given}: no such manifest`, { hint: 'run it in the folder holding assets.yaml, or point at the manifest with -f FILE' });
    }
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    if (hasErrors(diagnostics)) {
      throw new UserError(`${given} has ${errors} ${errors === 1 ? 'error' : 'errors'}`, { diagnostics, hint: 'fix them and run `attachform validate` again' });
    }
    for (const d of diagnostics) deps.stderr.write(`${formatDiagnostic(d)}\n`);
    const pages = new Set(assets.map((a) => a.page)).size;
    deps.stdout.write(`${given} is valid: ${assets.length} ${assets.length === 1 ? 'asset' : 'assets'} on ${pages} ${pages === 1 ? 'page' : 'pages'}.\n`);
    return 'ok';
  },
};
