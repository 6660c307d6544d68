// `attachform emulator` — runs the local Graph API emulator until SIGINT/SIGTERM.
import type { Command } from '../command.js';
import type { ParsedArgs } from '../arguments.js';
import { intOption } from '../arguments.js';
import { registerSecret } from '../secrets.js';
import { UserError } from '../../user-error.js';
import type { EmulatorOptions } from '../../emulator/index.js';

const HELP = `Usage: attachform emulator [--host 127.0.0.1] [--port 8790] [--page ID=TOKEN]...
                           [--latency MS] [--error-rate R] [--rate-limit CALLS/WINDOW_SECONDS[/BLOCK_SECONDS]]
                           [--usage-headers] [--seed N]

Runs a local stand-in for the Graph API's attachment endpoints (see docs/emulator.md) and serves
until interrupted (Ctrl-C, SIGTERM). The first line printed is
  attachform emulator listening on http://HOST:PORT

Options:
  --host HOST           address to listen on (default 127.0.0.1)
  --port PORT           port to listen on (default 8790; 0 picks a free one)
  --page ID=TOKEN       register a page and its access token (repeatable; also POST /__emulator/pages)
  --latency MS          delay added to every Graph answer
  --error-rate R        share (0..1) of Graph calls answered 500 with is_transient: true
  --rate-limit C/W[/B]  per page: more than C calls in W seconds blocks the page for B seconds
                        (default B = W) with error 80006; calls while blocked extend the block
  --usage-headers       X-App-Usage / X-Business-Use-Case-Usage on normal answers
  --seed N              make fault injection and ids reproducible

The clock starts at ATTACHFORM_NOW when it is set (else the system time) and moves with real time;
POST /__emulator/clock moves it.`;

export const emulatorCommand: Command = {
  name: 'emulator',
  help: HELP,
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    page: { type: 'string', multiple: true },
    latency: { type: 'string' },
    'error-rate': { type: 'string' },
    'rate-limit': { type: 'string' },
    'usage-headers': { type: 'boolean' },
    seed: { type: 'string' },
  },
  async run(args, deps) {
    const options = readOptions(args);
    const startedAt = Date.now();
    const base = deps.now().getTime();
    const { startEmulator } = await import('../../emulator/index.js');
    const emulator = await startEmulator({ ...options, now: () => new Date(base + (Date.now() - startedAt)) }).catch((error: unknown) => {
      const code = (error as { code?: string }).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
        throw new UserError(`cannot listen on ${options.host}:${options.port} (${code})`, { hint: 'choose another --port (0 picks a free one) or --host' });
      }
      throw error;
    });
    deps.stdout.write(`attachform emulator listening on ${emulator.url}\n`);
    const pages = options.pages ?? [];
    deps.stdout.write(pages.length > 0 ? `pages: ${pages.map((p) => p.id).join(', ')}\n` : 'no pages yet: register one with POST /__emulator/pages {"id","token"}\n');
    await waitForStopSignal();
    await emulator.close();
    deps.stdout.write('attachform emulator stopped\n');
    return 'ok';
  },
};

function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function readOptions(args: ParsedArgs): EmulatorOptions & { host: string; port: number } {
  const v = args.values;
  if (args.positionals.length > 0) throw new UserError(`emulator takes no arguments, got ${JSON.stringify(args.positionals[0])}`, { hint: 'see `attachform emulator --help`' });
  const port = intOption(v, 'port', 8790, 0);
  if (port > 65535) throw new UserError(`--port must be at most 65535, not ${port}`);
  const options: EmulatorOptions & { host: string; port: number } = {
    host: typeof v.host === 'string' ? v.host : '127.0.0.1',
    port,
    pages: readPages(v.page),
    latencyMs: intOption(v, 'latency', 0, 0),
    usageHeaders: v['usage-headers'] === true,
  };
  if (typeof v.seed === 'string') options.seed = intOption(v, 'seed', 0, 0);
  if (typeof v['error-rate'] === 'string') {
    const rate = Number(v['error-rate']);
    if (v['error-rate'].trim() === '' || !(rate >= 0 && rate <= 1)) {
      throw new UserError(`--error-rate must be a number from 0 to 1, not ${JSON.stringify(v['error-rate'])}`, { hint: 'for example --error-rate 0.1' });
    }
    options.transientErrorRate = rate;
  }
  if (typeof v['rate-limit'] === 'string') {
    const match = /^(\d+)\/(\d+)(?:\/(\d+))?$/.exec(v['rate-limit'].trim());
    if (!match || Number(match[1]) < 1 || Number(match[2]) < 1 || (match[3] !== undefined && Number(match[3]) < 1)) {
      throw new UserError(`--rate-limit must be CALLS/WINDOW_SECONDS[/BLOCK_SECONDS], not ${JSON.stringify(v['rate-limit'])}`, {
        hint: 'for example --rate-limit 10/60 (10 calls a minute, blocked for a minute when over)',
      });
    }
    const windowMs = Number(match[2]) * 1000;
    options.rateLimit = { calls: Number(match[1]), windowMs, blockMs: match[3] ? Number(match[3]) * 1000 : windowMs };
  }
  return options;
}

function readPages(raw: ParsedArgs['values'][string]): Array<{ id: string; token: string }> {
  const values = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  return values.map((value, index) => {
    const at = value.indexOf('=');
    const id = at > 0 ? value.slice(0, at) : '';
    const token = at > 0 ? value.slice(at + 1) : '';
    registerSecret(token);
    // Never quote the value: its right-hand side is a token.
    if (!/^\d+$/.test(id) || token === '' || /\s/.test(token)) {
      throw new UserError(`--page #${index + 1} is not ID=TOKEN (a page id of digits, "=", then its access token)`, {
        hint: 'for example --page 1234567890="$MAIN_PAGE_TOKEN"',
      });
    }
    return { id, token };
  });
}
