// Reads a small request body whole, up to `maxBytes`. Past that it stops keeping bytes but drains the
// rest, so the answer can still be written on the same connection; undefined means "too large".
import type { IncomingMessage } from 'node:http';

export function readLimited(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('the client went away before the body arrived'));
    });
  });
}
