import type { Source } from '../manifest/types.js';
import type { SourceKey } from './types.js';

/** One key per distinct source, so assets sharing a file or URL read it once: `file:<abs path>` | `url:<url>`. */
export function sourceKey(source: Source): SourceKey {
  return source.kind === 'file' ? `file:${source.path}` : `url:${source.url}`;
}
