import { register } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Backlog } from '../src/db/webhook-deliveries.ts';
import { BACKLOG_READ_EVERY_MS, watchBacklog } from '../src/webhooks/metrics.ts';

/** What a scrape shows of `name{state="…"}`. */
const scraped = async (name: string, state: string) => {
  const line = (await register.getSingleMetricAsString(name)).split('\n').find((l) => l.startsWith(`${name}{state="${state}"}`));
  return line ? Number(line.split(' ').at(-1)) : undefined;
};

describe('webhook backlog gauges on the unauthenticated /metrics (audit21 #8)', () => {
  let unwatch: (() => void) | undefined;
  afterEach(() => {
    unwatch?.();
    vi.restoreAllMocks();
  });

  it('query the database at most once per interval, however many scrape at once; the ages still count on to each scrape', async () => {
    let monotonic = 1_000_000;
    vi.spyOn(performance, 'now').mockImplementation(() => monotonic);
    let wall = new Date('2026-06-03T02:00:00Z');
    let release: () => void = () => {};
    const backlog: Backlog = { queued: { pending: 3, oldest: new Date('2026-06-03T01:50:00Z') }, retrying: { pending: 0, oldest: undefined } };
    const read = vi.fn(() => new Promise<Backlog>((resolve) => (release = () => resolve(backlog))));
    unwatch = watchBacklog({ read, now: () => wall });

    // 32 scrapers at once, the query still in flight: they all wait on the one read.
    const scrapes = Array.from({ length: 32 }, () => scraped('gridcase_webhook_deliveries_pending', 'queued'));
    await vi.waitFor(() => expect(read).toHaveBeenCalled());
    release();
    expect(await Promise.all(scrapes)).toEqual(Array(32).fill(3));
    expect(read).toHaveBeenCalledTimes(1);
    expect(await scraped('gridcase_webhook_deliveries_oldest_pending_age_seconds', 'queued')).toBe(600);

    // Later within the interval: no new query, the age counted to the scrape's moment.
    monotonic += BACKLOG_READ_EVERY_MS - 1;
    wall = new Date(wall.getTime() + 60_000);
    expect(await scraped('gridcase_webhook_deliveries_oldest_pending_age_seconds', 'queued')).toBe(660);
    expect(await scraped('gridcase_webhook_deliveries_oldest_pending_age_seconds', 'retrying')).toBe(0);
    expect(read).toHaveBeenCalledTimes(1);

    // Past it: read again.
    monotonic += 1;
    backlog.queued.pending = 5;
    const next = scraped('gridcase_webhook_deliveries_pending', 'queued');
    await vi.waitFor(() => expect(read).toHaveBeenCalledTimes(2));
    release();
    expect(await next).toBe(5);
  });

  it('share a failed read alike: the gauges keep their last values until the next interval', async () => {
    let monotonic = 2_000_000;
    vi.spyOn(performance, 'now').mockImplementation(() => monotonic);
    const read = vi.fn(async (): Promise<Backlog> => ({ queued: { pending: 7, oldest: undefined }, retrying: { pending: 1, oldest: undefined } }));
    unwatch = watchBacklog({ read, now: () => new Date() });
    expect(await scraped('gridcase_webhook_deliveries_pending', 'retrying')).toBe(1);
    monotonic += BACKLOG_READ_EVERY_MS;
    read.mockRejectedValue(new Error('database down'));
    expect(await Promise.all([1, 2, 3].map(() => scraped('gridcase_webhook_deliveries_pending', 'queued')))).toEqual([7, 7, 7]);
    expect(read).toHaveBeenCalledTimes(2);
  });
});
