// `via: file`: attachform downloads the URL itself (through the same guarded, bounded fetch that
// hashes it) into a private temp folder, uploads the file, then removes it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Asset } from '../manifest/types.js';

export async function downloadToTemp(asset: Asset): Promise<{ path: string; cleanup(): Promise<void> }> {
  if (asset.source.kind !== 'url') throw new Error(`downloadToTemp: ${asset.name} is not a URL asset`);
  const dir = await mkdtemp(join(tmpdir(), 'attachform-download-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, 'body');
  try {
    const { fetchUrl } = await import('../sources/fetch-url.js');
    await fetchUrl(asset.source.url, { allowPrivate: asset.source.allowPrivate, saveTo: path });
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { path, cleanup };
}
