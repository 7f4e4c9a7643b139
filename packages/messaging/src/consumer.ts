import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DLQ_HEADERS, TOPICS, type Topic } from '@gridcase/contracts';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { brokerOutageOf, isBrokerUnreachable } from './broker-outage.ts';
import { classifyError, DEAD_LETTER_REASONS, deadLetterReason, describeError, isTopicMissing, PoisonError } from './errors.ts';
import { ensureTopics, isTransientBrokerAnswer, logicalTopic, physicalTopic } from './kafka.ts';
import {
  consumedTotal,
  consumerRetriesTotal,
  consumerRunFallbacksTotal,
  consumerRunRecords,
  consumerRetrying,
  deadLetterTruncatedTotal,
  deadLetterWrittenTotal,
  handleSeconds,
  watchConsumer,
} from './metrics.ts';
import { deadLetterIdentity } from './dead-letter-log.ts';
import { headersAsSent, readHeaders } from './headers.ts';
import { ProducerHandle, withTimeout } from './producer.ts';
import { recordBytes } from './record-bytes.ts';
import { STALL_AFTER_MS, StallWatch } from './stall.ts';
import { inSpanFrom } from './trace.ts';

/** A record as a handler sees it: the logical topic, string key and headers, raw value. */
export interface InboundRecord {
  topic: Topic;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  /** Each header's value; of a header the record carries more than once, the first (every one is in `repeatedHeaders`). */
  headers: Record<string, string>;
  /**
   * Every value, in order, of each header the record carries more than once (Kafka allows it): a handler to
   * which a header names one thing (intake's `client-id`) refuses the record rather than take the first.
   * Absent when no header repeats. A dead letter keeps them all.
   */
  repeatedHeaders?: Record<string, string[]>;
}

export type RecordHandler = (record: InboundRecord) => Promise<void>;

/** What a transactional handler wants done once the transaction that handled its record committed. */
export type AfterCommit = () => void;

/**
 * A handler whose work runs inside a transaction the runner opens (the service's `db.transaction`):
 * for a run of a partition's records, one transaction handles them all, in order; a record the run
 * cannot carry (a poison record, a fault, a lock conflict) makes the run roll back and its records
 * are handled again one per transaction, with the usual retries and dead letters. Each record's
 * inbox claim and effects commit with its run or not at all, so exactly-once holds either way, and a
 * partition's records are handled in offset order either way, so per-case order holds.
 */
export interface TransactionalHandler<Tx = unknown> {
  /** Opens a transaction and runs `work` in it (commits when it returns, rolls back when it throws). */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Handles one record inside `tx`; may return what to do after the commit (a log line, a wake-up). */
  handle(tx: Tx, record: InboundRecord): Promise<AfterCommit | undefined>;
  /** Records per transaction at most (default 100): bounds how long a run holds its locks. */
  maxRecords?: number;
}

export interface ConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: Topic[];
  topicPrefix: string;
  /** One record at a time (the handler opens its own transaction), or a transactional handler that runs of records share. */
  handler: RecordHandler | TransactionalHandler;
  /** Producer used to dead-letter; the service's idempotent producer (a handle replaces it after failures). */
  producer: Producer | ProducerHandle;
  logger: Logger;
  /** Attempts for an error that is neither poison nor transient (likely a bug) before it is dead-lettered. */
  maxAttempts?: number;
  /** First wait after such an error; doubles up to 5 s. */
  backoffMs?: number;
  /** First wait after a transient error; doubles (with jitter) up to `maxTransientBackoffMs`, without limit on attempts. */
  transientBackoffMs?: number;
  maxTransientBackoffMs?: number;
  partitionsConsumedConcurrently?: number;
  /**
   * What the DLQ keeps as the value of a dead letter instead of the raw value (e.g. without personal
   * data); null writes no value. When it throws, a stub (size and hash, marked `dlq-truncated`) is written instead.
   * `room` is the most bytes the value may take beside the dead letter's key and headers (maxDeadLetterBytes):
   * a larger one is replaced by a stub, which no replay can use, so a value that keeps its original elsewhere
   * should then be the reference alone.
   */
  deadLetterValue?: (record: InboundRecord, reason: string, room: number) => Promise<Buffer | null>;
  /**
   * A record's key as it may leave this service, in the dead letter and the span's attributes: another
   * system's key may be made of personal data (intake's inbound key is the sender's externalId). As it is by default.
   */
  keyOut?: (key: string) => string;
  /**
   * The system that sent a record, named in the dead-letter log line (`sender`) so an operator can tell whose it
   * was; default none. Read from what the record carries (a header) as the service itself decides its sender, and
   * given as it may leave this service (without personal data); the line cuts it to MAX_LOGGED_TEXT characters.
   */
  senderOf?: (record: InboundRecord) => string | undefined;
  /** A dead letter larger than this (value + key + headers) is written as a stub; the broker's default limit is ~1 MiB. */
  maxDeadLetterBytes?: number;
  /**
   * The records come from other systems (gridcase.reports.inbound): one the handler refuses (PoisonError) is the
   * sender's mistake, logged at warn (the DLQ and its metric tell the sender's operators), not at
   * error, which is kept for records of our own that we could not handle.
   */
  fromOtherSystems?: boolean;
  /**
   * For a consumer off the path a report takes to its officers (a read model, a mirror): how long the
   * broker may hold a fetch while records gather (Kafka's fetch.max.wait.ms, with a fetch.min.bytes of
   * FETCH_WINDOW_MIN_BYTES). It then handles them in fewer, larger runs, and does not wake for every
   * event at the very moment the path's own consumers handle it. 0: a fetch answers as soon as one
   * record is there.
   */
  fetchWindowMs?: number;
  /** How long without a heartbeat (or a record finished) before the consumer counts as stalled; 60 s by default. */
  stallAfterMs?: number;
}

/** What ends a fetch window early: a backlog (a catch-up) is handled at once, in runs as large as they come. */
export const FETCH_WINDOW_MIN_BYTES = 256 * 1024;

type Options = Required<Omit<ConsumerOptions, 'deadLetterValue' | 'senderOf' | 'handler'>> & Pick<ConsumerOptions, 'deadLetterValue' | 'senderOf'> & { handler: RecordHandler };

const asItIs = (key: string) => key;

const isTransactional = (h: RecordHandler | TransactionalHandler): h is TransactionalHandler => typeof h !== 'function';

/** One record handled in a transaction of its own: what a run falls back to, and a retry is. */
const singly =
  (h: TransactionalHandler): RecordHandler =>
  async (record) => {
    const after = await h.transaction((tx) => h.handle(tx, record));
    runAfterCommit([after]);
  };

function runAfterCommit(actions: readonly (AfterCommit | undefined)[]): void {
  for (const action of actions) {
    // Committed already: a failing log line or wake-up must not make the records be handled again.
    try {
      action?.();
    } catch {}
  }
}

const toRecord = (topic: Topic, partition: number, message: KafkaMessage): InboundRecord => ({
  topic,
  partition,
  offset: message.offset,
  key: message.key?.toString() ?? null,
  value: message.value,
  ...readHeaders(message.headers),
});

/** Doubling from `first` up to `max`, with up to 20% jitter so partitions and replicas do not retry in step. */
export const backoffDelay = (first: number, max: number, attempt: number): number =>
  Math.min(first * 2 ** Math.min(attempt, 30), max) * (0.8 + Math.random() * 0.2);

/** Errors by which kafkajs tells the partition is no longer ours (or the group is changing). */
const isGroupChange = (err: unknown) =>
  ['REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'NOT_COORDINATOR_FOR_GROUP'].includes(
    (err as { type?: string }).type ?? '',
  );

class ConsumerStopping extends Error {}

interface RetryState {
  offset: string;
  attempts: number;
  transient: number;
  unknown: number;
  since: number;
}

/**
 * Runs a consumer group. Each message is handled (the handler does its own inbox + transaction);
 * the offset is marked only after the handler returned, i.e. after its transaction committed, so a
 * crash redelivers rather than loses. A failure is judged by `classifyError`:
 * - poison (contract or data errors) is dead-lettered at once;
 * - transient (database, broker, network away) is retried without limit, backing off to 30 s; only
 *   that partition waits (paused), the group session stays alive, so an outage delays messages but
 *   never dead-letters them or breaks their order;
 * - anything else (likely a bug) gets `maxAttempts` tries, then the DLQ.
 * A consumer that kafkajs gives up on is recreated here, with backoff.
 */
export class ConsumerRunner {
  private readonly o: Options;
  private consumer: Consumer | undefined;
  private running = false;
  private stopping = new AbortController();
  private crashed: string | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarts = 0;
  /** Heartbeats and finished records; tells when they stop. */
  private readonly stall: StallWatch;
  private unwatch: (() => void) | undefined;
  /** The message each partition is retrying, if any; kept across the pause so attempts add up. */
  private readonly retries = new Map<string, RetryState>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  /** Set when runs of records share a transaction. */
  private readonly runs: TransactionalHandler | undefined;

  constructor(options: ConsumerOptions) {
    const { handler } = options;
    this.runs = isTransactional(handler) ? handler : undefined;
    // One message per partition at a time keeps per-case order; more than 3 at once only adds CPU contention here (bench).
    this.o = {
      maxAttempts: 5,
      backoffMs: 200,
      transientBackoffMs: 200,
      maxTransientBackoffMs: 30_000,
      partitionsConsumedConcurrently: 3,
      maxDeadLetterBytes: 900_000,
      fromOtherSystems: false,
      fetchWindowMs: 0,
      keyOut: asItIs,
      stallAfterMs: STALL_AFTER_MS,
      ...options,
      handler: isTransactional(handler) ? singly(handler) : handler,
    };
    this.stall = new StallWatch({ group: this.o.groupId, logger: this.o.logger, stallAfterMs: this.o.stallAfterMs });
  }

  async start(): Promise<void> {
    // Every series a dead letter of this consumer adds to, shown at 0 from the start: a scrape tells none
    // written from no metric, and an increase() alert sees the first one.
    for (const topic of this.o.topics) {
      const labels = { group: this.o.groupId, topic };
      for (const reason of DEAD_LETTER_REASONS) deadLetterWrittenTotal.inc({ ...labels, reason }, 0);
      deadLetterTruncatedTotal.inc(labels, 0);
      consumedTotal.inc({ ...labels, outcome: 'dead-lettered' }, 0);
    }
    this.running = true;
    this.stopping = new AbortController();
    this.stall.beat();
    this.unwatch ??= watchConsumer(this.o.groupId, () => this.failure !== undefined);
    await this.startConsumer();
  }

  /** Leaves the group after the messages in hand are done (a retry wait ends at once); their offsets are committed. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.unwatch?.();
    this.unwatch = undefined;
    clearTimeout(this.restartTimer);
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    await this.consumer?.disconnect();
  }

  /** The consumer group and the logical topics it reads (for the lag gauge). */
  get subscription(): { groupId: string; topics: readonly Topic[] } {
    return { groupId: this.o.groupId, topics: this.o.topics };
  }

  /** Why the consumer is unhealthy, if it is: crashed (and not yet restarted), or no heartbeat for a minute. */
  get failure(): string | undefined {
    if (this.crashed) return `consumer ${this.o.groupId} crashed: ${this.crashed}`;
    if (this.stall.stalled) return `consumer ${this.o.groupId} stalled: no heartbeat for ${this.stall.stallAfterMs / 1000} s`;
    return undefined;
  }

  private async startConsumer(): Promise<void> {
    const { kafka, groupId, topics, topicPrefix, logger, fetchWindowMs } = this.o;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      allowAutoTopicCreation: false,
      retry: { retries: 10 },
      // A resumed partition joins the next fetch; a shorter long-poll keeps a retry from waiting up to 5 s for it.
      ...(fetchWindowMs > 0 ? { minBytes: FETCH_WINDOW_MIN_BYTES, maxWaitTimeInMs: fetchWindowMs } : { maxWaitTimeInMs: 1000 }),
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (e) => this.onCrash(consumer, e.payload.error, e.payload.restart));
    consumer.on(consumer.events.HEARTBEAT, () => {
      this.stall.beat();
      this.restarts = 0;
      brokerOutageOf(kafka)?.answered();
    });
    try {
      await consumer.connect();
      const subscribe = () =>
        consumer.subscribe({ topics: topics.map((t) => physicalTopic(topicPrefix, t)), fromBeginning: true });
      await subscribe().catch(async (err: unknown) => {
        if (!isTopicMissing(err)) throw err;
        // The broker lost its data (or nobody created the topics): create them and carry on.
        logger.warn({ groupId }, 'subscribed topics are missing; creating them');
        await ensureTopics(kafka, topicPrefix);
        await subscribe();
      });
      await consumer.run({
        autoCommit: true,
        autoCommitInterval: 1000,
        partitionsConsumedConcurrently: this.o.partitionsConsumedConcurrently,
        // Offsets are resolved one message at a time, only once handled or dead-lettered.
        eachBatchAutoResolve: false,
        eachBatch: (payload) => this.handleBatch(payload),
      });
    } catch (err) {
      await consumer.disconnect().catch(() => {});
      throw err;
    }
  }

  private onCrash(consumer: Consumer, error: Error, restart: boolean): void {
    if (consumer !== this.consumer || !this.running) return;
    const { logger, groupId, kafka, topicPrefix } = this.o;
    const reason = describeError(error);
    if (isTopicMissing(error)) {
      void withTimeout(ensureTopics(kafka, topicPrefix), 30_000, 'ensuring topics').catch((err: unknown) =>
        logger.warn({ reason: describeError(err) }, 'could not ensure topics after the consumer lost them'),
      );
    }
    if (restart) {
      // The broker away: the outage's one line says so for every consumer and producer of the process.
      const outage = brokerOutageOf(kafka);
      if (outage && isBrokerUnreachable(reason)) outage.unreachable(`consumer ${groupId}`, reason);
      // A broker just back loads its groups before it serves them: routine, not a warning.
      else if (isTransientBrokerAnswer(reason)) logger.info({ groupId, reason }, 'consumer restarting while the broker loads its group; kafkajs restarts it');
      else logger.warn({ groupId, reason }, 'consumer crashed; kafkajs restarts it');
      return;
    }
    this.crashed = reason;
    logger.error({ groupId, reason }, 'consumer crashed and kafkajs gave up on it; recreating it');
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (!this.running || this.restartTimer) return;
    const delay = backoffDelay(1000, 30_000, this.restarts++);
    this.restartTimer = setTimeout(async () => {
      this.restartTimer = undefined;
      await this.consumer?.disconnect().catch(() => {});
      if (!this.running) return;
      try {
        await this.startConsumer();
        this.crashed = undefined;
        this.o.logger.info({ groupId: this.o.groupId }, 'consumer recreated');
      } catch (err) {
        this.crashed = describeError(err);
        this.o.logger.error({ groupId: this.o.groupId, reason: this.crashed }, 'could not recreate the consumer; will retry');
        this.scheduleRestart();
      }
    }, delay);
  }

  /**
   * Handles a batch of one partition in order. A message to retry pauses only its partition and
   * leaves its offset unresolved: the fetcher serves the other partitions meanwhile (a wait in
   * here would hold the fetch of every partition on the broker), and once resumed the partition is
   * fetched again from that message, so its order holds. The session is unaffected: kafkajs keeps
   * heartbeating while nothing of ours blocks.
   */
  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, pause }: EachBatchPayload): Promise<void> {
    const topic = logicalTopic(this.o.topicPrefix, batch.topic) as Topic;
    const { messages } = batch;
    for (let next = 0; next < messages.length; ) {
      if (!isRunning() || isStale() || !this.running) return;
      // A run shares one transaction, unless the partition is retrying a record: that one goes alone.
      const run = this.runs && !this.retries.has(`${topic}|${batch.partition}`) ? messages.slice(next, next + (this.runs.maxRecords ?? 100)) : [];
      if (run.length > 1 && (await this.handleRun(topic, batch.partition, run))) {
        resolveOffset(run.at(-1)!.offset);
        next += run.length;
        this.stall.beat();
        await heartbeat();
        continue;
      }
      // One at a time: no run, a run of one, or a run that rolled back (its records are handled again singly).
      for (const message of run.length > 1 ? run : [messages[next]!]) {
        if (!isRunning() || isStale() || !this.running) return;
        const retryInMs = await this.handle(topic, batch.partition, message, heartbeat);
        if (retryInMs !== undefined) {
          const resume = pause();
          const timer = setTimeout(() => {
            this.resumeTimers.delete(timer);
            resume();
          }, retryInMs);
          this.resumeTimers.add(timer);
          return;
        }
        resolveOffset(message.offset);
        next++;
        this.stall.beat();
        await heartbeat();
      }
    }
  }

  /**
   * Handles a run of one partition's records in one transaction, each in its own span. False when
   * it rolled back: the caller handles the same records one by one, which finds the one at fault.
   */
  private async handleRun(topic: Topic, partition: number, messages: KafkaMessage[]): Promise<boolean> {
    const runs = this.runs!;
    const labels = { group: this.o.groupId, topic };
    const started = performance.now();
    try {
      const after = await runs.transaction(async (tx) => {
        const actions: (AfterCommit | undefined)[] = [];
        for (const message of messages) {
          const record = toRecord(topic, partition, message);
          actions.push(await inSpanFrom(record.headers, this.spanSpec(record), () => runs.handle(tx, record)));
        }
        return actions;
      });
      runAfterCommit(after);
    } catch (err) {
      consumerRunFallbacksTotal.inc(labels);
      this.o.logger.debug({ topic, partition, records: messages.length, reason: describeError(err) }, 'a run of records rolled back; handling them one by one');
      return false;
    }
    // The histogram stays per message: a run's time is shared out over its records.
    const each = (performance.now() - started) / 1000 / messages.length;
    for (let i = 0; i < messages.length; i++) handleSeconds.observe(labels, each);
    consumedTotal.inc({ ...labels, outcome: 'handled' }, messages.length);
    consumerRunRecords.observe(labels, messages.length);
    return true;
  }

  private spanSpec(record: InboundRecord) {
    const destination = physicalTopic(this.o.topicPrefix, record.topic);
    return {
      name: `process ${destination}`,
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': destination,
        'messaging.consumer.group.name': this.o.groupId,
        'messaging.destination.partition.id': String(record.partition),
        'messaging.kafka.offset': Number(record.offset),
        ...(record.key ? { 'messaging.kafka.message.key': this.o.keyOut(record.key) } : {}),
      },
    };
  }

  /**
   * Handles one message in a span continuing the trace its traceparent header carries (not the
   * kafkajs instrumentation's per-batch span): outbox rows the handler writes carry this span on.
   */
  private handle(topic: Topic, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<number | undefined> {
    const record = toRecord(topic, partition, message);
    return inSpanFrom(record.headers, this.spanSpec(record), (span) => this.handleInSpan(record, message, heartbeat, span));
  }

  /** Handles one message: undefined when it is done (handled or dead-lettered), else how long to wait before retrying it. */
  private async handleInSpan(
    record: InboundRecord,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
    span: Span,
  ): Promise<number | undefined> {
    const { groupId, handler, logger, maxAttempts, backoffMs, transientBackoffMs, maxTransientBackoffMs } = this.o;
    const { topic, partition } = record;
    const labels = { group: groupId, topic };
    const where = { topic, partition, offset: message.offset };
    const slot = `${topic}|${partition}`;
    let retry = this.retries.get(slot);
    if (retry?.offset !== message.offset) retry = undefined;
    const attempt = (retry?.attempts ?? 0) + 1;
    const done = () => {
      if (!retry) return;
      this.retries.delete(slot);
      consumerRetrying.set({ ...labels, partition }, 0);
    };
    const end = handleSeconds.startTimer(labels);
    try {
      await handler(record);
      end();
      consumedTotal.inc({ ...labels, outcome: 'handled' });
      if (retry) logger.info({ ...where, attempts: attempt, seconds: (Date.now() - retry.since) / 1000 }, 'handler recovered');
      done();
      return undefined;
    } catch (err) {
      end();
      const kind = classifyError(err);
      const unknown = (retry?.unknown ?? 0) + (kind === 'unknown' ? 1 : 0);
      span.setStatus({ code: SpanStatusCode.ERROR, message: `${kind} error` });
      if (kind === 'poison' || unknown >= maxAttempts) {
        done();
        await this.deadLetter(record, message, err, attempt, heartbeat);
        return undefined;
      }
      consumerRetriesTotal.inc(labels);
      if (!retry) {
        consumerRetrying.set({ ...labels, partition }, 1);
        // One line per burst, not per attempt: an outage would otherwise flood the log.
        logger.warn({ ...where, kind, reason: describeError(err) }, 'handler failed; retrying this partition');
      }
      const transient = (retry?.transient ?? 0) + (kind === 'transient' ? 1 : 0);
      this.retries.set(slot, { offset: message.offset, attempts: attempt, transient, unknown, since: retry?.since ?? Date.now() });
      return kind === 'transient'
        ? backoffDelay(transientBackoffMs, maxTransientBackoffMs, transient - 1)
        : Math.min(backoffMs * 2 ** (unknown - 1), 5000);
    }
  }

  /**
   * Waits `ms` while keeping the group session alive. Throws when the consumer stops or the
   * group rebalances, so the message is left unhandled (not committed) and redelivered later.
   */
  private async wait(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (!this.running) throw new ConsumerStopping('consumer stopping');
      const left = deadline - Date.now();
      if (left <= 0) return;
      await sleep(Math.min(left, 1000), undefined, { signal: this.stopping.signal }).catch(() => {});
      if (!this.running) throw new ConsumerStopping('consumer stopping');
      try {
        await heartbeat();
      } catch (err) {
        if (isGroupChange(err)) throw err;
        // The broker is away too; the wait goes on and the next heartbeat tries again.
      }
    }
  }

  private async deadLetter(
    record: InboundRecord,
    message: KafkaMessage,
    err: unknown,
    attempts: number,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const { groupId, logger, deadLetterValue, maxDeadLetterBytes, fromOtherSystems, senderOf } = this.o;
    const reason = describeError(err);
    const raw = message.value;
    const stub = (): Buffer =>
      Buffer.from(
        JSON.stringify({
          truncated: true,
          originalBytes: raw?.length ?? 0,
          sha256: createHash('sha256')
            .update(raw ?? Buffer.alloc(0))
            .digest('hex'),
        }),
      );
    const dlqHeaders: Record<string, string> = {
      [DLQ_HEADERS.topic]: record.topic,
      [DLQ_HEADERS.partition]: String(record.partition),
      [DLQ_HEADERS.offset]: record.offset,
      [DLQ_HEADERS.group]: groupId,
      [DLQ_HEADERS.error]: reason,
      [DLQ_HEADERS.attempts]: String(attempts),
      [DLQ_HEADERS.failedAt]: new Date().toISOString(),
    };
    // A repeated header is kept with every value: a replay is the record as sent, not one that names only the first.
    const sentHeaders = headersAsSent(record);
    // The key byte for byte unless keyOut changed it.
    const keyOut = record.key === null ? null : this.o.keyOut(record.key);
    const key = keyOut === null || keyOut === record.key ? message.key : Buffer.from(keyOut);
    let value: Buffer | null = raw;
    let stubbed = false;
    for (let attempt = 0; deadLetterValue; attempt++) {
      try {
        value = await deadLetterValue(record, reason, maxDeadLetterBytes - recordBytes({ key, value: null, headers: { ...sentHeaders, ...dlqHeaders } }));
        break;
      } catch (e) {
        const where = { topic: record.topic, partition: record.partition, offset: record.offset, reason: describeError(e) };
        // What it needs is away (intake keeps the reporter in its database): the record waits, as a
        // handler's transient fault does. A stub now would lose it: the DLQ could not replay it.
        if (classifyError(e) === 'transient') {
          if (attempt === 0) logger.warn(where, 'deadLetterValue could not run; retrying before the record is dead-lettered');
          await this.wait(backoffDelay(this.o.transientBackoffMs, this.o.maxTransientBackoffMs, attempt), heartbeat);
          continue;
        }
        // Never fall back to the raw value: keeping it out of the DLQ is the point of deadLetterValue.
        logger.warn(where, 'deadLetterValue failed; writing a stub');
        value = stub();
        stubbed = true;
        break;
      }
    }
    // A stub is marked as one (replays skip it), also one written because deadLetterValue failed.
    let headers: Record<string, string | string[]> = { ...sentHeaders, ...dlqHeaders, ...(stubbed ? { 'dlq-truncated': 'true' } : {}) };
    const size = () => recordBytes({ key, value, headers });
    const truncate = () => {
      value = stub();
      stubbed = true;
      headers = { ...sentHeaders, ...dlqHeaders, 'dlq-truncated': 'true' };
      // Headers alone too large: keep only ours.
      if (size() > maxDeadLetterBytes) headers = { ...dlqHeaders, 'dlq-truncated': 'true' };
      deadLetterTruncatedTotal.inc({ group: groupId, topic: record.topic });
    };
    if (size() > maxDeadLetterBytes) truncate();
    for (let attempt = 0; ; attempt++) {
      try {
        await this.sendDeadLetter(key, value, headers);
        break;
      } catch (e) {
        if (!stubbed && classifyError(e) !== 'transient') {
          // Too large for the broker after all (or otherwise refused): the stub still records the failure.
          truncate();
          continue;
        }
        if (attempt === 0) logger.warn({ reason: describeError(e) }, 'could not write a dead letter; retrying');
        await this.wait(backoffDelay(this.o.transientBackoffMs, this.o.maxTransientBackoffMs, attempt), heartbeat);
      }
    }
    consumedTotal.inc({ group: groupId, topic: record.topic, outcome: 'dead-lettered' });
    deadLetterWrittenTotal.inc({ group: groupId, topic: record.topic, reason: deadLetterReason(err) });
    // Only the handler's own refusal (PoisonError) is the sender's; a ContractError or a data exception is ours.
    const level = fromOtherSystems && err instanceof PoisonError ? 'warn' : 'error';
    // Which record it was, for an operator: its key as it left (keyOut's), its sender, its event.
    const identity = deadLetterIdentity(record, keyOut, senderOf);
    logger[level](
      { topic: record.topic, partition: record.partition, offset: record.offset, group: groupId, reason, attempts, truncated: stubbed, ...identity },
      'message dead-lettered',
    );
  }

  private async sendDeadLetter(key: Buffer | null, value: Buffer | null, headers: Record<string, string | string[]>): Promise<void> {
    const { producer, topicPrefix } = this.o;
    const record = { topic: physicalTopic(topicPrefix, TOPICS.dlq), acks: -1, messages: [{ key, value, headers }] };
    if (producer instanceof ProducerHandle) await producer.send(record);
    else await withTimeout(producer.send(record), 30_000, 'dead-letter send');
  }
}
