// multipart/form-data intake, streamed with busboy: each file part is hashed (SHA-256) and counted as
// it arrives and then dropped, so a 25 MB upload never sits in memory; a part over the size limit
// stops being hashed and is only drained (busboy truncates it), which the checks turn into 2018109.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';

export interface FilePart {
  /** The form field's name (`filedata` for a well-formed upload). */
  fieldName: string;
  filename: string;
  contentType: string;
  /** Bytes received, at most the limit + what busboy had in hand when it cut the part. */
  size: number;
  sha256: string;
  /** The part went over the size limit and was cut. */
  truncated: boolean;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: FilePart[];
}

export function readMultipart(req: IncomingMessage, maxFileBytes: number): Promise<MultipartBody> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        // busboy marks a part truncated once it reaches the limit, so allow one byte more than the maximum.
        limits: { fileSize: maxFileBytes + 1, fields: 100, fieldSize: 1024 * 1024, parts: 200 },
      });
    } catch (error) {
      reject(error);
      return;
    }
    const fields: Record<string, string> = {};
    const files: FilePart[] = [];
    const pending: Promise<void>[] = [];

    parser.on('field', (name, value) => {
      if (!(name in fields)) fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      const hash = createHash('sha256');
      let size = 0;
      pending.push(
        new Promise<void>((done) => {
          stream.on('data', (chunk: Buffer) => {
            size += chunk.length;
            hash.update(chunk);
          });
          stream.on('end', () => {
            files.push({
              fieldName: name,
              filename: info.filename ?? '',
              contentType: info.mimeType || 'application/octet-stream',
              size,
              sha256: hash.digest('hex'),
              truncated: (stream as { truncated?: boolean }).truncated === true,
            });
            done();
          });
        }),
      );
    });
    parser.on('error', (error) => {
      req.unpipe(parser);
      req.resume();
      reject(error);
    });
    parser.on('close', () => {
      Promise.all(pending).then(() => resolve({ fields, files }), reject);
    });
    req.on('close', () => {
      // The client went away mid-body: busboy would wait for the rest forever.
      if (!req.complete) reject(new Error('the client went away before the body arrived'));
    });
    req.pipe(parser);
  });
}
