// Parsing and displaying state URLs. A URL may carry a password (postgres://user:secret@host/db);
// only `redactStateUrl` output is ever shown.
import { isAbsolute, resolve } from 'node:path';
import { UserError } from '../user-error.js';

export type StateUrl =
  | { scheme: 'sqlite'; path: string }
  | { scheme: 'postgres' | 'redis'; url: string };

export const SUPPORTED_SCHEMES = ['sqlite://', 'postgres://', 'redis://'] as const;

/** The URL with any password (in the user-info part or a `password` query parameter) replaced by `***`. */
export function redactStateUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):[^/?#@]*@/i, '$1:***@')
    .replace(/([?&](?:password|pass|pwd)=)[^&#]*/gi, '$1***');
}

/** Splits a state URL into its backend and target; sqlite paths resolve against baseDir. */
export function parseStateUrl(url: string, baseDir: string): StateUrl {
  const display = redactStateUrl(url);
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is.exec(url);
  const scheme = match?.[1].toLowerCase();
  if (scheme === 'sqlite') {
    const path = match![2];
    if (path === '') {
      throw new UserError(`State URL "${display}" has no file path.`, {
        hint: 'Write it as sqlite://PATH, e.g. sqlite://.attachform/state.sqlite (relative to the manifest\'s folder).',
      });
    }
    return { scheme, path: isAbsolute(path) ? path : resolve(baseDir, path) };
  }
  if (scheme === 'postgres' || scheme === 'postgresql' || scheme === 'redis' || scheme === 'rediss') {
    throw new UserError(`State backend "${scheme}://" is not supported yet (state URL "${display}").`, {
      hint: 'Use a sqlite://PATH state for now; Postgres and Redis backends are planned.',
    });
  }
  throw new UserError(`State URL "${display}" has an unsupported scheme.`, {
    hint: `Supported: ${SUPPORTED_SCHEMES.join(', ')} (for now only sqlite:// works), e.g. sqlite://.attachform/state.sqlite.`,
  });
}
