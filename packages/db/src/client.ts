import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Logger } from 'pino';
import { commitNotifier, trackCommitNotices } from './notify.ts';

export type Db = NodePgDatabase<Record<string, unknown>>;
/** A drizzle handle inside a transaction; what handlers receive. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * `make`, called once per database handle: for what a service instance keeps per database (its
 * caches), so tests and tools that open several databases in one process keep them apart.
 */
export function onePerDatabase<T>(make: (db: Db) => T): (db: Db) => T {
  const made = new WeakMap<Db, T>();
  return (db) => {
    if (!made.has(db)) made.set(db, make(db));
    return made.get(db) as T;
  };
}

export interface PoolOptions {
  max?: number;
  application?: string;
  /** Told about connections lost (server restart, terminated backend); the process carries on. */
  onConnectionError?: (err: Error) => void;
  /** A connection is closed once released after this long; see CONNECTION_LIFETIME_SECONDS. */
  maxLifetimeSeconds?: number;
}

/**
 * How long a pooled connection lives. Each connection keeps the plans of its named statements, made
 * when they first ran; a plan made while a table was nearly empty reads the whole table once it has
 * grown, until an ANALYZE invalidates it, which never comes where autovacuum is off. A new
 * connection plans against the tables' actual size, so this bounds how long a stale plan lasts.
 */
export const CONNECTION_LIFETIME_SECONDS = 600;

export function createPool(url: string, opts: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.application ?? 'gridcase',
    connectionTimeoutMillis: 5000,
    maxLifetimeSeconds: opts.maxLifetimeSeconds ?? CONNECTION_LIFETIME_SECONDS,
    // No JIT: our statements are short lookups by index, but a plan's estimate (a young table's
    // statistics, a correlated subquery counted per row) can pass jit_above_cost, and then each run
    // compiles for 10–40 ms of the server's CPU to read a handful of rows (the desk's stream read took
    // 39 ms for 5 rows, 12 of them compiling; BENCHMARKS.md, run 18). A SET the pool awaits before it
    // hands the connection out (a query sent beside it is one pg@9 refuses), rather than a startup
    // option: PgBouncer (operations.md) refuses options it does not track, and an `options` in
    // DATABASE_URL would replace ours. If it fails, the pool ends the connection and the caller hears why.
    onConnect: async (client: pg.ClientBase) => {
      await client.query('set jit = off');
    },
  });
  const onError = (err: Error) => opts.onConnectionError?.(err);
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', onError);
  // A checked-out client (a transaction, the relay's, LISTEN's) emits 'error' too when its server
  // goes away; pg removes the pool's listener while it is checked out, and an 'error' event without
  // a listener kills the process. The query in hand still fails, so its caller learns of it.
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}

/**
 * A drizzle handle over the pool whose transactions send, once committed, the NOTIFYs their work
 * asked for (notifyOnCommit; writeOutbox asks for its relay's), coalesced per pool: none is sent
 * inside a transaction (notify.ts says why). `logger` hears of a NOTIFY that failed.
 */
export function createDb(pool: pg.Pool, opts: { logger?: Pick<Logger, 'warn'> } = {}): Db {
  const db = drizzle({ client: pool });
  const notifier = commitNotifier(pool, opts.logger);
  const transaction = db.transaction.bind(db);
  db.transaction = async (work, config) => {
    let channels: Set<string> | undefined;
    const result = await transaction((tx) => {
      channels = trackCommitNotices(tx);
      return work(tx);
    }, config);
    for (const channel of channels ?? []) notifier.notify(channel);
    return result;
  };
  return db;
}

/** True when a query answers; for readiness. */
export async function pingDb(pool: pg.Pool): Promise<void> {
  await pool.query('select 1');
}

/**
 * What the server is set to that will hurt the service over time, as a sentence for the log at start,
 * or undefined. With autovacuum off (or track_counts off, which stops it too), dead row versions of
 * updated and pruned rows (outbox, inbox, case rows) are never reclaimed and tables are never
 * analyzed; nothing fails, it only slows, so it is said once. A server that cannot say gets none.
 */
export async function serverWarning(pool: pg.Pool): Promise<string | undefined> {
  const { rows } = await pool.query<{ autovacuum: string | null; track_counts: string | null }>(
    `select current_setting('autovacuum', true) as autovacuum, current_setting('track_counts', true) as track_counts`,
  );
  const off = rows[0]?.autovacuum === 'off' ? 'autovacuum' : rows[0]?.track_counts === 'off' ? 'track_counts' : undefined;
  return off && `${off} is off on this server: dead rows of the outbox, inbox and case tables pile up and no table is analyzed; schedule VACUUM ANALYZE or turn it on`;
}
