// Types of the manifest stage: the declared manifest (assets.yaml, validated and normalised) and
// the expanded assets, one per (page, asset name). Paths here are absolute; nothing here holds a
// token — only the *name* of the env var that does.

export type AssetType = 'image' | 'audio' | 'video' | 'file';
export const ASSET_TYPES: readonly AssetType[] = ['image', 'audio', 'video', 'file'];

/** How a URL asset reaches Meta: `url` lets Meta fetch it; `file` makes attachform download and upload it. */
export type Via = 'url' | 'file';

/** 1-based line and column of a node in the YAML. */
export interface Position {
  line: number;
  column: number;
}

export interface PageConfig {
  /** The manifest's key for the page (`main`). */
  key: string;
  /** The Page id, a string of digits. */
  id: string;
  /** Name of the env var holding the page access token. Never the token itself. */
  tokenEnv: string;
  position: Position;
  /** Where `token_env`'s value is, for a diagnostic about the variable. */
  tokenEnvPosition: Position;
}

export interface ManifestDefaults {
  page?: string;
  refreshBeforeMs: number;
  ttlMs: number;
  allowPrivateUrls: boolean;
}

/** One entry of `assets:` as written (before glob expansion). */
export interface AssetDeclaration {
  key: string;
  path?: string;
  url?: string;
  glob?: string;
  /** Name template for globs; `{stem}`, `{ext}`, `{dir}`. */
  name?: string;
  type?: AssetType;
  contentType?: string;
  via: Via;
  /** Page keys this asset goes to (resolved from `page`, `pages` or the default). */
  pages: string[];
  allowOutside: boolean;
  allowPrivateUrls: boolean;
  position: Position;
  /** Where each key's value sits in the YAML (`path`, `glob`, `type`, `content_type`, …), for later diagnostics. */
  valuePositions?: Record<string, Position>;
}

export interface Manifest {
  /** Absolute path of the manifest file. */
  file: string;
  /** The manifest's path as the user gave it, for diagnostics (default: `file`). */
  displayFile?: string;
  /** Absolute path of the folder holding it; relative paths resolve against it. */
  dir: string;
  /** SHA-256 (hex) of the manifest's bytes. */
  sha256: string;
  version: 1;
  graph: { url: string; apiVersion: string };
  /** State URL as written (default `sqlite://.attachform/state.sqlite`). */
  state: string;
  /** Sorted by key. */
  pages: PageConfig[];
  defaults: ManifestDefaults;
  assets: AssetDeclaration[];
  /** Absolute paths. */
  outputs: { typescript: string; json?: string };
}

export interface FileSource {
  kind: 'file';
  /** Absolute, after resolving against the manifest's folder. */
  path: string;
  /** Relative to the manifest's folder, `/`-separated: what is shown and stored. */
  relPath: string;
}

export interface UrlSource {
  kind: 'url';
  url: string;
  allowPrivate: boolean;
}

export type Source = FileSource | UrlSource;

/** One attachment to keep: an asset on one page, after glob expansion. */
export interface Asset {
  name: string;
  /** Page key. */
  page: string;
  pageId: string;
  type: AssetType;
  contentType: string;
  source: Source;
  via: Via;
  /** Where it was declared, for diagnostics. */
  position: Position;
  /** The declaration's key (differs from `name` for glob assets). */
  declaredAs: string;
}
