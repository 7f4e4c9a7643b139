import { createRequire } from 'node:module';
import type { MessageToProduce, ProduceResult, Producer } from '@platformatic/kafka';
import type { IHeaders, ProducerBatch } from 'kafkajs';
import { describeError, isTopicMissing } from './errors.ts';
import { producerRecreatedTotal } from './metrics.ts';
import { ensureTopicsAfter, ProducerHandle, type ProducerHandleOptions, withTimeout } from './producer.ts';

/**
 * Which Kafka client publishes the outbox: `KAFKA_CLIENT=platformatic` selects @platformatic/kafka,
 * anything else (or nothing) kafkajs, the stack's client. Only the relay's producer changes; the
 * consumer runner, the DLQ writer, replays and the admin stay on kafkajs (issue 12, part 4).
 */
export type KafkaClientName = 'kafkajs' | 'platformatic';

export function kafkaClientFrom(env: Record<string, string | undefined> = process.env): KafkaClientName {
  const name = env.KAFKA_CLIENT ?? 'kafkajs';
  if (name !== 'kafkajs' && name !== 'platformatic') throw new Error(`KAFKA_CLIENT must be kafkajs or platformatic, not ${JSON.stringify(name)}`);
  return name;
}

type Library = typeof import('@platformatic/kafka');
let library: Library | undefined;

/**
 * @platformatic/kafka itself, loaded when the first producer on it is made, not with this module: its
 * 330 modules held about 10 MB of every service's heap (20 MB of RSS in a bare process), and only
 * `KAFKA_CLIENT=platformatic` uses it.
 */
const platformatic = (): Library => (library ??= createRequire(import.meta.url)('@platformatic/kafka') as Library);

export interface PlatformaticProducerHandleOptions extends ProducerHandleOptions {
  brokers: string[];
  clientId: string;
}

type Platformatic = Producer<Buffer, Buffer, Buffer, Buffer>;

/**
 * The outbox relay's producer on @platformatic/kafka, with ProducerHandle's contract: idempotent,
 * acks=all, murmur2 partitioning as kafkajs's DefaultPartitioner and the Java client have (a key
 * lands on the same partition whichever client sent it, so switching keeps per-key order); bounded
 * sends; after any failed send a fresh producer (new producer id, clean sequence numbers); a topic
 * found missing is created again (through kafkajs's admin, as everywhere else).
 */
export class PlatformaticProducerHandle {
  private readonly o: Required<PlatformaticProducerHandleOptions>;
  private current: Platformatic;
  private generation = 0;
  private closed = false;

  constructor(options: PlatformaticProducerHandleOptions) {
    this.o = { sendTimeoutMs: 30_000, ...options };
    this.current = this.create();
  }

  /** Nothing to do: the client connects on its first send. Here for ProducerHandle's shape. */
  async connect(): Promise<void> {}

  /** Sends a kafkajs-shaped batch (what the relay builds); acks and timeout in it are ignored: always acks=all, bounded by `timeoutMs`. */
  async sendBatch(batch: ProducerBatch, timeoutMs = this.o.sendTimeoutMs): Promise<ProduceResult> {
    const messages = (batch.topicMessages ?? []).flatMap(({ topic, messages }) =>
      messages.map((m): MessageToProduce<Buffer, Buffer, Buffer, Buffer> => ({
        topic,
        key: bufferOf(m.key),
        value: bufferOf(m.value),
        headers: headersOf(m.headers),
        ...(m.partition === undefined ? {} : { partition: m.partition }),
      })),
    );
    const generation = this.generation;
    const producer = this.current;
    try {
      return await withTimeout(producer.send({ messages }), timeoutMs, 'kafka send');
    } catch (err) {
      await this.recover(generation, err);
      throw err;
    }
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    await this.current.close(true);
  }

  private create(): Platformatic {
    const { Producer, ProduceAcks, compatibilityPartitioner } = platformatic();
    return new Producer({
      clientId: this.o.clientId,
      bootstrapBrokers: this.o.brokers,
      idempotent: true,
      acks: ProduceAcks.ALL,
      partitioner: compatibilityPartitioner,
      autocreateTopics: false,
      connectTimeout: 3000,
      // Bounded, as kafkajs's producer is here: a send that gives up fails the relay's pass, which resends the same rows.
      retries: 5,
      retryDelay: 200,
    });
  }

  private async recover(generation: number, err: unknown): Promise<void> {
    const { logger } = this.o;
    await ensureTopicsAfter(err, this.o, topicMissing);
    // Two senders failing on the same producer replace it once.
    if (generation !== this.generation || this.closed) return;
    this.generation++;
    const old = this.current;
    this.current = this.create();
    producerRecreatedTotal.inc();
    logger.warn({ reason: describeError(err) }, 'kafka send failed; replaced the producer with a fresh idempotent one (@platformatic/kafka)');
    void withTimeout(old.close(true), 10_000, 'producer close').catch(() => {});
  }
}

/** The outbox relay's producer for the client `KAFKA_CLIENT` names. */
export function createRelayProducer(
  options: PlatformaticProducerHandleOptions,
  client: KafkaClientName = kafkaClientFrom(),
): ProducerHandle | PlatformaticProducerHandle {
  return client === 'platformatic' ? new PlatformaticProducerHandle(options) : new ProducerHandle(options);
}

const topicMissing = (err: unknown): boolean =>
  // Without the library loaded no error can be one of its own.
  isTopicMissing(err) || (library !== undefined && err instanceof Error && library.findErrorBy(err, 'apiId', 'UNKNOWN_TOPIC_OR_PARTITION') !== null);

function bufferOf(v: Buffer | string | null | undefined): Buffer | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? Buffer.from(v) : v;
}

function headersOf(headers: IHeaders | undefined): Map<Buffer, Buffer> | undefined {
  if (!headers) return undefined;
  const map = new Map<Buffer, Buffer>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    // One value per header here: the outbox stores a header as one string.
    if (Array.isArray(value)) throw new Error(`header ${name} has several values; the platformatic relay producer sends one`);
    map.set(Buffer.from(name), bufferOf(value)!);
  }
  return map;
}
