/**
 * How often a gauge read at scrape time may query the database. /metrics needs no token: 32 scrapers
 * in parallel, each a query, tripled report latency (audit21 #8).
 */
export const SCRAPE_READ_EVERY_MS = 5_000;

/** A shared read: what it returned (undefined when it failed) and how long ago it started, in ms. */
export interface SharedRead<T> {
  value: T | undefined;
  ageMs: number;
}

/**
 * `read` made at most once every `everyMs` (by the process's monotonic clock). Calls within that time
 * share the last read, the one still in flight too, and a failed read alike: the gauges keep their last
 * values until the next (/readyz reports the database).
 */
export function throttledRead<T>(read: () => Promise<T>, everyMs = SCRAPE_READ_EVERY_MS): () => Promise<SharedRead<T>> {
  let last: { startedAt: number; value: Promise<T | undefined> } | undefined;
  return async () => {
    if (!last || performance.now() - last.startedAt >= everyMs) last = { startedAt: performance.now(), value: read().catch(() => undefined) };
    const { startedAt, value } = last;
    return { value: await value, ageMs: performance.now() - startedAt };
  };
}
