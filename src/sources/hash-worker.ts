// Body of a hash-pool worker: receives one path at a time, answers with its SHA-256 and size, or
// with the io error message hashFile would have thrown. Reads block this thread, not the main one.
import { parentPort } from 'node:worker_threads';
import { hashFileSync, READ_CHUNK_BYTES } from './hash-file.js';
import type { WorkerReply } from './hash-pool.js';

const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
const port = parentPort;
if (!port) throw new Error('hash-worker.js runs only as a worker thread (see hash-pool.ts)');

port.on('message', (path: string) => {
  let reply: WorkerReply;
  try {
    reply = { ok: true, ...hashFileSync(path, buffer) };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
