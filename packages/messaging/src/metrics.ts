import type pg from 'pg';
import { Counter, Gauge, Histogram } from 'prom-client';
import { type SharedRead, throttledRead } from './scrape-read.ts';

export const consumedTotal = new Counter({
  name: 'gridcase_consumer_messages_total',
  help: 'Messages a consumer group finished, by outcome: handled (a redelivery the inbox had already claimed included) or dead-lettered',
  labelNames: ['group', 'topic', 'outcome'] as const,
});

export const consumerRetriesTotal = new Counter({
  name: 'gridcase_consumer_retries_total',
  help: 'Handler attempts that failed and were retried',
  labelNames: ['group', 'topic'] as const,
});

export const handleSeconds = new Histogram({
  name: 'gridcase_consumer_handle_seconds',
  help: 'Time to handle one message, including its database transaction',
  labelNames: ['group', 'topic'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

export const consumerRunRecords = new Histogram({
  name: 'gridcase_consumer_run_records',
  help: 'Records handled together in one transaction (transactional consumers)',
  labelNames: ['group', 'topic'] as const,
  buckets: [2, 5, 10, 25, 50, 100, 250],
});

export const consumerRunFallbacksTotal = new Counter({
  name: 'gridcase_consumer_run_fallbacks_total',
  help: 'Runs of records that rolled back and were handled again one record per transaction',
  labelNames: ['group', 'topic'] as const,
});

export const outboxTooLargeTotal = new Counter({
  name: 'gridcase_outbox_too_large_total',
  help: 'Outbox rows too large for the broker, sent to gridcase.dlq as a stub instead of their topic',
  labelNames: ['schema'] as const,
});

export const outboxPublishedTotal = new Counter({
  name: 'gridcase_outbox_published_total',
  help: 'Outbox rows published to Kafka',
  labelNames: ['schema'] as const,
});

export const outboxPassRows = new Histogram({
  name: 'gridcase_outbox_pass_rows',
  help: 'Rows one relay pass sent together (one claim, one send, one update); larger under sustained load',
  labelNames: ['schema'] as const,
  buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500],
});

/** Counting stops here: a backlog this large is an incident whatever its exact size, and the scrape stays cheap. */
export const OUTBOX_COUNT_CAP = 100_000;
const SCRAPE_QUERY_TIMEOUT_MS = 2000;

/** What the outbox gauges show of one schema: rows not yet sent (capped) and the age of the oldest. */
export async function outboxBacklog(pool: pg.Pool, schema: string): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const client = await pool.connect();
  try {
    // Both read the partial index on unsent rows; the timeout bounds a scrape while the database struggles.
    await client.query('begin read only');
    await client.query(`set local statement_timeout = ${SCRAPE_QUERY_TIMEOUT_MS}`);
    const { rows } = await client.query<{ pending: number; age: number | null }>(
      `select
         (select count(*)::int from (select 1 from "${schema}".outbox where sent_at is null limit ${OUTBOX_COUNT_CAP}) unsent) as pending,
         (select extract(epoch from now() - created_at)::float8 from "${schema}".outbox where sent_at is null order by id limit 1) as age`,
    );
    await client.query('commit');
    return { pending: rows[0]?.pending ?? 0, oldestAgeSeconds: Math.max(0, rows[0]?.age ?? 0) };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

type OutboxBacklog = Awaited<ReturnType<typeof outboxBacklog>>;
/** Each watched outbox read at most every SCRAPE_READ_EVERY_MS, whoever scrapes and however often. */
const watchedOutboxes = new Map<object, { schema: string; read: () => Promise<SharedRead<OutboxBacklog>> }>();

/** One shared read per outbox for both gauges: a scrape collects every metric at once. */
async function collectOutboxes(): Promise<void> {
  await Promise.all(
    [...watchedOutboxes.values()].map(async ({ schema, read }) => {
      const { value: backlog, ageMs } = await read();
      if (!backlog) return;
      outboxPending.set({ schema }, backlog.pending);
      // The oldest row waiting then is older by now, if it still waits.
      outboxOldestUnsentAge.set({ schema }, backlog.pending > 0 ? backlog.oldestAgeSeconds + ageMs / 1000 : 0);
    }),
  );
}

/** Reads a schema's outbox for its gauges (at most every SCRAPE_READ_EVERY_MS) until the returned function is called. */
export function watchOutbox(pool: pg.Pool, schema: string): () => void {
  const key = {};
  watchedOutboxes.set(key, { schema, read: throttledRead(() => outboxBacklog(pool, schema)) });
  return () => watchedOutboxes.delete(key);
}

/**
 * Read from the database (at most every 5 s), so every replica shows the same figure (only one relays at
 * a time): aggregate with max, not sum.
 */
export const outboxPending = new Gauge({
  name: 'gridcase_outbox_pending',
  help: `Outbox rows not yet published, read from the database at most every 5 s (counting stops at ${OUTBOX_COUNT_CAP})`,
  labelNames: ['schema'] as const,
  collect: collectOutboxes,
});

export const outboxOldestUnsentAge = new Gauge({
  name: 'gridcase_outbox_oldest_unsent_age_seconds',
  help: 'Age of the oldest outbox row not yet published (0 when none is waiting), read from the database at most every 5 s and counted on to the scrape',
  labelNames: ['schema'] as const,
  collect: collectOutboxes,
});

export const consumerRetrying = new Gauge({
  name: 'gridcase_consumer_retrying',
  help: '1 while a partition waits for a transient fault (database, broker) to clear, else 0',
  labelNames: ['group', 'topic', 'partition'] as const,
});

/** Whether each consumer this process runs is failing, by its group; read at each scrape. */
const watchedConsumers = new Map<object, { group: string; failing: () => boolean }>();

/**
 * 1 while a consumer of the group is stalled (no heartbeat for a minute) or crashed and not yet
 * recreated, else 0. Read at scrape time from this process's consumers: aggregate with max.
 */
export const consumerStalled: Gauge<'group'> = new Gauge({
  name: 'gridcase_consumer_stalled',
  help: '1 while a consumer of the group is stalled (no heartbeat for 60 s) or crashed and not yet recreated, else 0; read at scrape time',
  labelNames: ['group'] as const,
  collect() {
    const byGroup = new Map<string, number>();
    for (const { group, failing } of watchedConsumers.values()) byGroup.set(group, Math.max(byGroup.get(group) ?? 0, failing() ? 1 : 0));
    for (const [group, value] of byGroup) consumerStalled.set({ group }, value);
  },
});

/** Shows a consumer in the stalled gauge, at 0 from now, until the returned function is called (then at 0 again). */
export function watchConsumer(group: string, failing: () => boolean): () => void {
  const key = {};
  watchedConsumers.set(key, { group, failing });
  consumerStalled.set({ group }, 0);
  return () => {
    watchedConsumers.delete(key);
    consumerStalled.set({ group }, 0);
  };
}

export const deadLetterWrittenTotal = new Counter({
  name: 'gridcase_dlq_records_written_total',
  help: 'Records a consumer group wrote to the DLQ, by why (invalid-message, rejected, bad-data, retries-exhausted)',
  labelNames: ['group', 'topic', 'reason'] as const,
});

export const deadLetterTruncatedTotal = new Counter({
  name: 'gridcase_dlq_truncated_total',
  help: 'Dead letters written as a stub because the original was too large for the DLQ',
  labelNames: ['group', 'topic'] as const,
});

export const producerRecreatedTotal = new Counter({
  name: 'gridcase_producer_recreated_total',
  help: 'Producers replaced by a fresh idempotent producer after a failed send',
});
