/** Every Kafka topic gridcase uses. Created explicitly at deploy time, never auto-created. */
export const TOPICS = {
  /** Raw report bodies from other systems (key = their externalId, header `client-id`). */
  reportsInbound: 'gridcase.reports.inbound',
  /** `report.received` envelopes, keyed by report id. */
  reports: 'gridcase.reports',
  /** Every case event, keyed by case id so one partition holds a case's history in order. */
  cases: 'gridcase.cases',
  /** Commands from the duty desk to the case of record, keyed by case id. */
  caseCommands: 'gridcase.case-commands',
  /** Messages no consumer could handle, with headers naming their origin and the error. */
  dlq: 'gridcase.dlq',
  /** Reference data other services keep a copy of (the working-day calendar, key `calendar:<year>`; the category catalogue, key `categories`); compacted. */
  reference: 'gridcase.reference',
  /** Alerts for people and paging systems (the desk's SLO burn-rate alerts), keyed by what they are about. */
  alerts: 'gridcase.alerts',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export const TOPIC_PARTITIONS = 6;

/** Topic settings beyond the broker's defaults, applied when a topic is created. */
export const TOPIC_CONFIGS: Partial<Record<Topic, Record<string, string>>> = {
  // The latest record per key is the current value; older versions may be dropped.
  [TOPICS.reference]: { 'cleanup.policy': 'compact' },
};

/** Headers the DLQ adds to a dead message (the original headers are kept too). */
export const DLQ_HEADERS = {
  topic: 'dlq-original-topic',
  partition: 'dlq-original-partition',
  offset: 'dlq-original-offset',
  group: 'dlq-consumer-group',
  error: 'dlq-error',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;
