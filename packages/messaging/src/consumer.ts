import { ContractError, DLQ_HEADERS, TOPICS, type Topic } from '@gridcase/contracts';
import type { Consumer, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { logicalTopic, physicalTopic } from './kafka.ts';
import { consumedTotal, consumerRetriesTotal, handleSeconds } from './metrics.ts';

/** A record as a handler sees it: the logical topic, string key and headers, raw value. */
export interface InboundRecord {
  topic: Topic;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export type RecordHandler = (record: InboundRecord) => Promise<void>;

/** Thrown by a handler for input that can never succeed: it goes to the DLQ at once, without retries. */
export class PoisonError extends Error {}

export interface ConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: Topic[];
  topicPrefix: string;
  handler: RecordHandler;
  /** Producer used to dead-letter; the service's idempotent producer. */
  producer: Producer;
  logger: Logger;
  maxAttempts?: number;
  backoffMs?: number;
  partitionsConsumedConcurrently?: number;
}

const headersToStrings = (headers: IHeaders | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? String(v[0]) : String(v);
  }
  return out;
};

const isPoison = (err: unknown) => err instanceof ContractError || err instanceof PoisonError;

/**
 * Runs a consumer group. Each message is handled (the handler does its own inbox + transaction),
 * retried with backoff when it fails, and dead-lettered with its origin when it keeps failing
 * or can never succeed. The offset is marked only after the handler returned, i.e. after its
 * transaction committed, so a crash redelivers rather than loses.
 */
export class ConsumerRunner {
  private readonly o: Required<ConsumerOptions>;
  private consumer: Consumer | undefined;
  private crashed: string | undefined;
  private lastActivity = Date.now();

  constructor(options: ConsumerOptions) {
    // One message per partition at a time keeps per-case order; more than 3 at once only adds CPU contention here (bench).
    this.o = { maxAttempts: 5, backoffMs: 200, partitionsConsumedConcurrently: 3, ...options };
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics, topicPrefix } = this.o;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      allowAutoTopicCreation: false,
      retry: { retries: 10 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (e) => {
      this.crashed = e.payload.error.message;
      this.o.logger.error({ err: e.payload.error, groupId, restart: e.payload.restart }, 'consumer crashed');
      if (e.payload.restart) this.crashed = undefined;
    });
    consumer.on(consumer.events.HEARTBEAT, () => {
      this.lastActivity = Date.now();
    });
    await consumer.connect();
    await consumer.subscribe({ topics: topics.map((t) => physicalTopic(topicPrefix, t)), fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 1000,
      partitionsConsumedConcurrently: this.o.partitionsConsumedConcurrently,
      eachMessage: async ({ topic, partition, message }) => {
        await this.handle(logicalTopic(topicPrefix, topic) as Topic, partition, message);
        this.lastActivity = Date.now();
      },
    });
  }

  /** Leaves the group after the messages in hand are done; their offsets are committed. */
  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /** Why the consumer is unhealthy, if it is: crashed, or no heartbeat for a minute. */
  get failure(): string | undefined {
    if (this.crashed) return `consumer ${this.o.groupId} crashed: ${this.crashed}`;
    if (Date.now() - this.lastActivity > 60_000) return `consumer ${this.o.groupId} stalled: no heartbeat for 60 s`;
    return undefined;
  }

  private async handle(topic: Topic, partition: number, message: KafkaMessage): Promise<void> {
    const { groupId, handler, logger, maxAttempts, backoffMs } = this.o;
    const record: InboundRecord = {
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      value: message.value,
      headers: headersToStrings(message.headers),
    };
    const labels = { group: groupId, topic };
    for (let attempt = 1; ; attempt++) {
      const end = handleSeconds.startTimer(labels);
      try {
        await handler(record);
        end();
        consumedTotal.inc({ ...labels, outcome: 'handled' });
        return;
      } catch (err) {
        end();
        if (isPoison(err) || attempt >= maxAttempts) {
          await this.deadLetter(record, message, err as Error, attempt);
          return;
        }
        consumerRetriesTotal.inc(labels);
        logger.warn({ err, topic, partition, offset: message.offset, attempt }, 'handler failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(backoffMs * 2 ** (attempt - 1), 5000)));
      }
    }
  }

  private async deadLetter(record: InboundRecord, message: KafkaMessage, err: Error, attempts: number) {
    const { groupId, producer, topicPrefix, logger } = this.o;
    const reason = err instanceof ContractError ? err.detail : err.message;
    await producer.send({
      topic: physicalTopic(topicPrefix, TOPICS.dlq),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...record.headers,
            [DLQ_HEADERS.topic]: record.topic,
            [DLQ_HEADERS.partition]: String(record.partition),
            [DLQ_HEADERS.offset]: record.offset,
            [DLQ_HEADERS.group]: groupId,
            [DLQ_HEADERS.error]: reason.slice(0, 2000),
            [DLQ_HEADERS.attempts]: String(attempts),
            [DLQ_HEADERS.failedAt]: new Date().toISOString(),
          },
        },
      ],
    });
    consumedTotal.inc({ group: groupId, topic: record.topic, outcome: 'dead-lettered' });
    logger.error(
      { topic: record.topic, partition: record.partition, offset: record.offset, group: groupId, reason, attempts },
      'message dead-lettered',
    );
  }
}
