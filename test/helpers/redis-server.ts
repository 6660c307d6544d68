// A Redis server of a test file's own: redis-server on 127.0.0.1 and a free port, no persistence,
// its working folder a temp folder, a password required (so URLs carry credentials, as a team's
// would). Each test gets a database number of its own.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath, spawnUntilReady, startOnFreePort, stopProcess } from './server-process.js';

const DATABASES = 512;

export interface RedisServer {
  port: number;
  /** The password of the `default` user (it holds characters a URL must escape). */
  password: string;
  /** The redis:// URL of a database number no test used yet. */
  nextDatabase(): string;
  stop(): Promise<void>;
}

/** Why no Redis server can be started here, or undefined when one can. */
export function redisUnavailable(): string | undefined {
  return findOnPath('redis-server') ? undefined : 'Redis is not installed (no redis-server on PATH; apt-get install redis-server)';
}

export async function startRedis(): Promise<RedisServer> {
  const unavailable = redisUnavailable();
  if (unavailable) throw new Error(unavailable);
  const dir = mkdtempSync(join(tmpdir(), 'attachform-redis-'));
  const password = `pw@${randomBytes(6).toString('hex')}/:`;
  try {
    const { child, port } = await startOnFreePort(async (port) => {
      const server = await spawnUntilReady(
        ['redis-server', '--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--databases', String(DATABASES), '--daemonize', 'no', '--logfile', '', '--requirepass', password],
        /Ready to accept connections/,
      );
      return { child: server.child, port };
    }, /already in use|Could not create server TCP/i);
    let database = 0;
    return {
      port,
      password,
      nextDatabase() {
        if (database >= DATABASES) throw new Error(`this test server has only ${DATABASES} databases`);
        return `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}/${database++}`;
      },
      async stop() {
        await stopProcess(child, 'SIGTERM');
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
