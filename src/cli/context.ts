// What every manifest-reading command starts with: the manifest (diagnostics → UserError), the
// settings resolved flag > env > manifest, the page tokens (registered as secrets), the state store,
// and with --emulator an embedded emulator holding the manifest's pages, with a state of its own.
import type { Stats } from 'node:fs';
import { resolve } from 'node:path';
import { loadManifest } from '../manifest/load-manifest.js';
import { formatDiagnostic, type Diagnostic } from '../manifest/diagnostics.js';
import type { Asset, Manifest } from '../manifest/types.js';
import { openState } from '../state/open-state.js';
import type { StateStore } from '../state/types.js';
import type { RunningEmulator } from '../emulator/index.js';
import type { HashPool } from '../sources/hash-pool.js';
import { UserError } from '../user-error.js';
import type { ParsedArgs } from './arguments.js';
import type { CliDeps } from './deps.js';
import { registerSecret } from './secrets.js';

/** The emulator's ids must never mix with real ones: --emulator always uses this state. */
export const EMULATOR_STATE = 'sqlite://.attachform/emulator-state.sqlite';

export interface CommandContext {
  manifest: Manifest;
  assets: Asset[];
  /** Stats of the assets' local files, taken while the manifest was checked. */
  fileStats: ReadonlyMap<string, Stats>;
  /** The manifest's path as the user gave it. */
  manifestPath: string;
  graphUrl: string;
  state: StateStore;
  /** Page id → token; empty unless asked for. */
  tokens: Map<string, string>;
  emulator?: RunningEmulator;
  /** The hash pool started before the manifest was read, for preparePlan (which closes it). */
  hashPool?: HashPool;
  close(): Promise<void>;
}

export interface ContextNeeds {
  /** Read every page's token from its env var (an unset one is an error naming the variable). */
  tokens: boolean;
  /** With --emulator, start the embedded emulator (codegen only needs its state). */
  graph: boolean;
  /** A hash pool started before the manifest is read (startHashPoolEarly); closed if opening fails, and by close(). */
  hashPool?: HashPool;
}

export async function openContext(args: ParsedArgs, deps: CliDeps, needs: ContextNeeds): Promise<CommandContext> {
  try {
    return await openContextOf(args, deps, needs);
  } catch (error) {
    await needs.hashPool?.close();
    throw error;
  }
}

async function openContextOf(args: ParsedArgs, deps: CliDeps, needs: ContextNeeds): Promise<CommandContext> {
  const { manifest, assets, fileStats } = await readManifestOrFail(args.common.file, deps);
  const emulatorMode = args.common.emulator;
  if (emulatorMode && args.common.state) {
    throw new UserError('--emulator keeps a state of its own, so it cannot be combined with --state', { hint: `drop --state; the emulator's state is ${EMULATOR_STATE}` });
  }
  const tokens = needs.tokens ? readTokens(manifest, args.common.file, deps.env, emulatorMode) : new Map<string, string>();
  const stateUrl = emulatorMode ? EMULATOR_STATE : (args.common.state ?? nonEmpty(deps.env.ATTACHFORM_STATE) ?? manifest.state);
  let graphUrl = args.common.graphUrl ?? nonEmpty(deps.env.ATTACHFORM_GRAPH_URL) ?? manifest.graph.url;
  let emulator: RunningEmulator | undefined;
  if (emulatorMode && needs.graph) {
    const { startEmulator } = await import('../emulator/index.js'); // only --emulator pays for loading it
    emulator = await startEmulator({ port: 0, now: deps.now, pages: manifest.pages.map((p) => ({ id: p.id, token: tokens.get(p.id) ?? placeholderToken(p.key) })) });
    graphUrl = emulator.url;
  }
  let state: StateStore;
  try {
    state = await openState(stateUrl, { baseDir: manifest.dir });
  } catch (error) {
    await emulator?.close();
    throw error;
  }
  return {
    manifest,
    assets,
    fileStats,
    manifestPath: args.common.file,
    graphUrl,
    state,
    tokens,
    emulator,
    hashPool: needs.hashPool,
    async close() {
      await needs.hashPool?.close(); // already closed once preparePlan ran; not if it never did
      await state.close();
      await emulator?.close();
    },
  };
}

export async function readManifestOrFail(file: string, deps: CliDeps): Promise<{ manifest: Manifest; assets: Asset[]; fileStats: Map<string, Stats> }> {
  const { manifest, assets, diagnostics, fileStats } = await loadManifest(resolve(deps.cwd, file), { displayPath: file });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const warning of diagnostics.filter((d) => d.severity === 'warning')) deps.stderr.write(`${formatDiagnostic(warning)}\n`);
  if (errors.length > 0 || !manifest) {
    throw new UserError(`${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was read from the network or written`, {
      diagnostics: errors,
      hint: `fix them and run \`attachform validate -f ${file}\``,
    });
  }
  return { manifest, assets, fileStats };
}

function readTokens(manifest: Manifest, file: string, env: NodeJS.ProcessEnv, emulatorMode: boolean): Map<string, string> {
  const tokens = new Map<string, string>();
  const missing: Diagnostic[] = [];
  for (const page of manifest.pages) {
    const token = nonEmpty(env[page.tokenEnv]);
    if (token) {
      registerSecret(token);
      tokens.set(page.id, token);
    } else if (emulatorMode) {
      tokens.set(page.id, placeholderToken(page.key));
    } else {
      missing.push({
        severity: 'error',
        file,
        line: page.tokenEnvPosition.line,
        column: page.tokenEnvPosition.column,
        path: `pages.${page.key}.token_env`,
        summary: `the environment variable ${page.tokenEnv} is not set; it must hold the page access token of page ${page.key} (id ${page.id})`,
      });
    }
  }
  if (missing.length > 0) {
    throw new UserError(`${missing.length} page token${missing.length === 1 ? ' is' : 's are'} missing`, {
      diagnostics: missing,
      hint: 'export each variable named above (in CI, from a secret), or rehearse with --emulator',
    });
  }
  return tokens;
}

function placeholderToken(pageKey: string): string {
  return `emulator-token-${pageKey}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
