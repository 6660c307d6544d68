// Fetch a URL source and hash it as it streams, bounded in bytes, time and redirects. Conditional
// (If-None-Match / If-Modified-Since from what the state knows), so an unchanged URL costs a 304.
// Unless the asset allows private URLs, no connection is made to a loopback, private, link-local or
// otherwise internal address: literal IPs are checked here, host names by the Agent's guarded lookup,
// on every redirect hop (redirects are followed by hand for that reason).
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { isIP } from 'node:net';
import { Agent, sendRequest } from '../http-request.js';
import { classifyAddress, describeCategory, type AddressCategory } from './address-policy.js';
import { createGuardedLookup, type Refusal } from './guarded-lookup.js';
import { SourceError, redactUrl } from './source-error.js';
import type { KnownSource, SourceFacts } from './types.js';
import { VERSION } from '../version.js';

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { maxBytes: 25 * 1024 * 1024, timeoutMs: 30_000, maxRedirects: 5 };

export interface FetchOptions {
  known?: KnownSource;
  allowPrivate: boolean;
  limits?: Partial<FetchLimits>;
  /** Also write the body to this file (for `via: file`); give no `known` then, so the answer is never a 304. */
  saveTo?: string;
  /** Cuts the fetch short; it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export type FetchResult = { status: 'unchanged'; facts: SourceFacts } | { status: 'fetched'; facts: SourceFacts };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export async function fetchUrl(url: string, options: FetchOptions): Promise<FetchResult> {
  options.signal?.throwIfAborted();
  const limits = resolveLimits(options.limits);
  let refusal: Refusal | undefined;
  const agent = new Agent(
    options.allowPrivate ? {} : { connect: { lookup: createGuardedLookup((r) => (refusal = r)) } },
  );
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  const cut = () => controller.abort();
  options.signal?.addEventListener('abort', cut, { once: true });
  let hopUrl = url;
  try {
    return await followHops(url, options, limits, agent, controller.signal, (next) => (hopUrl = next));
  } catch (error) {
    options.signal?.throwIfAborted();
    if (error instanceof SourceError) throw error;
    if (refusal) throw privateAddressError(url, hopUrl, refusal.address, refusal.category, 'resolves to');
    if (controller.signal.aborted) {
      throw new SourceError(
        'timeout',
        `fetching ${redactUrl(url)} took longer than ${formatMs(limits.timeoutMs)}; check that the server answers, or host the file elsewhere`,
        { cause: error },
      );
    }
    throw networkError(url, error);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', cut);
    await agent.destroy().catch(() => undefined);
  }
}

async function followHops(
  url: string,
  options: FetchOptions,
  limits: FetchLimits,
  agent: Agent,
  signal: AbortSignal,
  onHop: (hopUrl: string) => void,
): Promise<FetchResult> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const target = checkHop(url, current, options.allowPrivate);
    onHop(current);
    const response = await sendRequest(agent, target, { method: 'GET', headers: requestHeaders(options.known), signal });
    const status = response.statusCode;
    const location = header(response.headers, 'location');
    if (REDIRECT_STATUSES.has(status) && location) {
      await response.body.dump();
      if (redirects >= limits.maxRedirects) {
        throw new SourceError(
          'redirects',
          `${redactUrl(url)} redirected more than ${limits.maxRedirects} times; point the asset at the final URL`,
        );
      }
      current = resolveLocation(url, current, location);
      continue;
    }
    if (status === 304 && options.known) {
      await response.body.dump();
      const etag = header(response.headers, 'etag') ?? options.known.etag;
      const lastModified = header(response.headers, 'last-modified') ?? options.known.lastModified;
      const { sha256, size } = options.known;
      return { status: 'unchanged', facts: withoutUndefined({ sha256, size, etag, lastModified }) };
    }
    if (status < 200 || status >= 300 || status === 204 || status === 206) {
      await response.body.dump().catch(() => undefined);
      throw new SourceError(
        'http-status',
        `${describeHop(url, current)} answered HTTP ${status}; check that the URL is right and reachable without credentials`,
      );
    }
    return await hashBody(url, response, limits.maxBytes, options.saveTo);
  }
}

async function hashBody(url: string, response: Awaited<ReturnType<typeof sendRequest>>, maxBytes: number, saveTo?: string): Promise<FetchResult> {
  const tooLarge = () =>
    new SourceError(
      'too-large',
      `${redactUrl(url)} is larger than ${formatBytes(maxBytes)}, the most attachform fetches; use a smaller file (Meta accepts at most 25 MB, 8 MB for images by URL)`,
    );
  const declared = Number(header(response.headers, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.body.destroy();
    throw tooLarge();
  }
  const hash = createHash('sha256');
  // A file handle, closed before this returns or throws: nothing is left writing behind the caller.
  const file = saveTo === undefined ? undefined : await open(saveTo, 'w');
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.body.destroy();
        throw tooLarge();
      }
      hash.update(chunk as Buffer);
      if (file) await file.write(chunk as Buffer);
    }
  } finally {
    await file?.close();
  }
  const facts: SourceFacts = withoutUndefined({
    sha256: hash.digest('hex'),
    size,
    contentType: header(response.headers, 'content-type'),
    etag: header(response.headers, 'etag'),
    lastModified: header(response.headers, 'last-modified'),
  });
  return { status: 'fetched', facts };
}

function requestHeaders(known: KnownSource | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': `attachform/${VERSION}`, 'accept-encoding': 'identity' };
  if (known?.etag) headers['if-none-match'] = known.etag;
  if (known?.lastModified) headers['if-modified-since'] = known.lastModified;
  return headers;
}

export function resolveLimits(limits: Partial<FetchLimits> | undefined): FetchLimits {
  const given = Object.entries(limits ?? {}).filter(([, value]) => value !== undefined);
  return { ...DEFAULT_FETCH_LIMITS, ...Object.fromEntries(given) };
}

/**
 * The checks made before each request, the first and every redirect hop: http(s) only, and unless
 * private addresses are allowed, no literal IP in a forbidden range (host names are checked by the
 * guarded lookup when the connection is made).
 */
export function checkHop(original: string, current: string, allowPrivate: boolean): URL {
  const target = parseHttpUrl(original, current);
  if (!allowPrivate) checkLiteralHost(original, current, target);
  return target;
}

function parseHttpUrl(original: string, current: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(current);
  } catch {
    throw new SourceError('scheme', `${describeHop(original, current)} is not a valid URL; write a full http(s) URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SourceError(
      'scheme',
      `${describeHop(original, current)} uses ${parsed.protocol.replace(/:$/, '')}:, not http(s); attachform only fetches http and https URLs`,
    );
  }
  return parsed;
}

function resolveLocation(original: string, current: string, location: string): string {
  try {
    return new URL(location, current).href;
  } catch {
    throw new SourceError('redirects', `${describeHop(original, current)} redirects to an invalid Location (${redactUrl(location)}); point the asset at the final URL`);
  }
}

function checkLiteralHost(original: string, current: string, target: URL): void {
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const category = isIP(host) ? classifyAddress(host) : null;
  if (category) throw privateAddressError(original, current, host, category, 'points to');
}

function privateAddressError(original: string, current: string, address: string, category: AddressCategory, verb: string): SourceError {
  return new SourceError(
    'private-address',
    `${describeHop(original, current)} ${verb} ${address}, ${describeCategory(category)}; attachform refuses to fetch it unless the asset or defaults say allow_private_urls: true`,
  );
}

function networkError(url: string, error: unknown): SourceError {
  const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err.code ?? err.cause?.code;
  const detail = [code, err.message].filter(Boolean).join(' ');
  return new SourceError('network', `could not fetch ${redactUrl(url)} (${detail}); check the host name and that the server is reachable`, {
    cause: error,
  });
}

/** `URL` for the first hop, `URL redirects to HOP, which` for later ones: each message names both. */
function describeHop(original: string, current: string): string {
  return original === current ? redactUrl(original) : `${redactUrl(original)} redirects to ${redactUrl(current)}, which`;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  return `${bytes} bytes`;
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
