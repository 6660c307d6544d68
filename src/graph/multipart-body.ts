// A multipart/form-data body built by hand as an async iterable with a known Content-Length: the
// fields, then the file streamed from disk through SHA-256, so one read of the file both hashes and
// uploads it and the file is never held in memory. The hash and size are of the bytes actually sent.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface MultipartFile {
  fieldName: string;
  path: string;
  /** The size the Content-Length was computed from (a stat just before). */
  size: number;
  contentType: string;
  fileName: string;
}

export interface MultipartUpload {
  contentType: string;
  contentLength: number;
  body: AsyncIterable<Uint8Array>;
  /** SHA-256 and size of the file bytes sent; valid once the body has been consumed whole. */
  sent(): { sha256: string; size: number };
}

export class FileChangedError extends Error {}

export function buildMultipartUpload(fields: Array<[string, string]>, file: MultipartFile): MultipartUpload {
  const boundary = `----attachform${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`).join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.fieldName)}"; filename="${quote(file.fileName)}"\r\n` +
      `Content-Type: ${file.contentType}\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  const hash = createHash('sha256');
  let sentBytes = 0;
  let digest: string | undefined;

  async function* body(): AsyncGenerator<Uint8Array> {
    yield head;
    if (file.size > 0) {
      for await (const chunk of createReadStream(file.path, { start: 0, end: file.size - 1 }) as AsyncIterable<Buffer>) {
        sentBytes += chunk.length;
        hash.update(chunk);
        yield chunk;
      }
    }
    if (sentBytes !== file.size) {
      throw new FileChangedError(`${file.path} changed while it was being uploaded (${file.size} bytes expected, ${sentBytes} read)`);
    }
    digest = hash.digest('hex');
    yield tail;
  }

  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: head.length + file.size + tail.length,
    body: body(),
    sent() {
      if (digest === undefined) throw new Error('the multipart body was not sent whole');
      return { sha256: digest, size: sentBytes };
    },
  };
}

/** A form-data parameter value as the HTML standard escapes it: `"` and line breaks percent-encoded. */
function quote(value: string): string {
  return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
