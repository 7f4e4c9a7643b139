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
  // A Db (cast to Tx) has the pool here: a statement on it would run outside any transaction, e.g.
  // an inbox claim that stays though the handler then fails. Only a checked-out client can be released.
  if (typeof client.release !== 'function') throw new Error('clientOf needs a transaction (db.transaction), not the database handle');
  return client;
}
