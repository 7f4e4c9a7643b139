import type pg from 'pg';
import type { Tx } from './client.ts';

/**
 * The pg client under a drizzle transaction (a handler's, opened by db.transaction), for prepared
 * statements sent to it directly (pg named queries: parsed once per connection, no query building).
 * Reads a field drizzle 0.45's node-postgres session keeps private, so it checks it is there.
 */
export function clientOf(tx: Tx): pg.PoolClient {
  const client = (tx._.session as unknown as { client?: pg.PoolClient }).client;
  if (typeof client?.query !== 'function') throw new Error('no pg client under this drizzle transaction (has drizzle-orm changed?)');
  return client;
}
