// Types of the sources stage: what attachform learns about an asset's bytes.

/** Key identifying one source across assets: `file:<abs path>` or `url:<url>`. */
export type SourceKey = string;

export interface SourceFacts {
  sha256: string;
  size: number;
  /** Content type the server answered with (URL sources only). */
  contentType?: string;
  /** Validators from the last fetch, stored so the next fetch can be conditional. */
  etag?: string;
  lastModified?: string;
}

/** What the previous state knows of a source, for conditional fetches and the stat cache. */
export interface KnownSource {
  sha256: string;
  size: number;
  etag?: string;
  lastModified?: string;
}
