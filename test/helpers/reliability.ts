// Shared pieces of the reliability tests (test/reliability): the CLI started in a project as a
// process the test can watch and kill, the emulator's knobs, generated media, the state's lock as
// another process sees it, and a media server that answers attachform and the emulator differently.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { PAGES, type Project } from './project.js';
import { startCli, type RunningCli } from './spawn-cli.js';
import { createSqliteBackend } from '../../src/state/sqlite-backend.js';
import { readLock } from '../../src/state/state-lock.js';
import type { LockInfo } from '../../src/state/types.js';

/** The environment project.cli() gives the CLI: both tokens, no state or Graph URL from outside. */
export function projectEnv(env: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { [PAGES.main.env]: PAGES.main.token, [PAGES.support.env]: PAGES.support.token, ATTACHFORM_STATE: undefined, ATTACHFORM_GRAPH_URL: undefined, ...env };
}

/** Starts the CLI in the project against its emulator, as project.cli() does, without waiting for it. */
export function startProjectCli(t: TestContext, project: Project, args: string[], env: Record<string, string | undefined> = {}): RunningCli {
  const running = startCli([...args, '--graph-url', project.emulator.url], { cwd: project.dir, env: projectEnv(env) });
  t.after(() => running.kill());
  return running;
}

/** POST /__emulator/config. */
export async function configureEmulator(project: Project, patch: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${project.emulator.url}/__emulator/config`, { method: 'POST', body: JSON.stringify(patch) });
  if (response.status !== 200) throw new Error(`emulator config refused: ${await response.text()}`);
}

/** `count` PDFs of distinct content in media/gen/NN.pdf; returns their paths relative to the project. */
export function writeDistinctFiles(project: Project, count: number): string[] {
  mkdirSync(join(project.dir, 'media', 'gen'), { recursive: true });
  const paths: string[] = [];
  for (let i = 1; i <= count; i++) {
    const rel = `media/gen/${String(i).padStart(2, '0')}.pdf`;
    writeFileSync(join(project.dir, rel), `%PDF-1.4\n% generated asset number ${i}\n${'x'.repeat(100 * i)}\n%%EOF\n`);
    paths.push(rel);
  }
  return paths;
}

/** The state's lock as any other process sees it (undefined when none is held). */
export async function readStateLock(statePath: string): Promise<LockInfo | undefined> {
  const backend = createSqliteBackend({ path: statePath, displayUrl: statePath, busyTimeoutMs: 30_000 });
  try {
    return (await readLock(backend, statePath))?.info;
  } finally {
    await backend.close();
  }
}

/** The `Apply complete: …` counts of an apply's stdout. */
export function applyCounts(stdout: string): { created: number; updated: number; refreshed: number; forgotten: number; failed: number } {
  const match = /^Apply complete: (\d+) created, (\d+) updated, (\d+) refreshed, (\d+) forgotten, (\d+) failed\.$/m.exec(stdout);
  if (!match) throw new Error(`no Apply complete line in:\n${stdout}`);
  const [created, updated, refreshed, forgotten, failed] = match.slice(1).map(Number);
  return { created, updated, refreshed, forgotten, failed };
}

export type MediaBehaviour = 'serve' | 'not-found' | 'hold';

export interface MediaServer {
  url: string;
  /** Requests received: path, whether attachform made it (its User-Agent), and the status given. */
  hits: Array<{ path: string; fromAttachform: boolean; status: number }>;
  /** Serves `body` at `path`: always to attachform; to anyone else (the emulator) as `others` says. */
  route(path: string, body: string | Buffer, contentType: string, others: MediaBehaviour): void;
  /** Answers every held request (with its body). */
  release(): void;
  /** Resolves once a request is being held. */
  held(): Promise<void>;
}

/** A media server on 127.0.0.1 that tells attachform's own fetches (User-Agent attachform/…) from the emulator's. */
export async function startMediaServer(t: TestContext): Promise<MediaServer> {
  const routes = new Map<string, { body: string | Buffer; contentType: string; others: MediaBehaviour }>();
  const hits: MediaServer['hits'] = [];
  let holding: Array<() => void> = [];
  let released = false;
  let onHeld: (() => void) | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const fromAttachform = String(req.headers['user-agent'] ?? '').startsWith('attachform/');
    const route = routes.get(path);
    const serve = () => {
      hits.push({ path, fromAttachform, status: 200 });
      res.writeHead(200, { 'content-type': route!.contentType, 'content-length': Buffer.byteLength(route!.body) });
      res.end(route!.body);
    };
    if (!route || (!fromAttachform && route.others === 'not-found')) {
      hits.push({ path, fromAttachform, status: 404 });
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    } else if (fromAttachform || route.others === 'serve' || released) {
      serve();
    } else {
      holding.push(serve);
      onHeld?.();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        released = true;
        for (const answer of holding) answer();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    route: (path, body, contentType, others) => routes.set(path, { body, contentType, others }),
    release() {
      released = true;
      const waiting = holding;
      holding = [];
      for (const answer of waiting) answer();
    },
    held: () =>
      new Promise<void>((resolve) => {
        if (holding.length > 0) return resolve();
        onHeld = () => {
          onHeld = undefined;
          resolve();
        };
      }),
  };
}
