// Worker threads hashing local files, so a cold plan of many files keeps every core busy. The
// calling thread can hash too (`inProcess`): it starts on the first file at once, while the workers
// are still starting (~50 ms each), and would otherwise sit idle waiting for them — so on n cores
// the pool needs only n − 1 workers. Hashers take files from one queue as they go (slow files don't
// hold up a queue behind them); each worker holds one more path than it is hashing, so it never
// waits for this thread (busy hashing a chunk) to hand it the next. Failures to read a file come
// back as the io SourceError hashFile throws; a worker that dies (a bug) fails every pending job.
// `close()` terminates the workers: always call it.
import { Worker } from 'node:worker_threads';
import type { FileHash } from './hash-file.js';
import { SourceError } from './source-error.js';

/** What a worker answers for one path. */
export type WorkerReply = ({ ok: true } & FileHash) | { ok: false; message: string };

export interface HashPool {
  hash(path: string): Promise<FileHash>;
  close(): Promise<void>;
}

export interface HashPoolOptions {
  /** Worker threads to start: at least one, or none when hashing `inProcess`. */
  workers: number;
  /** Also hash on the calling thread, one file at a time, with this. */
  inProcess?: (path: string) => Promise<FileHash>;
}

interface Job {
  path: string;
  resolve: (hash: FileHash) => void;
  reject: (error: Error) => void;
}

interface WorkerLane {
  worker: Worker;
  online: boolean;
  /** Posted to the worker, answered in this order. */
  jobs: Job[];
}

const WORKER_URL = new URL('./hash-worker.js', import.meta.url);
/** Paths posted to a worker at once: the one it hashes and the next. */
const JOBS_PER_WORKER = 2;

export function startHashPool(options: HashPoolOptions): HashPool {
  const queue: Job[] = [];
  /** The file the calling thread is on. */
  let inProcessJob: Job | undefined;
  let failure: Error | undefined;
  let closing = false;

  const fail = (error: Error) => {
    failure ??= error;
    const pending = [...lanes.flatMap((lane) => lane.jobs.splice(0)), ...queue.splice(0), ...(inProcessJob ? [inProcessJob] : [])];
    for (const job of pending) job.reject(failure);
  };
  const pump = () => {
    for (const lane of lanes) {
      while (lane.online && lane.jobs.length < JOBS_PER_WORKER && queue.length > 0) {
        const job = queue.shift()!;
        lane.jobs.push(job);
        lane.worker.postMessage(job.path);
      }
    }
    if (options.inProcess && !inProcessJob && queue.length > 0) hashInProcess(options.inProcess, queue.shift()!);
  };
  const hashInProcess = (inProcess: (path: string) => Promise<FileHash>, job: Job) => {
    inProcessJob = job;
    inProcess(job.path)
      .then(job.resolve, job.reject)
      .finally(() => {
        inProcessJob = undefined;
        pump();
      });
  };
  const lanes: WorkerLane[] = Array.from({ length: Math.max(options.inProcess ? 0 : 1, options.workers) }, () => {
    // No inherited node flags: some (`--input-type`, from `node -e`) make a worker fail to start.
    const lane: WorkerLane = { worker: new Worker(WORKER_URL, { execArgv: [] }), online: false, jobs: [] };
    lane.worker.once('online', () => {
      lane.online = true;
      pump();
    });
    lane.worker.on('message', (reply: WorkerReply) => {
      const job = lane.jobs.shift();
      if (job) settle(job, reply);
      pump();
    });
    lane.worker.on('error', (error) => fail(error));
    lane.worker.on('exit', (code) => {
      if (!closing) fail(new Error(`a hash worker exited unexpectedly (code ${code})`));
    });
    return lane;
  });

  return {
    hash(path) {
      if (failure) return Promise.reject(failure);
      return new Promise<FileHash>((resolve, reject) => {
        queue.push({ path, resolve, reject });
        pump();
      });
    },
    async close() {
      closing = true;
      fail(new Error('the hash pool was closed'));
      await Promise.all(lanes.map((lane) => lane.worker.terminate()));
    },
  };
}

function settle(job: Job, reply: WorkerReply): void {
  if (reply.ok) job.resolve({ sha256: reply.sha256, size: reply.size });
  else job.reject(new SourceError('io', reply.message));
}
