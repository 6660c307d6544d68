// The emulator's knobs, shared by startEmulator's options and POST /__emulator/config, with one
// validator so both refuse the same bad values.
import type { RateLimit } from './rate-limiter.js';

export interface EmulatorConfig {
  latencyMs: number;
  transientErrorRate: number;
  rateLimit?: RateLimit;
  usageHeaders: boolean;
  /** Time limit for fetching `payload.url` (Graph: 10 s). */
  fetchTimeoutMs: number;
  /** Time limit for fetching a video's `payload.url` (Graph: 75 s). */
  videoFetchTimeoutMs: number;
}

export const DEFAULT_CONFIG: EmulatorConfig = {
  latencyMs: 0,
  transientErrorRate: 0,
  rateLimit: undefined,
  usageHeaders: false,
  fetchTimeoutMs: 10_000,
  videoFetchTimeoutMs: 75_000,
};

const MB = 1024 * 1024;
/** Graph's limits: 25 MB for any upload, 8 MB for an image fetched from a URL. */
export const MAX_FILE_BYTES = 25 * MB;
export const MAX_URL_IMAGE_BYTES = 8 * MB;

/** The knobs a patch may carry; `seed` is handled by the caller (it re-seeds the generators). */
export interface ConfigPatch {
  latencyMs?: unknown;
  transientErrorRate?: unknown;
  rateLimit?: unknown;
  usageHeaders?: unknown;
  fetchTimeoutMs?: unknown;
  videoFetchTimeoutMs?: unknown;
  seed?: unknown;
}

const KNOWN = new Set(['latencyMs', 'transientErrorRate', 'rateLimit', 'usageHeaders', 'fetchTimeoutMs', 'videoFetchTimeoutMs', 'seed']);

/** The config with `patch` applied, or the list of problems (and nothing applied). */
export function applyConfigPatch(current: EmulatorConfig, patch: Record<string, unknown>): { config: EmulatorConfig } | { problems: string[] } {
  const problems: string[] = [];
  const next: EmulatorConfig = { ...current };
  for (const key of Object.keys(patch)) if (!KNOWN.has(key)) problems.push(`unknown setting "${key}"`);
  const whole = (key: 'latencyMs' | 'fetchTimeoutMs' | 'videoFetchTimeoutMs', min: number) => {
    const value = patch[key];
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) problems.push(`${key} must be a whole number ≥ ${min}`);
    else next[key] = value;
  };
  whole('latencyMs', 0);
  whole('fetchTimeoutMs', 1);
  whole('videoFetchTimeoutMs', 1);
  const rate = patch.transientErrorRate;
  if (rate !== undefined) {
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) problems.push('transientErrorRate must be a number from 0 to 1');
    else next.transientErrorRate = rate;
  }
  if (patch.usageHeaders !== undefined) {
    if (typeof patch.usageHeaders !== 'boolean') problems.push('usageHeaders must be true or false');
    else next.usageHeaders = patch.usageHeaders;
  }
  if (patch.seed !== undefined && (typeof patch.seed !== 'number' || !Number.isInteger(patch.seed))) problems.push('seed must be a whole number');
  if ('rateLimit' in patch) {
    const limit = patch.rateLimit;
    if (limit === null || limit === undefined || limit === false) next.rateLimit = undefined;
    else if (isRateLimit(limit)) next.rateLimit = { calls: limit.calls, windowMs: limit.windowMs, blockMs: limit.blockMs };
    else problems.push('rateLimit must be {"calls", "windowMs", "blockMs"} (whole numbers ≥ 1) or null');
  }
  return problems.length > 0 ? { problems } : { config: next };
}

function isRateLimit(value: unknown): value is RateLimit {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return ['calls', 'windowMs', 'blockMs'].every((k) => typeof v[k] === 'number' && Number.isInteger(v[k]) && (v[k] as number) >= 1);
}
