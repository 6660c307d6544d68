// Builders for the assets readSources takes, and a hash counter standing in for hashFile.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Asset, Source } from '../../src/manifest/types.js';
import { hashFile, type FileHash } from '../../src/sources/hash-file.js';

export function fileSource(path: string): Source {
  return { kind: 'file', path, relPath: path.split('/').pop() ?? path };
}

export function makeAsset(name: string, source: Source, line: number, overrides: Partial<Asset> = {}): Asset {
  return {
    name,
    page: 'main',
    pageId: '1234567890',
    type: 'image',
    contentType: 'image/png',
    source,
    via: source.kind === 'file' ? 'file' : 'url',
    position: { line, column: 5 },
    declaredAs: name,
    ...overrides,
  };
}

/** One asset per path, on lines 1, 2, 3… */
export function fileAssets(paths: string[]): Asset[] {
  return paths.map((path, index) => makeAsset(`asset_${index}`, fileSource(path), index + 1));
}

/** The real hashFile, recording every path it is asked to read. */
export function countingHashFile(): { hashFile: (path: string) => Promise<FileHash>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    hashFile: (path) => {
      calls.push(path);
      return hashFile(path);
    },
  };
}

export function sha256OfFile(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
