// Small builders for planner tables: an asset, the facts of its bytes, a state record, the input.
// Content is named by a word; its sha256 is computed from the word, never written out.
import { createHash } from 'node:crypto';
import type { Asset } from '../../src/manifest/types.js';
import type { PlanInput } from '../../src/plan/build-plan.js';
import { sourceKey } from '../../src/sources/source-key.js';
import type { SourceFacts, SourceKey } from '../../src/sources/types.js';
import type { AssetRecord } from '../../src/state/types.js';

export const SECOND = 1000;
export const HOUR = 3600 * SECOND;
export const DAY = 24 * HOUR;
export const NOW = new Date('2026-03-01T12:00:00.000Z');
export const REFRESH_BEFORE = 14 * DAY;
export const TTL = 90 * DAY;
export const MAIN_ID = '1234567890';
export const SUPPORT_ID = '2222222222';

export function sha(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

export function makeFacts(content: string): SourceFacts {
  return { sha256: sha(content), size: Buffer.byteLength(content) };
}

/** A path asset `media/<name>.png` on page main, unless overridden. */
export function makeAsset(name: string, overrides: Partial<Asset> = {}): Asset {
  const page = overrides.page ?? 'main';
  return {
    name,
    page,
    pageId: page === 'support' ? SUPPORT_ID : MAIN_ID,
    type: 'image',
    contentType: 'image/png',
    source: { kind: 'file', path: `/repo/media/${name}.png`, relPath: `media/${name}.png` },
    via: 'file',
    position: { line: 1, column: 3 },
    declaredAs: name,
    ...overrides,
  };
}

export function makeUrlAsset(name: string, overrides: Partial<Asset> = {}): Asset {
  return makeAsset(name, {
    source: { kind: 'url', url: `https://cdn.example.com/${name}.png`, allowPrivate: false },
    via: 'url',
    ...overrides,
  });
}

/** A record of `content` uploaded so that its id expires `expiresInMs` after NOW (default 60 days). */
export function makeRecord(name: string, content: string, overrides: Partial<AssetRecord> & { expiresInMs?: number } = {}): AssetRecord {
  const { expiresInMs = 60 * DAY, ...fields } = overrides;
  const expiresAt = NOW.getTime() + expiresInMs;
  const page = fields.page ?? 'main';
  return {
    name,
    page,
    pageId: page === 'support' ? SUPPORT_ID : MAIN_ID,
    type: 'image',
    contentType: 'image/png',
    source: { path: `media/${name}.png` },
    via: 'file',
    sha256: sha(content),
    size: Buffer.byteLength(content),
    attachmentId: `id-${page}-${name}`,
    uploadedAt: new Date(expiresAt - TTL).toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
    ...fields,
  };
}

/** Assets with the word naming their content, and the state's records. */
export function makeInput(assets: Array<[Asset, string]>, records: AssetRecord[] = [], overrides: Partial<PlanInput> = {}): PlanInput {
  const facts = new Map<SourceKey, SourceFacts>();
  for (const [asset, content] of assets) facts.set(sourceKey(asset.source), makeFacts(content));
  return {
    assets: assets.map(([asset]) => asset),
    facts,
    state: { lineage: 'lineage-1', serial: 7, records },
    now: NOW,
    refreshBeforeMs: REFRESH_BEFORE,
    manifestPath: 'assets.yaml',
    manifestSha256: sha('manifest'),
    version: '0.1.0',
    ...overrides,
  };
}
