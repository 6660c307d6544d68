// Starting a database server for a test file: a free port on 127.0.0.1, the server as a child
// process whose log is watched for its "ready" line (a real event, no polling), and a stop that
// waits for it to exit. Servers that cannot listen on port 0 get a port found free just before,
// and are started again on another one if it was taken meanwhile.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** A reason to skip the tests that need a server which can't be had here; never under CI=true, where they must run (and fail). */
export function skipUnlessAvailable(unavailable: string | undefined): string | false {
  if (unavailable === undefined) return false;
  if (/^(1|true|yes)$/i.test(process.env.CI ?? '')) return false;
  return `${unavailable}; skipped here, but with CI=true these tests fail instead`;
}

export async function findFreePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** The full path of `name` on PATH, if any. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** uid and gid of the unprivileged `nobody` user, for servers that refuse to run as root. */
export function nobodyIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return { uid: Number(uid ?? 65534), gid: Number(gid ?? 65534) };
}

/** argv prefix that runs a command as `nobody` when we are root (setpriv execs, so the pid is the server's). */
export function asUnprivileged(): string[] {
  if (process.getuid?.() !== 0) return [];
  const { uid, gid } = nobodyIds();
  return ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--'];
}

export function runOrThrow(argv: string[], what: string): string {
  const result = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${what} failed (${result.status ?? result.signal}): ${result.error?.message ?? ''}${result.stderr}${result.stdout}`);
  return result.stdout;
}

export interface ReadyServer {
  child: ChildProcess;
  log(): string;
}

/** Spawns argv and resolves once its output matches `ready`; rejects with the log (as `.log`) when it exits first. */
export function spawnUntilReady(argv: string[], ready: RegExp): Promise<ReadyServer> {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  return new Promise((resolve, reject) => {
    let settled = false;
    const onData = (chunk: string) => {
      log += chunk;
      if (!settled && ready.test(log)) {
        settled = true;
        resolve({ child, log: () => log });
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.stderr!.setEncoding('utf8').on('data', onData);
    child.on('error', (error) => {
      if (!settled) (settled = true), reject(error);
    });
    child.on('exit', (code, signal) => {
      if (!settled) (settled = true), reject(Object.assign(new Error(`${argv.join(' ')} exited (${code ?? signal}) before it was ready:\n${log}`), { log }));
    });
  });
}

/** Sends `signal` and waits for the exit. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/** Starts a server on a free port, trying again on another port when the one found was taken meanwhile. */
export async function startOnFreePort<T>(start: (port: number) => Promise<T>, portTaken: RegExp): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await findFreePort());
    } catch (error) {
      const log = (error as { log?: string }).log ?? '';
      if (attempt >= 5 || !portTaken.test(log)) throw error;
    }
  }
}
