// Shared pieces of the benchmark: temp data, the CLI and the emulator as real processes, timing.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Asset } from '../src/manifest/types.js';
import { readSources } from '../src/sources/read-sources.js';

export const BIN = fileURLToPath(new URL('../bundle/bin.js', import.meta.url));
export const PAGE = { id: '1234567890', token: 'EAAbenchTOKEN0123456789abcdef', env: 'BENCH_PAGE_TOKEN' };

export interface Measured {
  runsMs: number[];
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
export const spread = (values: number[]): string => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;

/** One file asset per path, as the manifest stage would make them. */
export function fileAssets(paths: string[]): Asset[] {
  return paths.map((path, i) => ({
    name: `a${i}`,
    page: 'main',
    pageId: '1',
    type: 'file',
    contentType: 'application/octet-stream',
    source: { kind: 'file', path, relPath: path },
    via: 'file',
    position: { line: i + 1, column: 1 },
    declaredAs: `a${i}`,
  }));
}

/** The sources stage alone, in this process, as plan runs it (hash pool, stat cache if given). */
export async function readAllSources(paths: string[], cacheFile?: string): Promise<void> {
  const { facts, diagnostics } = await readSources(fileAssets(paths), {
    known: new Map(),
    manifestFile: 'assets.yaml',
    statCache: cacheFile ? { file: cacheFile } : undefined,
  });
  if (diagnostics.length > 0 || facts.size !== paths.length) throw new Error(`unexpected: ${JSON.stringify(diagnostics[0])}`);
}

/**
 * Writes `count` files of `size` random bytes (distinct contents) as `dir/fN.ext`, then flushes them
 * to disk: the kernel writing back a fresh GiB in the middle of a measurement slows whatever runs
 * then (attachform's SQLite commits most, the curl loop not at all).
 */
export function writeFiles(dir: string, count: number, size: number, ext = 'bin'): string[] {
  mkdirSync(dir, { recursive: true });
  const paths = Array.from({ length: count }, (_, i) => {
    const path = join(dir, `f${String(i).padStart(5, '0')}.${ext}`);
    writeFileSync(path, randomBytes(size));
    return path;
  });
  spawnSync('sync', { stdio: 'ignore' });
  return paths;
}

export function writeManifest(dir: string, glob: string, type: string): void {
  writeFileSync(
    join(dir, 'assets.yaml'),
    `version: 1
pages:
  main:
    id: "${PAGE.id}"
    token_env: ${PAGE.env}
assets:
  media:
    glob: ${glob}
    type: ${type}
outputs:
  typescript: generated/attachments.ts
`,
  );
}

/**
 * The environment every measured node process runs with. NODE_EXTRA_CA_CERTS is left out: where it
 * is set (this VM sets it for its registry proxy), Node 20 parses that certificate file while the
 * process starts, before a line of attachform runs (nodejs/node#40524; lazy from Node 24), ~50 ms a
 * start here; no case makes a TLS connection. The `startup` case measures that cost in the same run.
 */
export function benchEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _, ATTACHFORM_STATE: __, ...env } = process.env;
  return { ...env, NO_COLOR: '1', [PAGE.env]: PAGE.token, ...extra };
}

/** Runs the CLI to completion; throws on an unexpected exit code. Returns wall time and output. */
export function cli(cwd: string, args: string[], graphUrl: string, okCodes = [0]): { ms: number; result: SpawnSyncReturns<string> } {
  const start = performance.now();
  const result = spawnSync(process.execPath, [BIN, ...args, '--graph-url', graphUrl], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: benchEnv(),
  });
  const ms = performance.now() - start;
  if (!okCodes.includes(result.status ?? -1)) throw new Error(`attachform ${args.join(' ')} exited ${result.status}:\n${result.stderr}\n${result.stdout.slice(-2000)}`);
  return { ms, result };
}

/** Peak RSS (MB) of one CLI run, read by GNU time. */
export function cliPeakRss(cwd: string, args: string[], graphUrl: string): { ms: number; rssMb: number } {
  const start = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', 'RSS_KB=%M', process.execPath, BIN, ...args, '--graph-url', graphUrl], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: benchEnv(),
  });
  const ms = performance.now() - start;
  const kb = /RSS_KB=(\d+)/.exec(result.stderr)?.[1];
  if (result.status !== 0 || !kb) throw new Error(`peak RSS run failed (${result.status}):\n${result.stderr}`);
  return { ms, rssMb: Number(kb) / 1024 };
}

export interface EmulatorProcess {
  url: string;
  get<T>(path: string): Promise<T>;
  post(path: string, body?: unknown): Promise<void>;
  stop(): Promise<void>;
}

/** The emulator in a process of its own, as users run it (`attachform emulator`). */
export async function startEmulatorProcess(): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--page', `${PAGE.id}=${PAGE.token}`], { stdio: ['ignore', 'pipe', 'inherit'], env: benchEnv() });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited ${code}`)));
  });
  const url = /listening on (\S+)/.exec(firstLine)?.[1];
  if (!url) throw new Error(`unexpected emulator banner: ${firstLine}`);
  return {
    url,
    async get<T>(path: string) {
      return (await (await adminFetch(`${url}${path}`)).json()) as T;
    },
    async post(path, body = {}) {
      await adminFetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** An admin call, tried again once: a kept-alive socket the server has just closed fails the first try. */
async function adminFetch(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

export interface LoggedUpload {
  at: string;
  status: number;
  path: string;
}

/** Successful uploads in the emulator's request log. */
export async function uploadsLogged(emulator: EmulatorProcess): Promise<LoggedUpload[]> {
  const body = await emulator.get<{ requests?: LoggedUpload[] } | LoggedUpload[]>('/__emulator/requests');
  const all = Array.isArray(body) ? body : (body.requests ?? []);
  return all.filter((r) => r.status === 200 && r.path.includes('/message_attachments'));
}

/** The most request start times that fall in any one-second window. */
export function maxInAnySecond(timesMs: number[]): number {
  const sorted = [...timesMs].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] >= 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
