import type { Kafka, Producer, ProducerBatch, ProducerRecord, RecordMetadata } from 'kafkajs';
import type { Logger } from 'pino';
import { brokerOutageOf, isBrokerUnreachable } from './broker-outage.ts';
import { describeError, isTopicMissing, TimeoutError } from './errors.ts';
import { createProducer, ensureTopics } from './kafka.ts';
import { producerRecreatedTotal } from './metrics.ts';

/** Settles like `promise`, or rejects with a TimeoutError after `ms`; the work itself is not cancelled. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ProducerHandleOptions {
  kafka: Kafka;
  topicPrefix: string;
  logger: Logger;
  /** Bound on one send, the producer's own retries included. */
  sendTimeoutMs?: number;
}

/**
 * The service's one idempotent producer, replaced by a fresh one after any failed send. A failed or
 * timed-out send leaves an idempotent producer's sequence numbers unknown ("out of order sequence
 * number" for good); a new producer id starts clean. A topic found missing (the broker lost its
 * data) is created again. The relay, the DLQ writer and replays share it.
 */
export class ProducerHandle {
  private readonly o: Required<ProducerHandleOptions>;
  private current: Producer;
  private connecting: Promise<void> | undefined;
  private generation = 0;
  private closed = false;

  constructor(options: ProducerHandleOptions) {
    this.o = { sendTimeoutMs: 30_000, ...options };
    this.current = createProducer(this.o.kafka);
  }

  /** The producer in use now; do not keep it, the next failure replaces it. */
  get producer(): Producer {
    return this.current;
  }

  async connect(): Promise<void> {
    this.connecting ??= this.current.connect().catch((err: unknown) => {
      this.connecting = undefined;
      throw err;
    });
    await this.connecting;
  }

  send(record: ProducerRecord, timeoutMs?: number): Promise<RecordMetadata[]> {
    return this.run((p) => p.send(record), timeoutMs);
  }

  sendBatch(batch: ProducerBatch, timeoutMs?: number): Promise<RecordMetadata[]> {
    return this.run((p) => p.sendBatch(batch), timeoutMs);
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    await this.current.disconnect();
  }

  private async run<T>(op: (p: Producer) => Promise<T>, timeoutMs = this.o.sendTimeoutMs): Promise<T> {
    const generation = this.generation;
    const producer = this.current;
    try {
      const sent = await withTimeout(
        this.connect().then(() => op(producer)),
        timeoutMs,
        'kafka send',
      );
      brokerOutageOf(this.o.kafka)?.answered();
      return sent;
    } catch (err) {
      await this.recover(generation, err);
      throw err;
    }
  }

  private async recover(generation: number, err: unknown): Promise<void> {
    const { kafka, logger } = this.o;
    await ensureTopicsAfter(err, this.o);
    // Two senders failing on the same producer replace it once.
    if (generation !== this.generation || this.closed) return;
    this.generation++;
    const old = this.current;
    this.current = createProducer(kafka);
    this.connecting = undefined;
    producerRecreatedTotal.inc();
    const reason = describeError(err);
    const outage = brokerOutageOf(kafka);
    // The broker away: the outage's one line says so; a send refused by a broker that answers is worth a line each.
    if (outage && isBrokerUnreachable(reason)) outage.unreachable('producer', reason);
    else logger.warn({ reason }, 'kafka send failed; replaced the producer with a fresh idempotent one');
    // The old one may still hold a send in its retries; disconnecting ends them.
    void withTimeout(old.disconnect(), 10_000, 'producer disconnect').catch(() => {});
  }
}

/**
 * After a failed send: a topic found missing (the broker lost its data) is created again. Bounded:
 * with the broker away this fails too, and the caller's next attempt tries again.
 */
export async function ensureTopicsAfter(
  err: unknown,
  { kafka, topicPrefix, logger }: Pick<ProducerHandleOptions, 'kafka' | 'topicPrefix' | 'logger'>,
  topicMissing: (err: unknown) => boolean = isTopicMissing,
): Promise<void> {
  if (!topicMissing(err)) return;
  await withTimeout(ensureTopics(kafka, topicPrefix), 15_000, 'ensuring topics').then(
    () => logger.info('ensured topics after a send failed'),
    (e: unknown) => logger.warn({ reason: describeError(e) }, 'could not ensure topics'),
  );
}
