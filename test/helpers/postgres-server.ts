// A PostgreSQL server of a test file's own: initdb into a temp folder, `postgres` on 127.0.0.1 and
// a free port (socket folder inside the temp folder too), no fsync. Over TCP — as attachform
// connects — the superuser `postgres` needs its password (scram-sha-256); the test tools use the
// socket, trusted. As root it runs as `nobody`, since PostgreSQL refuses to run as root. Each test
// gets a fresh database.
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { asUnprivileged, findOnPath, nobodyIds, runOrThrow, spawnUntilReady, startOnFreePort, stopProcess } from './server-process.js';

export interface PostgresServer {
  port: number;
  /** The password of the `postgres` user (it holds characters a URL must escape). */
  password: string;
  /** A new, empty database; returns its postgres:// URL (user postgres, password in the URL). */
  createDatabase(): Promise<string>;
  /** Runs SQL through psql on a database of this server; returns psql's unaligned output. */
  psql(database: string, sql: string): string;
  stop(): Promise<void>;
}

/** The folder holding initdb, postgres, createdb and psql, or undefined. */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const bin = join(root, version, 'bin');
      if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres'))) return bin;
    }
  }
  const initdb = findOnPath('initdb');
  return initdb ? dirname(realpathSync(initdb)) : undefined;
}

/** Why no PostgreSQL server can be started here, or undefined when one can. */
export function postgresUnavailable(): string | undefined {
  const bin = findPostgresBin();
  if (!bin) return 'PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH; apt-get install postgresql)';
  for (const tool of ['createdb', 'psql']) if (!existsSync(join(bin, tool))) return `PostgreSQL's ${tool} is missing from ${bin}`;
  if (process.getuid?.() === 0 && !findOnPath('setpriv')) return 'running as root and setpriv (util-linux) is missing, so PostgreSQL cannot run unprivileged';
  return undefined;
}

export async function startPostgres(): Promise<PostgresServer> {
  const unavailable = postgresUnavailable();
  if (unavailable) throw new Error(unavailable);
  const bin = findPostgresBin()!;
  const dir = mkdtempSync(join(tmpdir(), 'attachform-pg-'));
  try {
    const data = join(dir, 'data');
    const sockets = join(dir, 'sockets');
    mkdirSync(sockets);
    if (process.getuid?.() === 0) {
      const { uid, gid } = nobodyIds();
      chownSync(dir, uid, gid);
      chownSync(sockets, uid, gid);
    }
    const password = `pw@${randomBytes(6).toString('hex')}/:`;
    const pwfile = join(dir, 'pwfile');
    writeFileSync(pwfile, `${password}\n`);
    const as = asUnprivileged();
    if (as.length > 0) chownSync(pwfile, nobodyIds().uid, nobodyIds().gid);
    runOrThrow(
      [...as, join(bin, 'initdb'), '-D', data, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'],
      'initdb',
    );
    rmSync(pwfile);
    const { child, port } = await startOnFreePort(async (port) => {
      const server = await spawnUntilReady(
        [...as, join(bin, 'postgres'), '-D', data, '-k', sockets, '-h', '127.0.0.1', '-p', String(port), '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
        /ready to accept connections/,
      );
      return { child: server.child, port };
    }, /could not bind|already in use/i);
    let databases = 0;
    const psql = (database: string, sql: string) =>
      runOrThrow([join(bin, 'psql'), '-h', sockets, '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-At', '-c', sql], 'psql');
    return {
      port,
      password,
      async createDatabase() {
        const name = `state_${++databases}`;
        runOrThrow([join(bin, 'createdb'), '-h', sockets, '-p', String(port), '-U', 'postgres', name], 'createdb');
        return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${name}`;
      },
      psql,
      async stop() {
        await stopProcess(child, 'SIGINT'); // fast shutdown: ends client sessions
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
