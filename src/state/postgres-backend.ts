// The postgres:// backend: keyv's @keyv/postgres adapter and the table it creates (`keyv`: keys under
// `attachform:`, values in keyv's JSON, so any keyv client reads them). The adapter has no
// transactions, so the backend takes the one connection of the adapter's pool (max: 1) from the
// pool's onConnect hook and runs everything on it, one thing at a time. A write is BEGIN, an
// advisory lock on this state (writers take turns, so none loses the serial), the statements,
// COMMIT; a lost connection rolls it back whole. The state lock is a row changed only by
// single-statement compare-and-set (INSERT … ON CONFLICT DO NOTHING, UPDATE/DELETE … WHERE value =).
import { randomUUID } from 'node:crypto';
import KeyvPostgres from '@keyv/postgres';
import { UserError } from '../user-error.js';
import type { BackendTransaction, RawEntry, StateBackend } from './backend.js';
import { keyvCodec, NAMESPACE } from './keyv-codec.js';
import { createSerialQueue } from './serial-queue.js';
import { scrubPassword } from './state-url.js';

/** keyv's table in the connection's default schema, as @keyv/postgres creates it. */
const TABLE = 'public.keyv';
const CONNECT_TIMEOUT_MS = 10_000;

/** The part of pg's Client this backend uses (pg ships no types of its own). */
interface PgClient {
  query(sql: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface PostgresBackendOptions {
  /** The state URL, credentials and all; pg also reads PGPASSWORD, PGUSER… for what it leaves out. */
  url: string;
  displayUrl: string;
}

export function createPostgresBackend({ url, displayUrl }: PostgresBackendOptions): StateBackend {
  const queue = createSerialQueue();
  let session: Promise<PgClient> | undefined;

  function connect(): Promise<PgClient> {
    if (session) return session;
    const opening = (async () => {
      let client: PgClient | undefined;
      const adapter = new KeyvPostgres({
        // @keyv/postgres keeps one pool per `uri` in a module variable; a key of our own gives each
        // backend its own pool, and `connectionString` (which pg reads) says where to connect.
        uri: `attachform-state-${randomUUID()}`,
        connectionString: url,
        max: 1,
        idleTimeoutMillis: 0,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        onConnect: (connected: PgClient) => {
          client = connected;
        },
      });
      adapter.on('error', () => undefined); // a failed CREATE TABLE fails our first query too
      await adapter.query('SELECT 1'); // runs after the adapter's CREATE TABLE IF NOT EXISTS
      if (!client) throw new Error('@keyv/postgres connected without calling onConnect');
      client.on('error', () => {
        if (session === opening) session = undefined; // connection lost: the next call reconnects
      });
      return client;
    })();
    session = opening;
    opening.catch(() => {
      if (session === opening) session = undefined;
    });
    return opening;
  }

  /** Runs fn alone on the connection; what Postgres or the network said becomes a UserError. */
  function exclusive<T>(fn: (client: PgClient) => Promise<T>): Promise<T> {
    return queue(async () => fn(await connect())).catch((error: unknown) => {
      throw explainPostgresError(error, url, displayUrl);
    });
  }

  const prefixed = (key: string) => `${NAMESPACE}:${key}`;
  const changed = async (client: PgClient, sql: string, values: unknown[]) => (await client.query(sql, values)).rows.length === 1;

  async function selectOne(client: PgClient, key: string): Promise<string | undefined> {
    const { rows } = await client.query(`SELECT value FROM ${TABLE} WHERE key = $1`, [prefixed(key)]);
    return rows.length === 0 ? undefined : String(rows[0].value);
  }

  return {
    readEntries: () =>
      exclusive(async (client) => {
        const { rows } = await client.query(`SELECT key, value FROM ${TABLE} WHERE key LIKE $1`, [`${NAMESPACE}:%`]);
        return rows.map((row): RawEntry => ({ key: String(row.key).slice(NAMESPACE.length + 1), value: String(row.value) }));
      }),

    transact: <T>(fn: (tx: BackendTransaction) => Promise<T>) =>
      exclusive(async (client) => {
        await client.query('BEGIN');
        try {
          // Held until COMMIT/ROLLBACK; advisory locks are per database, so per state.
          await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${NAMESPACE}:${TABLE}`]);
          const result = await fn({
            get: (key) => selectOne(client, key),
            set: async (key, value) => {
              await client.query(`INSERT INTO ${TABLE} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [prefixed(key), value]);
            },
            delete: async (key) => {
              await client.query(`DELETE FROM ${TABLE} WHERE key = $1`, [prefixed(key)]);
            },
          });
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),

    get: (key) => exclusive((client) => selectOne(client, key)),

    insertIfAbsent: (key, value) =>
      exclusive((client) => changed(client, `INSERT INTO ${TABLE} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key`, [prefixed(key), value])),

    replaceIf: (key, expected, value) =>
      exclusive((client) => changed(client, `UPDATE ${TABLE} SET value = $3 WHERE key = $1 AND value = $2 RETURNING key`, [prefixed(key), expected, value])),

    deleteIf: (key, expected) =>
      exclusive((client) => changed(client, `DELETE FROM ${TABLE} WHERE key = $1 AND value = $2 RETURNING key`, [prefixed(key), expected])),

    ...keyvCodec,

    close: () =>
      queue(async () => {
        const current = session;
        session = undefined;
        const client = await current?.catch(() => undefined);
        await client?.end().catch(() => undefined);
      }),
  };
}

const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOENT']);

/** Turns what pg or the network said into a UserError naming the state (never its password); bugs pass through. */
export function explainPostgresError(error: unknown, url: string, displayUrl: string): unknown {
  if (error instanceof UserError || !(error instanceof Error)) return error;
  const raw = (error as Error & { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : '';
  const detail = scrubPassword(error.message, url);
  const make = (message: string, hint: string) => new UserError(message, { hint, cause: error });
  if (code.startsWith('28') || (code === '' && /password|SASL/i.test(detail))) {
    return make(`State ${displayUrl} refused the login: ${detail}.`, 'Check the user in the state URL and its password (in the URL or the PGPASSWORD variable). Nothing was written.');
  }
  if (code === '3D000') {
    return make(`State ${displayUrl} cannot be opened: ${detail}.`, 'Create the database first (e.g. `createdb attachform`), or fix the database name in the state URL. Nothing was written.');
  }
  if (['42501', '42P01', '42703', '42804'].includes(code)) {
    return make(
      `State ${displayUrl} cannot be used: ${detail}.`,
      "The user must be able to create (once), read and write the `keyv` table, and an existing `keyv` table must have keyv's shape (key VARCHAR PRIMARY KEY, value TEXT). Nothing was written.",
    );
  }
  if (code === '22001') {
    return make(`State ${displayUrl} cannot store a key: ${detail}.`, "keyv's table keeps keys to 255 characters: shorten the asset's name. Nothing was written.");
  }
  if (NETWORK.has(code) || code.startsWith('08') || code.startsWith('57P') || code.startsWith('53') || (code === '' && /connect|terminated|timeout|SSL/i.test(detail))) {
    return make(
      `Cannot reach state ${displayUrl}: ${detail}.`,
      'Check the host, port and database of the state URL (--state, ATTACHFORM_STATE or `state:`), and that the server is up and reachable from here. Nothing was written.',
    );
  }
  return error;
}
