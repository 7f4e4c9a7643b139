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
 * How long a scrape waits for a read in flight before it answers with the last one: a table locked by
 * an operator (VACUUM FULL, ALTER TABLE) held every /metrics for as long as the lock, so Prometheus saw
 * the instance down rather than its stalled-consumer gauge (audit 24 #3).
 */
export const SCRAPE_READ_WAIT_MS = 2_000;

/**
 * `read` made at most once every `everyMs` (by the process's monotonic clock), and never two at once.
 * Calls within that time share the last read, the one still in flight too, and a failed read alike: the
 * gauges keep their last values until the next (/readyz reports the database). A read that takes longer
 * than `waitMs` is not waited for: the call answers with the last read that finished (undefined before
 * any), and its age.
 */
export function throttledRead<T>(read: () => Promise<T>, everyMs = SCRAPE_READ_EVERY_MS, waitMs = SCRAPE_READ_WAIT_MS): () => Promise<SharedRead<T>> {
  let startedAt: number | undefined;
  let inFlight: Promise<void> | undefined;
  let finished: { value: T | undefined; startedAt: number } | undefined;
  return async () => {
    if (!inFlight && (startedAt === undefined || performance.now() - startedAt >= everyMs)) {
      const started = performance.now();
      startedAt = started;
      inFlight = read()
        .catch(() => undefined)
        .then((value) => {
          finished = { value, startedAt: started };
          inFlight = undefined;
        });
    }
    if (inFlight) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([inFlight, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    }
    return finished ? { value: finished.value, ageMs: performance.now() - finished.startedAt } : { value: undefined, ageMs: 0 };
  };
}
