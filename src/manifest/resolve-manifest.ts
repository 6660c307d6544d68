// The checks a schema cannot make (references between keys, URLs, durations, where outputs go),
// then the normalised Manifest: defaults filled in, pages resolved, outputs made absolute.
import { dirname, resolve } from 'node:path';
import { isInside } from './inside-folder.js';
import { closestMatch } from '../closest-match.js';
import type { Diagnostic } from './diagnostics.js';
import { DURATION_PATTERN, parseDuration } from './durations.js';
import { isPrivateHost } from './private-hosts.js';
import type { AssetDeclaration, Manifest, PageConfig, Position } from './types.js';
import type { Anchor, PathSegment, PositionFinder } from './yaml-positions.js';
import { formatPath } from './yaml-positions.js';

export const DEFAULTS = {
  graphUrl: 'https://graph.facebook.com',
  apiVersion: 'v21.0',
  state: 'sqlite://.attachform/state.sqlite',
  refreshBefore: '14d',
  ttl: '90d',
  typescript: 'generated/attachments.ts',
} as const;

const PLACEHOLDERS = ['stem', 'ext', 'dir'];

export interface ResolveInput {
  data: Record<string, unknown>;
  finder: PositionFinder;
  /** Absolute path of the manifest. */
  file: string;
  displayFile: string;
  sha256: string;
  /** Whether the schema already found problems: then no Manifest is built, only more diagnostics. */
  shapeIsValid: boolean;
}

type Obj = Record<string, unknown>;

export function resolveManifest(input: ResolveInput): { manifest?: Manifest; diagnostics: Diagnostic[] } {
  const { data, finder, displayFile } = input;
  const dir = dirname(input.file);
  const diagnostics: Diagnostic[] = [];
  const report = (path: PathSegment[], anchor: Anchor, summary: string, detail?: string) => {
    const at = finder.find(path, anchor);
    diagnostics.push({ severity: 'error', summary, detail, file: displayFile, line: at.line, column: at.column, path: formatPath(path) });
  };

  const pages = obj(data.pages);
  const pageKeys = Object.keys(pages).sort();
  const unknownPage = (path: PathSegment[], name: unknown) => {
    if (typeof name !== 'string' || name in pages || pageKeys.length === 0) return false;
    const close = closestMatch(name, pageKeys);
    report(path, 'value', `unknown page "${name}"`, `${close ? `did you mean "${close}"? ` : ''}the pages are ${pageKeys.join(', ')}`);
    return true;
  };

  const defaults = obj(data.defaults);
  unknownPage(['defaults', 'page'], defaults.page);
  const ttl = duration(defaults.ttl, DEFAULTS.ttl);
  const refreshBefore = duration(defaults.refresh_before, DEFAULTS.refreshBefore);
  if (ttl === 0) report(['defaults', 'ttl'], 'value', 'must be longer than 0');
  else if (refreshBefore !== undefined && ttl !== undefined && refreshBefore >= ttl) {
    report(['defaults', 'refresh_before'], 'value', `must be shorter than ttl (${String(defaults.ttl ?? DEFAULTS.ttl)})`, 'else every plan would refresh every asset');
  }

  const graph = obj(data.graph);
  if (typeof graph.url === 'string' && /^https?:\/\//i.test(graph.url) && !URL.canParse(graph.url)) {
    report(['graph', 'url'], 'value', `is not a valid URL: ${JSON.stringify(graph.url)}`);
  }

  const defaultPage = typeof defaults.page === 'string' && defaults.page in pages ? defaults.page : pageKeys.length === 1 ? pageKeys[0] : undefined;
  const allowPrivateDefault = defaults.allow_private_urls === true;
  const assets: AssetDeclaration[] = [];
  for (const [key, raw] of Object.entries(obj(data.assets)).sort(([a], [b]) => compare(a, b))) {
    const asset = obj(raw);
    const at = (k: string) => finder.find(['assets', key, k], 'value');
    let assetPages: string[] = [];
    if (asset.page !== undefined && asset.pages !== undefined) {
      report(['assets', key, 'pages'], 'key', 'has both "page" and "pages"', 'use one: page: NAME, or pages: [A, B]');
    } else if (asset.page !== undefined) {
      if (!unknownPage(['assets', key, 'page'], asset.page)) assetPages = [String(asset.page)];
    } else if (Array.isArray(asset.pages)) {
      let ok = true;
      asset.pages.forEach((name, i) => (ok = !unknownPage(['assets', key, 'pages', i], name) && ok));
      if (ok) assetPages = asset.pages.map(String);
    } else if (defaultPage) {
      assetPages = [defaultPage];
    } else if (pageKeys.length > 1) {
      report(['assets', key], 'key', `has no page, and the manifest has several (${pageKeys.join(', ')})`, 'add `page: NAME` to the asset, or `defaults.page`');
    }
    if (typeof asset.name === 'string') {
      for (const match of asset.name.matchAll(/\{([^}]*)\}/g)) {
        if (!PLACEHOLDERS.includes(match[1])) {
          report(['assets', key, 'name'], 'value', `unknown placeholder {${match[1]}}`, 'use {stem}, {ext} or {dir}');
        }
      }
    }
    const allowPrivateUrls = typeof asset.allow_private_urls === 'boolean' ? asset.allow_private_urls : allowPrivateDefault;
    if (typeof asset.url === 'string' && /^https?:\/\//i.test(asset.url)) checkUrl(['assets', key, 'url'], asset.url, allowPrivateUrls);
    const valuePositions: Record<string, Position> = {};
    for (const k of Object.keys(asset)) valuePositions[k] = at(k);
    assets.push({
      key,
      path: str(asset.path),
      url: str(asset.url),
      glob: str(asset.glob),
      name: str(asset.name),
      type: asset.type as AssetDeclaration['type'],
      contentType: str(asset.content_type),
      via: asset.via === 'file' || typeof asset.url !== 'string' ? 'file' : 'url',
      pages: assetPages,
      allowOutside: asset.allow_outside === true,
      allowPrivateUrls,
      position: finder.find(['assets', key], 'key'),
      valuePositions,
    });
  }

  const outputs = obj(data.outputs);
  const typescript = output('typescript', str(outputs.typescript) ?? DEFAULTS.typescript);
  const json = typeof outputs.json === 'string' ? output('json', outputs.json) : undefined;
  if (typescript && json && typescript === json) report(['outputs', 'json'], 'value', 'is the same file as outputs.typescript');

  if (!input.shapeIsValid || diagnostics.length > 0 || ttl === undefined || refreshBefore === undefined || !typescript) {
    return { diagnostics };
  }
  const pageConfigs: PageConfig[] = pageKeys.map((key) => {
    const page = obj(pages[key]);
    return {
      key,
      id: String(page.id),
      tokenEnv: String(page.token_env),
      position: finder.find(['pages', key], 'key'),
      tokenEnvPosition: finder.find(['pages', key, 'token_env'], 'value'),
    };
  });
  const manifest: Manifest = {
    file: input.file,
    displayFile,
    dir,
    sha256: input.sha256,
    version: 1,
    graph: { url: str(graph.url) ?? DEFAULTS.graphUrl, apiVersion: str(graph.api_version) ?? DEFAULTS.apiVersion },
    state: str(data.state) ?? DEFAULTS.state,
    pages: pageConfigs,
    defaults: { page: str(defaults.page), refreshBeforeMs: refreshBefore, ttlMs: ttl, allowPrivateUrls: allowPrivateDefault },
    assets,
    outputs: json ? { typescript, json } : { typescript },
  };
  return { manifest, diagnostics };

  function checkUrl(path: PathSegment[], text: string, allowPrivate: boolean): void {
    if (!URL.canParse(text)) return report(path, 'value', `is not a valid URL: ${JSON.stringify(text)}`);
    const url = new URL(text);
    if (url.username || url.password) {
      return report(path, 'value', 'must not carry a user name or password', 'secrets never go in the manifest');
    }
    if (!allowPrivate && isPrivateHost(url.hostname)) {
      report(path, 'value', `points at a loopback, private or link-local address (${url.hostname})`, 'set `allow_private_urls: true` on the asset (or in defaults) if that is intended');
    }
  }

  function duration(value: unknown, fallback: string): number | undefined {
    const text = value === undefined ? fallback : value;
    return typeof text === 'string' && DURATION_PATTERN.test(text) ? safeDuration(text) : undefined;
  }

  function output(name: 'typescript' | 'json', value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const absolute = resolve(dir, value);
    if (!isInside(dir, absolute)) {
      report(['outputs', name], 'value', `must stay inside the manifest's folder, not ${JSON.stringify(value)}`, 'give a path relative to the manifest, like generated/attachments.ts');
      return undefined;
    }
    return absolute;
  }
}

function safeDuration(text: string): number | undefined {
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}

function obj(value: unknown): Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
