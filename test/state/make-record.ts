// A valid AssetRecord with overrides, for state tests.
import type { AssetRecord } from '../../src/state/types.js';

export function makeRecord(overrides: Partial<AssetRecord> = {}): AssetRecord {
  return {
    name: 'welcome',
    page: 'main',
    pageId: '1234567890',
    type: 'image',
    contentType: 'image/png',
    source: { path: 'media/welcome.png' },
    via: 'url',
    sha256: 'a'.repeat(64),
    size: 1024,
    attachmentId: '1857777774821032',
    uploadedAt: '2026-01-01T10:00:00.000Z',
    expiresAt: '2026-04-01T10:00:00.000Z',
    ...overrides,
  };
}
