import { Counter, Gauge, Histogram } from 'prom-client';

export const consumedTotal = new Counter({
  name: 'gridcase_consumer_messages_total',
  help: 'Messages a consumer group finished, by outcome (handled, duplicate, dead-lettered)',
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

export const outboxPublishedTotal = new Counter({
  name: 'gridcase_outbox_published_total',
  help: 'Outbox rows published to Kafka',
  labelNames: ['schema'] as const,
});

export const outboxPending = new Gauge({
  name: 'gridcase_outbox_pending',
  help: 'Outbox rows not yet published, as of the last relay pass',
  labelNames: ['schema'] as const,
});

export const consumerRetrying = new Gauge({
  name: 'gridcase_consumer_retrying',
  help: '1 while a partition waits for a transient fault (database, broker) to clear, else 0',
  labelNames: ['group', 'topic', 'partition'] as const,
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
