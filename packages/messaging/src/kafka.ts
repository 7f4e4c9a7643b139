import { TOPIC_CONFIGS, TOPIC_PARTITIONS, TOPICS, type Topic } from '@gridcase/contracts';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { BrokerOutage, isBrokerUnreachable, trackOutages } from './broker-outage.ts';

export interface BusConfig {
  brokers: string[];
  clientId: string;
  /** Prepended to every topic name; lets test stacks share one broker without seeing each other. */
  topicPrefix: string;
}

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs lines that describe normal operation here: rebalances, and its warning about bounded
 * retries on an idempotent producer — ours are bounded on purpose (ProducerHandle replaces a producer
 * that gave up, and the relay resends the same rows in order; consumers' inboxes absorb a duplicate).
 */
const ROUTINE = /The group is rebalancing|The coordinator is not aware of this member|Limiting retries for the idempotent producer/;

/** A consumer's crash and restart, which the consumer runner logs itself (consumer.ts onCrash), once. */
const CRASH_TOLD_BY_RUNNER = /^Crash: |^Restarting the consumer in/;

/**
 * Errors a broker answers while it starts, elects a leader or moves a coordinator: kafkajs logs each
 * answer (`Response GroupCoordinator…`) at error, then retries it. A fresh stack printed error lines on
 * every start though nothing failed; they are warnings. Retries that run out reach our code as a thrown
 * error, which is logged where it is handled.
 */
const TRANSIENT_RESPONSE =
  /coordinator is loading|coordinator is not available|not the leader for that topic-partition|no leader for this topic-partition|does not host this topic-partition|leader is not available/i;

/** Whether an error's description is a broker answer it gives while it starts or moves a leader (retried). */
export const isTransientBrokerAnswer = (reason: string): boolean => TRANSIENT_RESPONSE.test(reason);

/** The pino level a kafkajs line is logged at, or undefined for a line not worth logging. */
export function kafkajsLogLevel(level: number, message: string, error: string): 'error' | 'warn' | 'info' | 'debug' | undefined {
  if (ROUTINE.test(message) || ROUTINE.test(error) || CRASH_TOLD_BY_RUNNER.test(message)) return undefined;
  const pinoLevel = levels[level] ?? 'info';
  return pinoLevel === 'error' && message.startsWith('Response ') && TRANSIENT_RESPONSE.test(error) ? 'warn' : pinoLevel;
}

export function createKafka(config: BusConfig, logger: Logger): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  const outage = new BrokerOutage(logger);
  const kafka = new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    connectionTimeout: 3000,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: { message, ...extra } }) => {
        const error = typeof extra.error === 'string' ? extra.error : '';
        // A broker away: one line when it starts and one when it answers again (BrokerOutage), not one per attempt.
        if (level <= logLevel.WARN && isBrokerUnreachable(message, error)) return outage.unreachable('kafkajs', error || message);
        // Routine noise while a group rebalances or a broker restarts; the consumer runner reports what matters.
        const at = kafkajsLogLevel(level, message, error);
        if (at) log[at]({ ...extra, timestamp: undefined, logger: undefined }, message);
      },
  });
  trackOutages(kafka, outage);
  return kafka;
}

export const physicalTopic = (prefix: string, topic: Topic | string): string => `${prefix}${topic}`;

export const logicalTopic = (prefix: string, physical: string): string =>
  prefix && physical.startsWith(prefix) ? physical.slice(prefix.length) : physical;

/** A topic's settings from TOPIC_CONFIGS (e.g. `cleanup.policy=compact` for the reference topic). */
const topicConfigEntries = (prefix: string, physical: string): { name: string; value: string }[] =>
  Object.entries(TOPIC_CONFIGS[logicalTopic(prefix, physical) as Topic] ?? {}).map(([name, value]) => ({ name, value }));

/**
 * Creates every gridcase topic that is missing and waits until each partition has a leader.
 * Safe to run from many processes at once. A new topic's metadata reaches the broker's cache a
 * moment after creation ("does not host this topic-partition"), so the wait polls until it does.
 */
export async function ensureTopics(kafka: Kafka, prefix: string, partitions = TOPIC_PARTITIONS, timeoutMs = 30_000): Promise<void> {
  const topics = Object.values(TOPICS).map((t) => physicalTopic(prefix, t));
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length) {
      await admin.createTopics({
        // kafkajs's own wait gives up on "does not host this topic-partition"; the loop below retries it.
        waitForLeaders: false,
        // -1: the broker's default.replication.factor, so a production cluster (3, with
        // min.insync.replicas=2) gets replicated topics and the single dev broker gets 1.
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: -1, configEntries: topicConfigEntries(prefix, topic) })),
      });
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const { topics: meta } = await admin.fetchTopicMetadata({ topics });
        if (meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
      if (Date.now() > deadline) throw new Error(`topics have no leader after ${timeoutMs} ms: ${topics.join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Idempotent producer with acks=all: a retried send is never written twice. */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // Murmur2 like the Java client, so other systems' producers and ours agree on a key's partition.
    createPartitioner: Partitioners.DefaultPartitioner,
    // Bounded (about 10 s): a send that gives up fails its caller (the relay rolls back and resends the
    // same rows in order; the DLQ writer retries), and ProducerHandle replaces the producer, whose
    // sequence numbers are unknown after a failure. Endless retries here hid a stuck broker for good.
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
  });
}

/**
 * Whether the brokers answer, for a service waiting for them at start: one connection attempt per
 * ping, no retries and no kafkajs log lines (the one waiting logs each failed attempt once).
 */
export function kafkaProbe(config: Pick<BusConfig, 'brokers' | 'clientId'>): { ping(): Promise<void>; close(): Promise<void> } {
  return kafkaPinger(
    new Kafka({ clientId: config.clientId, brokers: config.brokers, connectionTimeout: 3000, retry: { retries: 0 }, logLevel: logLevel.NOTHING }),
  );
}

/**
 * Readiness: a metadata request that answers, on one admin connection kept for the purpose. No
 * retries: a broker that is away fails the ping, and a failed ping drops the connection so the next
 * one starts afresh rather than wait on a dead socket.
 */
export function kafkaPinger(kafka: Kafka): { ping(): Promise<void>; close(): Promise<void> } {
  const admin = kafka.admin({ retry: { retries: 0, maxRetryTime: 1000 } });
  let connected: Promise<void> | undefined;
  return {
    async ping() {
      try {
        connected ??= admin.connect();
        await connected;
        await admin.describeCluster();
      } catch (err) {
        connected = undefined;
        void admin.disconnect().catch(() => {});
        throw err;
      }
    },
    close: () => admin.disconnect(),
  };
}
