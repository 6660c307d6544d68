// The redis:// backend: keyv's @keyv/redis adapter for the connection (its node-redis client, from
// the URL: host, port, database number, user and password). A state is one hash,
// `attachform:state` (fields `meta`, `record:PAGEID:NAME`, values in keyv's JSON), so a plan reads
// it whole with one HGETALL; the lock is its own key, `attachform:lock`, taken with SET NX PX and
// renewed or released by compare-and-set Lua scripts. A write runs its reads, then one Lua script
// that applies its changes only if nothing it read has changed meanwhile (else it runs again):
// atomic, as Redis runs a script alone.
import KeyvRedis from '@keyv/redis';
import { UserError } from '../user-error.js';
import type { BackendTransaction, RawEntry, StateBackend } from './backend.js';
import { keyvCodec, NAMESPACE } from './keyv-codec.js';
import { createSerialQueue } from './serial-queue.js';
import { LOCK_KEY } from './state-keys.js';
import { scrubPassword } from './state-url.js';

const HASH = `${NAMESPACE}:state`;
const LOCK = `${NAMESPACE}:${LOCK_KEY}`;
const CONNECT_TIMEOUT_MS = 10_000;
const CONNECT_RETRIES = 4;
/** A write re-runs when another writer got in between; this many times means something is wrong. */
const MAX_WRITE_ATTEMPTS = 1_000;

/** ARGV: n reads as (field, present 1|0, value), then m writes as (field, set 1|delete 0, value). */
const COMMIT_SCRIPT = `
local i = 2
for _ = 1, tonumber(ARGV[1]) do
  local actual = redis.call('HGET', KEYS[1], ARGV[i])
  if ARGV[i + 1] == '1' then
    if actual ~= ARGV[i + 2] then return 0 end
  elseif actual then return 0 end
  i = i + 3
end
local writes = tonumber(ARGV[i])
i = i + 1
for _ = 1, writes do
  if ARGV[i + 1] == '1' then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2]) else redis.call('HDEL', KEYS[1], ARGV[i]) end
  i = i + 3
end
return 1`;
/** KEYS[1] the lock; ARGV expected, next, expiry in ms ('' for none). */
const REPLACE_LOCK_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '' then redis.call('SET', KEYS[1], ARGV[2]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1`;
const DELETE_LOCK_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const REPLACE_FIELD_SCRIPT = `if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) return 1 end return 0`;
const DELETE_FIELD_SCRIPT = `if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0`;

/** The part of node-redis's client this backend uses. */
interface RedisCommands {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface RedisBackendOptions {
  url: string;
  displayUrl: string;
}

export function createRedisBackend({ url, displayUrl }: RedisBackendOptions): StateBackend {
  const queue = createSerialQueue(); // one command at a time, so close() never cuts one short
  const writes = createSerialQueue(); // this process's writes take turns; other processes' are caught by the script
  let session: Promise<{ adapter: KeyvRedis<string>; client: RedisCommands }> | undefined;
  let lastError: unknown;

  function connect() {
    if (session) return session;
    const opening = (async () => {
      const adapter = new KeyvRedis<string>(
        {
          url,
          socket: {
            connectTimeout: CONNECT_TIMEOUT_MS,
            reconnectStrategy: (retries: number, cause: Error) => (retries >= CONNECT_RETRIES ? cause : Math.min(100 * 2 ** retries, 1_000)),
          },
        },
        { throwOnConnectError: true },
      );
      adapter.on('error', (error: unknown) => (lastError = error));
      try {
        return { adapter, client: (await adapter.getClient()) as unknown as RedisCommands };
      } catch (error) {
        throw lastError ?? error; // the adapter's own message drops the cause
      }
    })();
    session = opening;
    opening.catch(() => {
      if (session === opening) session = undefined;
    });
    return opening;
  }

  function run<T>(fn: (client: RedisCommands) => Promise<T>): Promise<T> {
    return queue(async () => fn((await connect()).client)).catch((error: unknown) => {
      throw explainRedisError(error, url, displayUrl);
    });
  }
  const command = (args: string[]) => run((client) => client.sendCommand(args));
  const script = async (source: string, key: string, args: string[]) => Number(await command(['EVAL', source, '1', key, ...args])) === 1;
  const text = (reply: unknown) => (reply === null || reply === undefined ? undefined : String(reply));

  async function commit(reads: Map<string, string | undefined>, writes: Map<string, string | undefined>): Promise<boolean> {
    const args = [String(reads.size)];
    for (const [field, value] of reads) args.push(field, value === undefined ? '0' : '1', value ?? '');
    args.push(String(writes.size));
    for (const [field, value] of writes) args.push(field, value === undefined ? '0' : '1', value ?? '');
    return script(COMMIT_SCRIPT, HASH, args);
  }

  return {
    async readEntries() {
      const reply = await command(['HGETALL', HASH]);
      const entries: RawEntry[] = [];
      if (Array.isArray(reply)) {
        for (let i = 0; i + 1 < reply.length; i += 2) entries.push({ key: String(reply[i]), value: String(reply[i + 1]) });
      } else if (reply && typeof reply === 'object') {
        for (const [key, value] of reply instanceof Map ? reply : Object.entries(reply)) entries.push({ key: String(key), value: String(value) });
      }
      return entries;
    },

    transact: <T>(fn: (tx: BackendTransaction) => Promise<T>): Promise<T> =>
      writes(async () => {
        for (let attempt = 1; ; attempt++) {
          const reads = new Map<string, string | undefined>();
          const changes = new Map<string, string | undefined>(); // undefined: delete
          const result = await fn({
            get: async (key) => {
              if (changes.has(key)) return changes.get(key);
              if (!reads.has(key)) reads.set(key, text(await command(['HGET', HASH, key])));
              return reads.get(key);
            },
            set: async (key, value) => void changes.set(key, value),
            delete: async (key) => void changes.set(key, undefined),
          });
          if (await commit(reads, changes)) return result;
          if (attempt >= MAX_WRITE_ATTEMPTS) throw new Error(`state write to ${displayUrl} kept conflicting (${attempt} attempts)`);
        }
      }),

    get: async (key) => text(await command(key === LOCK_KEY ? ['GET', LOCK] : ['HGET', HASH, key])),

    async insertIfAbsent(key, value, expireAfterMs) {
      if (key !== LOCK_KEY) return Number(await command(['HSETNX', HASH, key, value])) === 1;
      const expiry = expireAfterMs === undefined ? [] : ['PX', String(Math.max(1, Math.ceil(expireAfterMs)))];
      return (await command(['SET', LOCK, value, 'NX', ...expiry])) !== null;
    },

    replaceIf: (key, expected, value, expireAfterMs) =>
      key === LOCK_KEY
        ? script(REPLACE_LOCK_SCRIPT, LOCK, [expected, value, expireAfterMs === undefined ? '' : String(Math.max(1, Math.ceil(expireAfterMs)))])
        : script(REPLACE_FIELD_SCRIPT, HASH, [key, expected, value]),

    deleteIf: (key, expected) => (key === LOCK_KEY ? script(DELETE_LOCK_SCRIPT, LOCK, [expected]) : script(DELETE_FIELD_SCRIPT, HASH, [key, expected])),

    ...keyvCodec,

    close: () =>
      queue(async () => {
        const current = session;
        session = undefined;
        const open = await current?.catch(() => undefined);
        await open?.adapter.disconnect().catch(() => undefined);
      }),
  };
}

const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** Turns what Redis or the network said into a UserError naming the state (never its password); bugs pass through. */
export function explainRedisError(error: unknown, url: string, displayUrl: string): unknown {
  if (error instanceof UserError || !(error instanceof Error)) return error;
  const raw = (error as Error & { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : '';
  const detail = scrubPassword(error.message, url);
  const make = (message: string, hint: string) => new UserError(message, { hint, cause: error });
  if (/^(WRONGPASS|NOAUTH|NOPERM)\b/.test(detail)) {
    return make(`State ${displayUrl} refused the login: ${detail}`, 'Check the user and password in the state URL (redis://USER:PASSWORD@HOST:6379/DB). Nothing was written.');
  }
  if (/^WRONGTYPE\b|DB index is out of range/.test(detail)) {
    return make(
      `State ${displayUrl} cannot be used: ${detail}`,
      `Another program uses the keys ${HASH} or ${LOCK} in that database, or the database number is wrong; give attachform a database of its own. Nothing was written.`,
    );
  }
  if (NETWORK.has(code) || /connect|socket|closed|timeout/i.test(error.name + detail)) {
    return make(
      `Cannot reach state ${displayUrl}: ${detail}.`,
      'Check the host, port and database number of the state URL (--state, ATTACHFORM_STATE or `state:`), and that the server is up and reachable from here. Nothing was written.',
    );
  }
  return error;
}
