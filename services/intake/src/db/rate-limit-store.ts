import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from '@gridcase/db';
import { sql } from 'drizzle-orm';
import { rateLimits } from './schema.ts';

/**
 * Counts a request in the key's current fixed window: one upsert, on the database's clock, so every
 * intake instance shares one budget per client. Returns the count so far and the milliseconds left.
 */
export async function countRequest(db: Db, key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
  const now = sql`floor(extract(epoch from clock_timestamp()) * 1000)::bigint`;
  const window = sql`(${now} / ${windowMs}::bigint)`;
  const result = await db.execute<{ hits: number; ttl: string }>(sql`
    insert into ${rateLimits} (key, "window", hits) values (${key}, ${window}, 1)
    on conflict (key) do update set
      hits = case when ${rateLimits.window} = excluded."window" then ${rateLimits.hits} + 1 else 1 end,
      "window" = excluded."window"
    returning hits, ("window" + 1) * ${windowMs}::bigint - ${now} as ttl`);
  const row = result.rows[0];
  if (!row) throw new Error('rate limit upsert returned no row');
  return { current: row.hits, ttl: Number(row.ttl) };
}

/** A @fastify/rate-limit store (its custom `store` interface) over intake.rate_limits. */
export function postgresRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  return class PostgresRateLimitStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number) {
      countRequest(db, key, timeWindow).then(
        (result) => callback(null, result),
        (err: Error) => callback(err),
      );
    }
    child() {
      return this;
    }
  };
}
