// The sqlite:// backend: keyv with @keyv/sqlite on one file. All statements go through one queue
// because the adapter has a single connection, and a transaction (BEGIN IMMEDIATE … COMMIT) must
// not interleave with other statements. Other processes are kept out by SQLite's own file locks,
// waited for up to the busy timeout. The file is opened lazily: reading a state that was never
// written creates nothing, and loads no driver (@keyv/sqlite and the sqlite3 addon load on connect).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Keyv from 'keyv';
import { UserError } from '../user-error.js';
import type { BackendTransaction, RawEntry, StateBackend } from './backend.js';
import { keyvCodec, NAMESPACE } from './keyv-codec.js';
import { createSerialQueue } from './serial-queue.js';

const TABLE = 'keyv';

export interface SqliteBackendOptions {
  path: string;
  displayUrl: string;
  busyTimeoutMs: number;
}

type Query = (sql: string, ...params: unknown[]) => Promise<Array<Record<string, unknown>>>;

export function createSqliteBackend(options: SqliteBackendOptions): StateBackend {
  const { path, displayUrl, busyTimeoutMs } = options;
  let connection: Promise<{ keyv: Keyv; query: Query }> | undefined;
  const queue = createSerialQueue();

  const prefixed = (key: string) => `${NAMESPACE}:${key}`;

  /** Runs fn alone on the connection, after everything queued before it. */
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return queue(fn).catch((error: unknown) => {
      throw explainSqliteError(error, displayUrl, busyTimeoutMs);
    });
  }

  function connect(): Promise<{ keyv: Keyv; query: Query }> {
    if (connection) return connection;
    const opening = (async () => {
      mkdirSync(dirname(path), { recursive: true });
      const { default: KeyvSqlite } = await import('@keyv/sqlite');
      const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: TABLE, busyTimeout: busyTimeoutMs });
      const store = new Keyv({ store: adapter, namespace: NAMESPACE });
      store.on('error', () => undefined); // every failure also rejects the query that met it
      const query = adapter.query as Query;
      await query(`SELECT 1 FROM ${TABLE} LIMIT 1`); // surfaces "not a database" now, not mid-write
      // Write-ahead log: a commit is an append, not a rewrite plus fsyncs, so apply can record an
      // upload per request at the rate limit. synchronous=NORMAL keeps every commit across a crash
      // or kill of the process (only an OS crash or power loss can lose the last ones).
      await query('PRAGMA journal_mode = WAL');
      await query('PRAGMA synchronous = NORMAL');
      return { keyv: store, query };
    })();
    connection = opening;
    opening.catch(() => {
      if (connection === opening) connection = undefined; // a failed open may be retried
    });
    return opening;
  }

  /** The query function, or undefined when the file does not exist and nothing needs creating. */
  async function readerQuery(): Promise<Query | undefined> {
    if (!connection && !existsSync(path)) return undefined;
    return (await connect()).query;
  }

  async function selectOne(query: Query, key: string): Promise<string | undefined> {
    const rows = await query(`SELECT value FROM ${TABLE} WHERE key = ?`, prefixed(key));
    return rows.length === 0 ? undefined : String(rows[0].value);
  }

  return {
    readEntries: () =>
      exclusive(async () => {
        const query = await readerQuery();
        if (!query) return [];
        // Keys of this namespace sort between "attachform:" and "attachform;" (';' follows ':').
        const rows = await query(`SELECT key, value FROM ${TABLE} WHERE key >= ? AND key < ?`, `${NAMESPACE}:`, `${NAMESPACE};`);
        return rows.map((row): RawEntry => ({ key: String(row.key).slice(NAMESPACE.length + 1), value: String(row.value) }));
      }),

    transact: <T>(fn: (tx: BackendTransaction) => Promise<T>) =>
      exclusive(async () => {
        const { query } = await connect();
        await query('BEGIN IMMEDIATE');
        try {
          const tx: BackendTransaction = {
            get: (key) => selectOne(query, key),
            set: async (key, value) => {
              await query(
                `INSERT INTO ${TABLE} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
                prefixed(key),
                value,
              );
            },
            delete: async (key) => {
              await query(`DELETE FROM ${TABLE} WHERE key = ?`, prefixed(key));
            },
          };
          const result = await fn(tx);
          await query('COMMIT');
          return result;
        } catch (error) {
          await query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),

    get: (key) =>
      exclusive(async () => {
        const query = await readerQuery();
        return query ? selectOne(query, key) : undefined;
      }),

    insertIfAbsent: (key, value) =>
      exclusive(async () => {
        const { query } = await connect();
        const rows = await query(
          `INSERT INTO ${TABLE} (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING RETURNING key`,
          prefixed(key),
          value,
        );
        return rows.length === 1;
      }),

    replaceIf: (key, expected, value) =>
      exclusive(async () => {
        const { query } = await connect();
        const rows = await query(`UPDATE ${TABLE} SET value = ? WHERE key = ? AND value = ? RETURNING key`, value, prefixed(key), expected);
        return rows.length === 1;
      }),

    deleteIf: (key, expected) =>
      exclusive(async () => {
        const { query } = await connect();
        const rows = await query(`DELETE FROM ${TABLE} WHERE key = ? AND value = ? RETURNING key`, prefixed(key), expected);
        return rows.length === 1;
      }),

    ...keyvCodec,

    close: () =>
      exclusive(async () => {
        if (!connection) return;
        const { keyv: store } = await connection;
        connection = undefined;
        await store.disconnect();
      }),
  };
}

const CORRUPT = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);
const BUSY = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED']);
const ACCESS = new Set(['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_AUTH']);
const FS_ACCESS = new Set(['EACCES', 'EPERM', 'ENOTDIR', 'EROFS', 'EISDIR', 'EEXIST', 'ENOSPC', 'ELOOP', 'ENAMETOOLONG']);

/** Turns what SQLite or the file system said into a UserError naming the state; bugs pass through. */
export function explainSqliteError(error: unknown, displayUrl: string, busyTimeoutMs: number): unknown {
  if (error instanceof UserError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  if (typeof code !== 'string') return error;
  if (CORRUPT.has(code)) {
    return new UserError(`State ${displayUrl} is not a valid SQLite database (${detail}).`, {
      hint: 'Restore the file from a backup, or move it aside to start an empty state (every asset is then uploaded again). Nothing was written.',
      cause: error,
    });
  }
  if (BUSY.has(code)) {
    return new UserError(`State ${displayUrl} is locked by another program (still busy after ${busyTimeoutMs} ms).`, {
      hint: 'Close the program holding the file open (a database browser, a stuck process) and run the command again. Nothing was written.',
      cause: error,
    });
  }
  if (ACCESS.has(code) || FS_ACCESS.has(code)) {
    return new UserError(`Cannot open state ${displayUrl}: ${detail}.`, {
      hint: 'Check the path given by --state, ATTACHFORM_STATE or `state:` in the manifest, and that its folder is readable and writable.',
      cause: error,
    });
  }
  return error;
}
