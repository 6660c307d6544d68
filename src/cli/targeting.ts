// --target / --exclude / --only-expiring, shared by plan and apply.
import type { OptionSpec, ParsedArgs } from './arguments.js';
import type { TargetOptions } from '../plan/target-plan.js';
import { UserError } from '../user-error.js';

export const TARGET_OPTIONS = {
  target: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  'only-expiring': { type: 'boolean' },
} as const satisfies OptionSpec;

export const TARGET_HELP = `  --target GLOB         only assets whose name matches (repeatable; * ? [..] {a,b}; a GLOB with
                        a / matches PAGE/NAME). Forgets too are limited to matching names
  --exclude GLOB        leave out assets whose name matches (repeatable)
  --only-expiring       only refreshes of ids about to expire (for a scheduled refresh job)`;

export function readTargeting(values: ParsedArgs['values']): TargetOptions {
  const list = (name: string): string[] => {
    const raw = values[name];
    const all = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
    for (const pattern of all) if (pattern.trim() === '') throw new UserError(`--${name} needs a pattern, like --${name} 'sticker_*'`);
    return all;
  };
  return { target: list('target'), exclude: list('exclude'), onlyExpiring: values['only-expiring'] === true };
}

/** A human line describing the targeting, or undefined for a whole plan. */
export function describeTargeting(targeting: { target: string[]; exclude: string[]; only_expiring: boolean } | undefined): string | undefined {
  if (!targeting) return undefined;
  const parts = [
    ...targeting.target.map((p) => `--target ${p}`),
    ...targeting.exclude.map((p) => `--exclude ${p}`),
    ...(targeting.only_expiring ? ['--only-expiring'] : []),
  ];
  return parts.length > 0 ? parts.join(' ') : undefined;
}
