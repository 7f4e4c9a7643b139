import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';

export type Db = NodePgDatabase<Record<string, unknown>>;
/** A drizzle handle inside a transaction; what handlers receive. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export function createPool(url: string, opts: { max?: number; application?: string } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.application ?? 'gridcase',
    connectionTimeoutMillis: 5000,
  });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return pool;
}

export const createDb = (pool: pg.Pool): Db => drizzle({ client: pool });

/** True when a query answers; for readiness. */
export async function pingDb(pool: pg.Pool): Promise<void> {
  await pool.query('select 1');
}
