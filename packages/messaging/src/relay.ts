import { createHash } from 'node:crypto';
import { DLQ_HEADERS, TOPICS } from '@gridcase/contracts';
import { commitNotifier, outboxChannel } from '@gridcase/db';
import type { Producer, ProducerBatch } from 'kafkajs';
import pg from 'pg';
import type { Logger } from 'pino';
import { SpanKind } from '@opentelemetry/api';
import { physicalTopic } from './kafka.ts';
import { outboxPassRows, outboxPublishedTotal, outboxTooLargeTotal, watchOutbox } from './metrics.ts';
import { describeError } from './errors.ts';
import { listenOn } from './listen.ts';
import { PlatformaticProducerHandle } from './platformatic.ts';
import { PollingLoop } from './polling.ts';
import { recordBytes } from './record-bytes.ts';
import { ProducerHandle, withTimeout } from './producer.ts';
import { endSpan, injectSpan, startSpanFrom, untraced } from './trace.ts';

const { escapeIdentifier, escapeLiteral } = pg;

export interface RelayOptions {
  pool: pg.Pool;
  schema: string;
  /** A ProducerHandle (either client's) is replaced after a failed send; a plain Producer is only bounded. */
  producer: Producer | ProducerHandle | PlatformaticProducerHandle;
  topicPrefix: string;
  logger: Logger;
  pollMs?: number;
  batchSize?: number;
  /** Sent rows older than this are pruned. */
  retainMs?: number;
  /** Bound on one batch's send; a stuck send fails the pass (rolled back, lock released, shown in `failure`). */
  sendTimeoutMs?: number;
  /** Under sustained load (see gatherDelayMs), how long a pass waits for more rows before it claims. */
  gatherMs?: number;
  /** Rows each of the last two passes must have sent for the next to wait gatherMs. */
  gatherAfter?: number;
  /** A message larger than this (key, value and headers) goes to gridcase.dlq as a stub, not to its topic (MAX_MESSAGE_BYTES). */
  maxMessageBytes?: number;
}

/**
 * The largest message the relay sends: the broker refuses one over its message.max.bytes (about 1 MiB
 * by default), and a refused row failed every pass of its batch, so the rows behind it were never sent
 * and the service stayed unready for good (audit18 #6). Such a row goes to gridcase.dlq as a stub
 * instead (its size, SHA-256, event id and type; the row itself stays in the outbox until pruned).
 */
export const MAX_MESSAGE_BYTES = 1_000_000;

interface OutgoingMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** The dead letter sent in place of a message too large for the broker (`bytes`, its recordBytes): what it was, never what it said. */
function tooLargeLetter(schema: string, row: OutboxRow, message: OutgoingMessage, bytes: number, limit: number): OutgoingMessage {
  const { id, type } = row.value as { id?: string; type?: string };
  return {
    key: message.key,
    value: JSON.stringify({ truncated: true, originalBytes: bytes, sha256: createHash('sha256').update(message.value).digest('hex'), id, type }),
    headers: {
      [DLQ_HEADERS.topic]: row.topic,
      [DLQ_HEADERS.group]: `${schema} outbox relay`,
      [DLQ_HEADERS.error]: `too large for the broker: ${bytes} bytes, at most ${limit}`,
      [DLQ_HEADERS.attempts]: '1',
      [DLQ_HEADERS.failedAt]: new Date().toISOString(),
      'dlq-truncated': 'true',
    },
  };
}

/**
 * How long the next pass waits before it claims, given what the last two sent. When rows arrive faster
 * than passes run (each of the last two passes found at least `gatherAfter`), a short wait lets more
 * gather, so one claim, one send and one update carry them: fewer round trips to Postgres and fewer
 * produce requests per row, which is CPU the rest of the service and the broker get back (Kafka's own
 * producers do the same with linger.ms). One busy pass is not enough (a burst after a stall would be
 * held back further); a light load never waits, so its latency is unchanged; a full batch does not
 * wait either, as more are certainly pending.
 */
export function gatherDelayMs(lastTwo: readonly [number, number], o: { gatherMs: number; gatherAfter: number; batchSize: number }): number {
  const [before, last] = lastTwo;
  if (o.gatherMs <= 0 || last >= o.batchSize) return 0;
  return Math.min(before, last) >= o.gatherAfter ? o.gatherMs : 0;
}

/** What the claim reads: the lock's answer, and a row when there was one to read. */
type ClaimedRow = { ok: boolean; id: string | null } & Omit<OutboxRow, 'id'>;

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  value: unknown;
  headers: Record<string, string>;
}

/**
 * Opens the pass's transaction, takes the schema's lock and reads a batch under it, in one round
 * trip (a relay passes once per commit it is woken by, so its round trips are a good share of
 * each hop's). Constant text (the schema and batch size are fixed), so the simple protocol's
 * several statements serve; no row comes back but the lock's answer when the lock is taken
 * elsewhere or nothing is pending. The rows are read after the lock is taken (lateral), and a row
 * another pass marked sent since this statement's snapshot is skipped: FOR UPDATE re-reads it.
 */
function claimSql(schema: string, batchSize: number): string {
  return `begin;
    select l.ok, o.id, o.topic, o.key, o.value, o.headers
      from (select pg_try_advisory_xact_lock(hashtext(${escapeLiteral(`outbox:${schema}`)})) as ok) l
      left join lateral (
        select id, topic, key, value, headers from ${escapeIdentifier(schema)}.outbox
         where l.ok and sent_at is null order by id limit ${Math.trunc(batchSize)} for update skip locked) o on true
     order by o.id`;
}

/**
 * Publishes a schema's outbox to Kafka in id order. Polling is the truth; NOTIFY only wakes it early.
 * One relay per schema publishes at a time (a transaction-scoped advisory lock), which keeps the
 * per-key order of the outbox even when several replicas run.
 */
export class OutboxRelay {
  private readonly o: Required<RelayOptions>;
  private readonly loop: PollingLoop;
  private unlisten: (() => void) | undefined;
  private listening: Promise<void> | undefined;
  private stopped = false;
  private lastPrune = 0;
  /** Rows the pass before last and the last pass sent (gatherDelayMs). */
  private lastTwo: [number, number] = [0, 0];
  private unwatch: (() => void) | undefined;
  private stopServingHere: (() => void) | undefined;
  /** Woken by a commit of this process (serveHere), which sent no NOTIFY, since the last pass that held the lock. */
  private wokenHere = false;
  /** The pass's opening query (claimSql), fixed for the relay's life. */
  private readonly claim: string;

  constructor(options: RelayOptions) {
    this.o = { pollMs: 500, batchSize: 500, retainMs: 3_600_000, sendTimeoutMs: 30_000, gatherMs: 25, gatherAfter: 8, maxMessageBytes: MAX_MESSAGE_BYTES, ...options };
    this.claim = claimSql(this.o.schema, this.o.batchSize);
    this.loop = new PollingLoop({
      name: `outbox relay (${this.o.schema})`,
      pollMs: this.o.pollMs,
      batchSize: this.o.batchSize,
      logger: this.o.logger,
      pass: async () => {
        // Re-LISTENs after the connection was lost; polling carries on meanwhile.
        if (!this.unlisten) this.listening ??= this.listen().finally(() => (this.listening = undefined));
        const wait = gatherDelayMs(this.lastTwo, this.o);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const sent = await this.publishBatch();
        this.lastTwo = [this.lastTwo[1], sent];
        if (sent < this.o.batchSize) await this.maybePrune();
        return sent;
      },
    });
  }

  async start(): Promise<void> {
    this.stopped = false;
    // Every series of this relay shown at 0 from the start: a scrape tells nothing published from no
    // metric, and an increase() alert sees the first one.
    const labels = { schema: this.o.schema };
    outboxTooLargeTotal.inc(labels, 0);
    outboxPublishedTotal.inc(labels, 0);
    outboxPassRows.zero(labels);
    this.unwatch = watchOutbox(this.o.pool, this.o.schema);
    await this.listen();
    // This process's commits wake this relay directly, without a NOTIFY: it publishes every pending row.
    this.stopServingHere = commitNotifier(this.o.pool).serveHere(outboxChannel(this.o.schema), () => {
      this.wokenHere = true;
      this.loop.wakeNow();
    });
    this.loop.start();
  }

  private async listen(): Promise<void> {
    try {
      this.unlisten = await listenOn({
        pool: this.o.pool,
        channel: outboxChannel(this.o.schema),
        onNotification: () => this.loop.wakeNow(),
        onLost: (err) => {
          this.unlisten = undefined;
          if (!this.stopped) {
            this.o.logger.warn({ reason: err && describeError(err) }, 'outbox relay lost its LISTEN connection; polling until it is back');
          }
        },
      });
      if (this.stopped) this.releaseListener();
    } catch (err) {
      // Without LISTEN the relay still works by polling.
      this.o.logger.warn({ reason: describeError(err) }, 'outbox relay could not LISTEN; polling only');
    }
  }

  private releaseListener(): void {
    const unlisten = this.unlisten;
    this.unlisten = undefined;
    unlisten?.();
  }

  /** Stops polling, then publishes whatever is still pending (bounded by the caller's shutdown timeout). */
  async stop(): Promise<void> {
    // From now on this process's commits NOTIFY, so another instance's relay publishes them.
    this.stopServingHere?.();
    this.stopServingHere = undefined;
    await this.loop.stop();
    try {
      while ((await this.publishBatch()) > 0) {}
    } catch (err) {
      this.o.logger.warn({ reason: describeError(err) }, 'outbox relay could not drain on shutdown; rows stay pending for the next start');
    }
    this.stopped = true;
    this.unwatch?.();
    await this.listening;
    this.releaseListener();
  }

  /** Why the relay is failing, if it is. */
  get failure(): string | undefined {
    return this.loop.lastError;
  }

  /** Publishes one batch in one transaction; returns how many rows it sent. */
  async publishBatch(): Promise<number> {
    const { pool, schema, topicPrefix } = this.o;
    const client = await pool.connect();
    try {
      // Cleared before the claim's snapshot is taken: the rows of the wake-ups so far are in it, and a
      // commit after this sets the flag again (and wakes the loop), so none of them is forgotten.
      const woken = this.wokenHere;
      this.wokenHere = false;
      const [, claimed] = (await client.query(this.claim)) as unknown as [pg.QueryResult, pg.QueryResult<ClaimedRow>];
      if (!claimed.rows[0]?.ok) {
        await client.query('rollback');
        // Another instance's relay is mid-pass and may have read before rows this one was woken for,
        // whose commits sent no NOTIFY (serveHere): wake it, as a pass that is woken runs again. Once
        // per local wake-up, so two relays never keep waking each other.
        if (woken || this.wokenHere) {
          this.wokenHere = false;
          commitNotifier(pool).notifyAll(outboxChannel(schema));
        }
        return 0;
      }
      const rows = claimed.rows.filter((r) => r.id !== null) as OutboxRow[];
      if (rows.length > 0) {
        // One send span per row, continuing the trace its writer stored (a no-op without tracing).
        const spans = rows.map((r) =>
          startSpanFrom(r.headers, {
            name: `send ${physicalTopic(topicPrefix, r.topic)}`,
            kind: SpanKind.PRODUCER,
            attributes: {
              'messaging.system': 'kafka',
              'messaging.operation.type': 'send',
              'messaging.destination.name': physicalTopic(topicPrefix, r.topic),
              'messaging.kafka.message.key': r.key,
              'messaging.message.id': (r.value as { id?: string }).id ?? '',
              'cloudevents.event_type': (r.value as { type?: string }).type ?? '',
            },
          }),
        );
        const byTopic = new Map<string, OutgoingMessage[]>();
        rows.forEach((r, i) => {
          const headers = { ...r.headers };
          injectSpan(spans[i]!, headers);
          let message: OutgoingMessage = { key: r.key, value: JSON.stringify(r.value), headers };
          let topic = r.topic;
          const bytes = recordBytes(message);
          if (bytes > this.o.maxMessageBytes) {
            message = tooLargeLetter(schema, r, message, bytes, this.o.maxMessageBytes);
            topic = TOPICS.dlq;
            outboxTooLargeTotal.inc({ schema });
            this.o.logger.error({ schema, outboxId: r.id, topic: r.topic, eventId: (r.value as { id?: string }).id, reason: message.headers[DLQ_HEADERS.error] }, 'outbox row too large for the broker; sent to the DLQ as a stub');
          }
          const list = byTopic.get(topic);
          if (list) list.push(message);
          else byTopic.set(topic, [message]);
        });
        try {
          await untraced(() =>
            this.send({
              acks: -1,
              topicMessages: [...byTopic].map(([topic, messages]) => ({ topic: physicalTopic(topicPrefix, topic), messages })),
            }),
          );
        } catch (err) {
          for (const span of spans) endSpan(span, err);
          throw err;
        }
        for (const span of spans) endSpan(span);
        // Ids are the database's own bigints: marked and committed in one round trip.
        await client.query(`update ${escapeIdentifier(schema)}.outbox set sent_at = now() where id in (${rows.map((r) => BigInt(r.id)).join(',')}); commit`);
        outboxPublishedTotal.inc({ schema }, rows.length);
        outboxPassRows.observe({ schema }, rows.length);
      } else await client.query('commit');
      return rows.length;
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Bounded, so a stuck send fails the pass rather than hold the transaction and lock for good. A send
   * that timed out may still land later, and the rows are sent again by the next pass: duplicates are
   * possible (at-least-once); consumers are idempotent by event id.
   */
  private async send(batch: ProducerBatch): Promise<void> {
    const { producer, sendTimeoutMs } = this.o;
    if (producer instanceof ProducerHandle || producer instanceof PlatformaticProducerHandle) await producer.sendBatch(batch, sendTimeoutMs);
    else await withTimeout(producer.sendBatch(batch), sendTimeoutMs, 'outbox send');
  }

  private async maybePrune(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < 60_000) return;
    this.lastPrune = now;
    await this.o.pool.query(
      `delete from ${escapeIdentifier(this.o.schema)}.outbox where sent_at < now() - make_interval(secs => $1)`,
      [this.o.retainMs / 1000],
    );
  }
}
