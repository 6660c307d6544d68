// Argument parsing on node's own util.parseArgs: each command declares its options, the common ones
// are added, and an unknown flag is a UserError with the closest known spelling.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../user-error.js';
import { closestMatch } from '../closest-match.js';
import { parseDuration } from '../manifest/durations.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS = {
  file: { type: 'string', short: 'f' },
  'graph-url': { type: 'string' },
  state: { type: 'string' },
  emulator: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

export interface CommonOptions {
  file: string;
  graphUrl?: string;
  state?: string;
  emulator: boolean;
  noColor: boolean;
  help: boolean;
}

export interface ParsedArgs {
  common: CommonOptions;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseCommandArgs(command: string, argv: string[], options: OptionSpec): ParsedArgs {
  const all = { ...COMMON_OPTIONS, ...options };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: all, allowPositionals: true, strict: true });
  } catch (error) {
    throw unknownOptionError(command, error, Object.keys(all));
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  return {
    common: {
      file: (v.file as string | undefined) ?? 'assets.yaml',
      graphUrl: v['graph-url'] as string | undefined,
      state: v.state as string | undefined,
      emulator: v.emulator === true,
      noColor: v['no-color'] === true,
      help: v.help === true,
    },
    values: v,
    positionals: parsed.positionals,
  };
}

function unknownOptionError(command: string, error: unknown, known: string[]): UserError {
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  const suggestion = flag ? closestMatch(flag.replace(/^-+/, ''), known) : undefined;
  return new UserError(`${command}: ${message.split('. ')[0]}`, {
    hint: suggestion ? `did you mean --${suggestion}? See \`attachform ${command} --help\`.` : `See \`attachform ${command} --help\`.`,
  });
}

/** A whole number ≥ min from a flag, or a UserError naming the flag. */
export function intOption(values: ParsedArgs['values'], name: string, fallback: number, min = 1): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || n < min) {
    throw new UserError(`--${name} must be a whole number of at least ${min}, not ${JSON.stringify(raw)}`);
  }
  return n;
}

/** `--lock-timeout D` in ms; 0 (fail at once) when absent. */
export function lockTimeoutOption(values: ParsedArgs['values']): number {
  const value = values['lock-timeout'];
  if (value === undefined) return 0;
  try {
    return parseDuration(String(value));
  } catch {
    throw new UserError(`--lock-timeout must be a duration like 30s, 5m or 1h, not ${JSON.stringify(value)}`);
  }
}
