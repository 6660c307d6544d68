// A multipart/form-data body built as a stream: text fields, then one file read from disk in
// chunks and passed through SHA-256 on its way into the request, so one read both uploads and
// hashes it and the file is never whole in memory. Its length is known up front (Content-Length).
import { createHash, randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';

export interface MultipartFile {
  field: string;
  path: string;
  fileName: string;
  contentType: string;
}

export interface MultipartBody {
  contentType: string;
  /** Opens the file and fixes the length; call once per request. */
  open(): Promise<{ length: number; stream: AsyncIterable<Uint8Array>; digest(): { sha256: string; size: number } }>;
}

const CHUNK = 256 * 1024;

export function multipartBody(fields: Record<string, string>, file: MultipartFile): MultipartBody {
  const boundary = `----attachform${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${quote(file.fileName)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    async open() {
      const handle = await open(file.path, 'r');
      const size = (await handle.stat()).size;
      const hash = createHash('sha256');
      let sent = 0;
      async function* stream(): AsyncGenerator<Uint8Array> {
        try {
          yield head;
          while (sent < size) {
            const buffer = Buffer.allocUnsafe(Math.min(CHUNK, size - sent));
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, sent);
            if (bytesRead === 0) throw new Error(`${file.path} shrank while it was being uploaded`);
            const chunk = buffer.subarray(0, bytesRead);
            hash.update(chunk);
            sent += bytesRead;
            yield chunk;
          }
          yield tail;
        } finally {
          await handle.close();
        }
      }
      return {
        length: head.length + size + tail.length,
        stream: stream(),
        digest: () => ({ sha256: hash.digest('hex'), size: sent }),
      };
    },
  };
}

function quote(name: string): string {
  return name.replace(/["\r\n\\]/g, '_');
}
