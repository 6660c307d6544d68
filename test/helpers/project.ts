// A throwaway bot project for end-to-end tests: the example media copied into a temp folder, an
// assets.yaml written by the test, and an emulator on 127.0.0.1 holding the project's pages.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { repoRoot } from './paths.js';
import { makeTempDir } from './temp-dir.js';
import { runCli, type CliRun } from './exec.js';

export const PAGES = {
  main: { id: '1111111111', token: 'EAAtestMAINtoken0123456789abcdef', env: 'MAIN_PAGE_TOKEN' },
  support: { id: '2222222222', token: 'EAAtestSUPPORTtokenfedcba9876543', env: 'SUPPORT_PAGE_TOKEN' },
} as const;

export const PAGES_YAML = `pages:
  main:
    id: "${PAGES.main.id}"
    token_env: ${PAGES.main.env}
  support:
    id: "${PAGES.support.id}"
    token_env: ${PAGES.support.env}
`;

/**
 * The manifest most project tests use: both pages, `main` by default, the TypeScript and JSON
 * outputs, and `assets` — the lines under `assets:`, indented two spaces.
 */
export function projectManifest(assets: string): string {
  return `version: 1
${PAGES_YAML}defaults:
  page: main
outputs:
  typescript: generated/attachments.ts
  json: generated/attachments.json
assets:
${assets}`;
}

export interface Project {
  dir: string;
  emulator: RunningEmulator;
  /** Runs the CLI in the project against the emulator, with both tokens set. */
  cli(args: string[], env?: Record<string, string | undefined>): Promise<CliRun>;
  writeManifest(yaml: string): void;
  read(relPath: string): string;
  sha256(relPath: string): string;
  /** Graph calls the emulator received (its request log). */
  requests(): Promise<EmulatorRequest[]>;
  attachments(): Promise<EmulatorAttachment[]>;
}

export interface EmulatorRequest {
  method: string;
  path: string;
  pageId?: string;
  form?: string;
  type?: string;
  url?: string;
  contentType?: string;
  size?: number;
  sha256?: string;
  status: number;
  attachmentId?: string;
  [key: string]: unknown;
}

export interface EmulatorAttachment {
  id: string;
  pageId: string;
  type: string;
  sha256: string;
  size: number;
  contentType: string;
  reusable: boolean;
  [key: string]: unknown;
}

export async function makeProject(t: TestContext, manifestYaml: string): Promise<Project> {
  const dir = makeTempDir(t);
  cpSync(join(repoRoot, 'examples', 'media'), join(dir, 'media'), { recursive: true });
  writeFileSync(join(dir, 'assets.yaml'), manifestYaml);
  const emulator = await startEmulator({ port: 0, pages: Object.values(PAGES).map((p) => ({ id: p.id, token: p.token })) });
  t.after(() => emulator.close());
  const getJson = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${emulator.url}${path}`);
    const body = (await response.json()) as Record<string, unknown>;
    return (Array.isArray(body) ? body : (Object.values(body).find(Array.isArray) ?? [])) as T;
  };
  return {
    dir,
    emulator,
    cli: (args, env = {}) =>
      runCli([...args, '--graph-url', emulator.url], {
        cwd: dir,
        env: { [PAGES.main.env]: PAGES.main.token, [PAGES.support.env]: PAGES.support.token, ATTACHFORM_STATE: undefined, ATTACHFORM_GRAPH_URL: undefined, ...env },
      }),
    writeManifest: (yaml) => writeFileSync(join(dir, 'assets.yaml'), yaml),
    read: (relPath) => readFileSync(join(dir, relPath), 'utf8'),
    sha256: (relPath) => createHash('sha256').update(readFileSync(join(dir, relPath))).digest('hex'),
    // The log nests a file part's facts under `file`; tests read them flat.
    requests: async () =>
      (await getJson<Array<EmulatorRequest & { file?: { contentType: string; size: number; sha256: string } }>>('/__emulator/requests')).map((r) => ({ ...r, ...r.file })),
    attachments: () => getJson<EmulatorAttachment[]>('/__emulator/attachments'),
  };
}

/** The generated JSON output: page → name → {id, type, expiresAt}. */
export function readIds(project: Project, relPath = 'generated/attachments.json'): Record<string, Record<string, { id: string; type: string; expiresAt: string }>> {
  return JSON.parse(project.read(relPath));
}

export function uploadsOf(requests: EmulatorRequest[]): EmulatorRequest[] {
  return requests.filter((r) => r.path.endsWith('/message_attachments') && r.status === 200);
}
