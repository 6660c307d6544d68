// The manifest stage: everything about assets.yaml up to the list of assets to keep. It owns reading
// the YAML (positions kept for every node), validating it against schema/assets.schema.json (the one
// source of truth for its shape), the checks a schema cannot make, and expanding declarations into
// one Asset per (page, name). Bad input never throws: it comes back as diagnostics, all at once.
// Nothing here touches the network, the state or a token (only the names of the env vars).
import type { Stats } from 'node:fs';
import type { Diagnostic } from './diagnostics.js';
import { hasErrors } from './diagnostics.js';
import { expandAssets } from './expand-assets.js';
import { readManifest, type ReadOptions } from './read-manifest.js';
import type { Asset, Manifest } from './types.js';

export { readManifest, type ReadOptions } from './read-manifest.js';
export { expandAssets } from './expand-assets.js';
export { inferType, inferContentType, contentTypeFits } from './media-types.js';
export { parseDuration } from './durations.js';
export { sanitizeName, applyNameTemplate } from './name-template.js';
export { MAX_FILE_BYTES } from './check-local-file.js';
export { isPrivateHost } from './private-hosts.js';
export { DEFAULTS } from './resolve-manifest.js';

export interface LoadedManifest {
  manifest?: Manifest;
  assets: Asset[];
  diagnostics: Diagnostic[];
  /** Stats of the assets' local files, taken by the checks (following symlinks): readSources' `fileStats`. */
  fileStats: Map<string, Stats>;
}

/** Read and expand, for the CLI: the diagnostics of both; assets only when there were no errors. */
export async function loadManifest(file: string, options: ReadOptions = {}): Promise<LoadedManifest> {
  const read = await readManifest(file, options);
  if (!read.manifest) return { assets: [], diagnostics: read.diagnostics, fileStats: new Map() };
  const expanded = await expandAssets(read.manifest);
  const diagnostics = [...read.diagnostics, ...expanded.diagnostics];
  if (hasErrors(diagnostics)) return { manifest: read.manifest, assets: [], diagnostics, fileStats: new Map() };
  return { manifest: read.manifest, assets: expanded.assets, diagnostics, fileStats: expanded.fileStats };
}
