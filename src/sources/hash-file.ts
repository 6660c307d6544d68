// SHA-256 and size of a local file in one streamed pass: memory stays flat whatever the file's size.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { SourceError } from './source-error.js';

const CHUNK_BYTES = 1024 * 1024;

export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch (error) {
    throw new SourceError('io', describeReadError(path, error), { cause: error });
  }
  return { sha256: hash.digest('hex'), size };
}

function describeReadError(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `cannot read ${path}: no such file; check the path, relative to the manifest's folder`;
  if (code === 'EISDIR') return `cannot read ${path}: it is a directory; point the asset at a file, or use glob:`;
  if (code === 'EACCES' || code === 'EPERM') return `cannot read ${path}: permission denied; make the file readable`;
  const detail = error instanceof Error ? error.message : String(error);
  return `cannot read ${path}: ${detail}`;
}
