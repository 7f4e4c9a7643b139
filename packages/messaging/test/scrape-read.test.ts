import type pg from 'pg';
import { register } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchOutbox } from '../src/metrics.ts';
import { SCRAPE_READ_EVERY_MS, throttledRead } from '../src/scrape-read.ts';

/** What a scrape shows of `name{schema="…"}`. */
const scraped = async (name: string, schema: string) => {
  const line = (await register.getSingleMetricAsString(name)).split('\n').find((l) => l.startsWith(`${name}{schema="${schema}"}`));
  return line ? Number(line.split(' ').at(-1)) : undefined;
};

/** A pool whose one query answers `row` once released; counts the queries that read the outbox. */
function outboxPool(row: { pending: number; age: number | null }) {
  const reads = { count: 0 };
  const client = {
    query: async (sql: string) => {
      if (sql.includes('outbox')) reads.count++;
      return { rows: [row] };
    },
    release: () => {},
  };
  return { pool: { connect: async () => client } as unknown as pg.Pool, reads };
}

describe('a read shared by scrapes', () => {
  let monotonic = 5_000_000;
  afterEach(() => vi.restoreAllMocks());
  const clock = () => vi.spyOn(performance, 'now').mockImplementation(() => monotonic);

  it('runs once per interval however many call at once, failed reads shared alike, and tells how old it is', async () => {
    clock();
    let release: (n: number) => void = () => {};
    const read = vi.fn(() => new Promise<number>((resolve) => (release = resolve)));
    const shared = throttledRead(read);
    const calls = Array.from({ length: 16 }, () => shared());
    release(4);
    expect((await Promise.all(calls)).map((r) => r.value)).toEqual(Array(16).fill(4));
    monotonic += SCRAPE_READ_EVERY_MS - 1;
    expect(await shared()).toEqual({ value: 4, ageMs: SCRAPE_READ_EVERY_MS - 1 });
    expect(read).toHaveBeenCalledTimes(1);

    monotonic += 1;
    read.mockRejectedValueOnce(new Error('database down'));
    expect(await Promise.all([shared(), shared()])).toEqual([
      { value: undefined, ageMs: 0 },
      { value: undefined, ageMs: 0 },
    ]);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('answers with the last finished read when one hangs (a locked table), and starts no second read meanwhile (audit 24 #3)', async () => {
    clock();
    let release: (n: number) => void = () => {};
    const read = vi.fn(async () => 7);
    const shared = throttledRead(read, SCRAPE_READ_EVERY_MS, 10);
    expect(await shared()).toEqual({ value: 7, ageMs: 0 });
    // The next read hangs, as a query behind an ACCESS EXCLUSIVE lock does.
    read.mockImplementation(() => new Promise<number>((resolve) => (release = resolve)));
    monotonic += SCRAPE_READ_EVERY_MS;
    expect(await shared()).toEqual({ value: 7, ageMs: SCRAPE_READ_EVERY_MS });
    monotonic += SCRAPE_READ_EVERY_MS;
    expect(await shared()).toEqual({ value: 7, ageMs: 2 * SCRAPE_READ_EVERY_MS });
    expect(read).toHaveBeenCalledTimes(2);
    release(9);
    await vi.waitFor(async () => expect((await shared()).value).toBe(9));
  });

  it('answers nothing rather than wait when the first read hangs', async () => {
    clock();
    const shared = throttledRead(() => new Promise<number>(() => {}), SCRAPE_READ_EVERY_MS, 10);
    expect(await shared()).toEqual({ value: undefined, ageMs: 0 });
  });

  it('keeps the outbox gauges to one query per outbox per interval; the oldest age counts on to the scrape', async () => {
    clock();
    const { pool, reads } = outboxPool({ pending: 3, age: 12 });
    const unwatch = watchOutbox(pool, 'scrape_test');
    try {
      expect(await Promise.all(Array.from({ length: 8 }, () => scraped('gridcase_outbox_pending', 'scrape_test')))).toEqual(Array(8).fill(3));
      expect(reads.count).toBe(1);
      monotonic += 2_000;
      expect(await scraped('gridcase_outbox_oldest_unsent_age_seconds', 'scrape_test')).toBe(14);
      expect(reads.count).toBe(1);
      monotonic += SCRAPE_READ_EVERY_MS;
      expect(await scraped('gridcase_outbox_pending', 'scrape_test')).toBe(3);
      expect(reads.count).toBe(2);
    } finally {
      unwatch();
    }
  });
});
