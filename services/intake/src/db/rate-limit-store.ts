import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from '@gridcase/db';
import { sql } from 'drizzle-orm';
import { rateLimits } from './schema.ts';

/**
 * Takes up to `want` requests of a key's budget in the current fixed window, in one upsert on the
 * database's clock, so every intake instance draws on one budget per client. `hits` counts what was
 * handed out (it may pass `max`: a lease asked for more than was left). Returns how many were
 * granted, the count after this lease and the milliseconds left in the window.
 */
export async function leaseRequests(
  db: Db,
  key: string,
  windowMs: number,
  max: number,
  want: number,
): Promise<{ granted: number; hits: number; ttl: number }> {
  const now = sql`floor(extract(epoch from clock_timestamp()) * 1000)::bigint`;
  const window = sql`(${now} / ${windowMs}::bigint)`;
  const result = await db.execute<{ hits: number; ttl: string }>(sql`
    insert into ${rateLimits} (key, "window", hits) values (${key}, ${window}, ${want})
    on conflict (key) do update set
      hits = case when ${rateLimits.window} = excluded."window" then ${rateLimits.hits} + ${want} else ${want} end,
      "window" = excluded."window"
    returning hits, ("window" + 1) * ${windowMs}::bigint - ${now} as ttl`);
  const row = result.rows[0];
  if (!row) throw new Error('rate limit upsert returned no row');
  const before = row.hits - want;
  return { granted: Math.max(0, Math.min(want, max - before)), hits: row.hits, ttl: Number(row.ttl) };
}

/**
 * How many requests one lease takes: 1 for small limits (exact, a round trip per request, as before),
 * a twentieth of the limit up to 50 for large ones (a round trip per 50 requests).
 */
export const leaseSize = (max: number) => Math.max(1, Math.min(50, Math.floor(max / 20)));

interface Lease {
  /** Local time (ms) the window ends, counted from when the lease was asked for, so never late. */
  endsAt: number;
  /** Requests of the lease still to hand out. */
  left: number;
  /** The next request's place in the window's count across instances (what the plugin calls current). */
  next: number;
  /** The window's budget was spent when this lease was granted: past `left`, refuse without asking. */
  spent: boolean;
  /** The limit it was granted under: a client whose limit was raised since asks again (PATCH /v1/clients/{id}). */
  max: number;
}

/**
 * A @fastify/rate-limit store over intake.rate_limits that leases the budget in blocks (leaseSize)
 * and hands a block out from memory, one request at a time, so most requests cost no round trip.
 *
 * The bound, for N instances and a limit of `max` a window: a client is never admitted more than
 * `max` times in a window (a lease is never more than what is left), and it may be refused early by
 * at most (N - 1) × leaseSize(max) requests: blocks other instances leased and did not use before
 * the window ended (for 600 a minute and two instances: refused after at least 570). One instance, or
 * a limit under 40, counts exactly. Once the window's budget is spent an instance refuses without a
 * round trip until the window ends, so a client over its rate costs no database work.
 */
export function leasedRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  return class LeasedRateLimitStore implements FastifyRateLimitStore {
    readonly #leases = new Map<string, Lease>();
    readonly #leasing = new Map<string, Promise<void>>();

    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number) {
      this.#take(key, timeWindow, max).then(
        (result) => callback(null, result),
        (err: Error) => callback(err),
      );
    }

    async #take(key: string, windowMs: number, max: number): Promise<{ current: number; ttl: number }> {
      for (;;) {
        const now = Date.now();
        const lease = this.#leases.get(key);
        if (lease && now < lease.endsAt) {
          if (lease.left > 0) {
            lease.left--;
            return { current: lease.next++, ttl: lease.endsAt - now };
          }
          if (lease.spent && max <= lease.max) return { current: max + 1, ttl: lease.endsAt - now };
        }
        let leasing = this.#leasing.get(key);
        if (!leasing) {
          leasing = this.#lease(key, windowMs, max).finally(() => this.#leasing.delete(key));
          this.#leasing.set(key, leasing);
        }
        await leasing;
      }
    }

    async #lease(key: string, windowMs: number, max: number): Promise<void> {
      const askedAt = Date.now();
      const want = leaseSize(max);
      const { granted, hits, ttl } = await leaseRequests(db, key, windowMs, max, want);
      if (this.#leases.size > 10_000) this.#forgetEnded(askedAt);
      this.#leases.set(key, { endsAt: askedAt + ttl, left: granted, next: hits - want + 1, spent: granted < want || hits >= max, max });
    }

    #forgetEnded(now: number): void {
      for (const [key, lease] of this.#leases) if (lease.endsAt <= now) this.#leases.delete(key);
    }

    child() {
      return this;
    }
  };
}
