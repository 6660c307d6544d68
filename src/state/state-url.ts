// Parsing and displaying state URLs. A URL may carry a password (postgres://user:secret@host/db);
// only `redactStateUrl` output is ever shown.
import { isAbsolute, resolve } from 'node:path';
import { UserError } from '../user-error.js';

export type StateUrl =
  | { scheme: 'sqlite'; path: string }
  | { scheme: 'postgres' | 'redis'; url: string };

export const SUPPORTED_SCHEMES = ['sqlite://', 'postgres://', 'redis://'] as const;
const SCHEME_ALIASES: Record<string, 'postgres' | 'redis'> = { postgres: 'postgres', postgresql: 'postgres', redis: 'redis', rediss: 'redis' };

/** The URL with any password (in the user-info part or a `password` query parameter) replaced by `***`. */
export function redactStateUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):[^/?#@]*@/i, '$1:***@')
    .replace(/([?&](?:password|pass|pwd)=)[^&#]*/gi, '$1***');
}

/** `text` with the URL's password (as written and percent-decoded) replaced by `***`: for driver messages. */
export function scrubPassword(text: string, url: string): string {
  const raw = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:([^/?#@]*)@/i.exec(url)?.[1];
  const query = [...url.matchAll(/[?&](?:password|pass|pwd)=([^&#]*)/gi)].map((m) => m[1]);
  let scrubbed = text;
  for (const secret of [raw, ...query]) {
    if (!secret) continue;
    let decoded = secret;
    try {
      decoded = decodeURIComponent(secret);
    } catch {
      // not percent-encoded: the raw form is all there is
    }
    for (const form of new Set([secret, decoded])) scrubbed = scrubbed.split(form).join('***');
  }
  return scrubbed;
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
  const shared = scheme === undefined ? undefined : SCHEME_ALIASES[scheme];
  if (shared) {
    return { scheme: shared, url };
  }
  throw new UserError(`State URL "${display}" has an unsupported scheme.`, {
    hint: `Supported: ${SUPPORTED_SCHEMES.join(', ')}, e.g. sqlite://.attachform/state.sqlite or postgres://bot@db.internal/attachform.`,
  });
}
