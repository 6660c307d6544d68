// A few worker threads hashing local files, so a cold plan of many files keeps every core busy.
// Each worker hashes one file at a time and asks for the next (slow files don't hold up a queue
// behind them). Failures to read a file come back as the io SourceError hashFile throws; a worker
// that dies (a bug) fails every pending job. `close()` terminates the workers: always call it.
import { Worker } from 'node:worker_threads';
import type { FileHash } from './hash-file.js';
import { SourceError } from './source-error.js';

/** What a worker answers for one path. */
export type WorkerReply = ({ ok: true } & FileHash) | { ok: false; message: string };

export interface HashPool {
  hash(path: string): Promise<FileHash>;
  close(): Promise<void>;
}

interface Job {
  path: string;
  resolve: (hash: FileHash) => void;
  reject: (error: Error) => void;
}

const WORKER_URL = new URL('./hash-worker.js', import.meta.url);

export function startHashPool(size: number): HashPool {
  const queue: Job[] = [];
  const idle: Worker[] = [];
  const running = new Map<Worker, Job>();
  let failure: Error | undefined;
  let closing = false;

  const fail = (error: Error) => {
    failure ??= error;
    for (const job of [...running.values(), ...queue.splice(0)]) job.reject(failure);
    running.clear();
  };
  const dispatch = (worker: Worker) => {
    const job = queue.shift();
    if (!job) return void idle.push(worker);
    running.set(worker, job);
    worker.postMessage(job.path);
  };
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    // No inherited node flags: some (`--input-type`, from `node -e`) make a worker fail to start.
    const worker = new Worker(WORKER_URL, { execArgv: [] });
    worker.on('message', (reply: WorkerReply) => {
      const job = running.get(worker);
      running.delete(worker);
      if (job) settle(job, reply);
      dispatch(worker);
    });
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => {
      if (!closing) fail(new Error(`a hash worker exited unexpectedly (code ${code})`));
    });
    idle.push(worker);
    return worker;
  });

  return {
    hash(path) {
      if (failure) return Promise.reject(failure);
      return new Promise<FileHash>((resolve, reject) => {
        queue.push({ path, resolve, reject });
        const worker = idle.pop();
        if (worker) dispatch(worker);
      });
    },
    async close() {
      closing = true;
      fail(new Error('the hash pool was closed'));
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

function settle(job: Job, reply: WorkerReply): void {
  if (reply.ok) job.resolve({ sha256: reply.sha256, size: reply.size });
  else job.reject(new SourceError('io', reply.message));
}
