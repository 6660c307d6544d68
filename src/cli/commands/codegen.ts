// `attachform codegen`: rewrite (or, with --check, compare) the outputs from the state. No network.
import type { Command } from '../command.js';
import { COMMON_HELP } from '../command.js';
import { openContext } from '../context.js';
import { checkOutputs, emitOutputs } from '../../codegen/emit-outputs.js';

export const codegenCommand: Command = {
  name: 'codegen',
  help: `Usage: attachform codegen [--check]

Writes outputs.typescript (and outputs.json when set) from the state's records — atomically, and
only when the bytes differ. With --check, writes nothing and exits 1 when a committed output
differs from what the state gives (for CI).

Options:
  --check   compare instead of writing

${COMMON_HELP}`,
  options: { check: { type: 'boolean' } },
  async run(args, deps) {
    const context = await openContext(args, deps, { tokens: false, graph: false });
    try {
      const { records } = await context.state.read();
      if (args.values.check) {
        const checks = await checkOutputs(context.manifest, records);
        for (const c of checks) deps.stdout.write(c.status === 'same' ? `${c.path} is up to date\n` : `${c.path} ${c.status === 'missing' ? 'is missing' : 'differs from the state'}\n`);
        const stale = checks.filter((c) => c.status !== 'same');
        if (stale.length > 0) deps.stderr.write('Run `attachform codegen` and commit the result.\n');
        return stale.length > 0 ? 'failed' : 'ok';
      }
      for (const o of await emitOutputs(context.manifest, records)) deps.stdout.write(o.status === 'written' ? `Wrote ${o.path}\n` : `${o.path} is up to date\n`);
      return 'ok';
    } finally {
      await context.close();
    }
  },
};
