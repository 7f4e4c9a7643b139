import { DLQ_HEADERS, makeMessage, maskNumbersInText, newId, TOPICS } from '@gridcase/contracts';
import { createDb, createPool, notifyOnCommit, outboxChannel, sql } from '@gridcase/db';
import type { Producer } from 'kafkajs';
import type pg from 'pg';
import pino from 'pino';
import type { Counter } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, isolatedEnv, readTopic, testProducer } from '../../../infra/test/harness.ts';
import {
  ConsumerRunner,
  createKafka,
  DEAD_LETTER_REASONS,
  createProducer,
  createRelayProducer,
  ensureTopics,
  type KafkaClientName,
  OutboxRelay,
  PlatformaticProducerHandle,
  PoisonError,
  replayDeadLetters,
  type TransactionalHandler,
} from '../src/index.ts';
import {
  consumedTotal,
  consumerStalled,
  deadLetterTruncatedTotal,
  deadLetterWrittenTotal,
  outboxPassRows,
  outboxPublishedTotal,
  outboxTooLargeTotal,
} from '../src/metrics.ts';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A logger whose lines a test reads back, and the `message dead-lettered` lines once there are `count`. */
function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const deadLettered = (count: number) =>
    eventually(`${count} dead letters logged`, () => {
      const found = lines.filter((l) => l.msg === 'message dead-lettered');
      return found.length === count ? found : undefined;
    });
  return { logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }), deadLettered };
}

describe('outbox relay, consumer runner and DLQ against real Kafka and Postgres', () => {
  let env: Record<string, string>;
  let pool: pg.Pool;
  let kafka: ReturnType<typeof createKafka>;
  let producer: Producer;
  const prefix = () => env.KAFKA_TOPIC_PREFIX!;

  beforeAll(async () => {
    env = await isolatedEnv();
    pool = createPool(env.DATABASE_URL!, { max: 6 });
    await pool.query(`create schema msgtest;
      create table msgtest.outbox (id bigserial primary key, topic text not null, key text not null, value jsonb not null,
        headers jsonb not null default '{}', created_at timestamptz not null default now(), sent_at timestamptz)`);
    kafka = createKafka({ brokers: env.KAFKA_BROKERS!.split(','), clientId: 'msgtest', topicPrefix: prefix() }, logger);
    await ensureTopics(kafka, prefix());
    producer = createProducer(kafka);
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await pool?.end();
  });

  const note = (caseId: string, n: number) =>
    makeMessage('gridcase.case.note-added.v1', {
      source: '/test',
      subject: caseId,
      data: { caseId, commandId: `cmd-${n}`, text: `note ${n}`, by: { clientId: 'test' }, at: new Date().toISOString() },
    });

  // The relay's producer on either client (KAFKA_CLIENT): kafkajs, the stack's, and @platformatic/kafka (issue 12, part 4).
  const relayProducer = (client: KafkaClientName) =>
    createRelayProducer({ kafka, brokers: env.KAFKA_BROKERS!.split(','), clientId: `msgtest-${client}`, topicPrefix: prefix(), logger }, client);

  it.each(['kafkajs', 'platformatic'] as const)('publishes every outbox row once and keeps per-key order, even with two relays racing (%s)', async (client) => {
    const sender = relayProducer(client);
    const cases = await readTopic(env, TOPICS.cases);
    const keys = [newId(), newId(), newId()];
    const values: string[] = [];
    for (let n = 0; n < 150; n++) {
      const key = keys[n % 3]!;
      values.push(`(${[`'${TOPICS.cases}'`, `'${key}'`, `'${JSON.stringify(note(key, n))}'::jsonb`, `'{"traceparent":"00-${'a'.repeat(32)}-${'b'.repeat(16)}-01"}'`].join(',')})`);
    }
    await pool.query(`insert into msgtest.outbox (topic, key, value, headers) values ${values.join(',')}`);
    const relays = [1, 2].map(() => new OutboxRelay({ pool, schema: 'msgtest', producer: sender, topicPrefix: prefix(), logger, batchSize: 20, pollMs: 50 }));
    await Promise.all(relays.map((r) => r.start()));
    try {
      const got = await cases.waitFor('150 notes', (r) => r.message?.type === 'gridcase.case.note-added.v1' && keys.includes(r.key!), 150);
      await eventually('rows marked sent', async () => {
        const { rows } = await pool.query('select count(*)::int as n from msgtest.outbox where sent_at is null');
        return rows[0].n === 0 ? true : undefined;
      });
      expect(new Set(got.map((r) => r.message!.id)).size).toBe(150);
      expect(got.length).toBe(150);
      for (const key of keys) {
        const ns = got.filter((r) => r.key === key).map((r) => Number((r.message!.data as { commandId: string }).commandId.slice(4)));
        expect(ns).toEqual([...ns].sort((a, b) => a - b));
      }
      expect(got[0]!.headers.traceparent).toMatch(/^00-a{32}-/);
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
      await cases.close();
      await sender.disconnect();
    }
  });

  it('puts a key on the same partition with either client (murmur2 as the Java client), so switching keeps per-key order', async () => {
    const platformatic = new PlatformaticProducerHandle({ kafka, brokers: env.KAFKA_BROKERS!.split(','), clientId: 'msgtest-partitions', topicPrefix: prefix(), logger });
    const topic = `${prefix()}${TOPICS.cases}`;
    try {
      for (const key of Array.from({ length: 24 }, (_, i) => `key-${i}-${newId()}`)) {
        const [kafkajsSent] = await producer.send({ topic, acks: -1, messages: [{ key, value: '{}' }] });
        const platformaticSent = await platformatic.sendBatch({ topicMessages: [{ topic, messages: [{ key, value: '{}' }] }] });
        expect({ key, partition: platformaticSent.offsets?.[0]?.partition }).toEqual({ key, partition: kafkajsSent!.partition });
      }
    } finally {
      await platformatic.disconnect();
    }
  });

  it('retries a failing handler, then handles the message once it succeeds', async () => {
    const attempts = new Map<string, number>();
    const handled: string[] = [];
    const runner = new ConsumerRunner({
      kafka,
      groupId: `${prefix()}retry-test`,
      topics: [TOPICS.caseCommands],
      topicPrefix: prefix(),
      producer,
      logger,
      backoffMs: 10,
      handler: async (record) => {
        const n = (attempts.get(record.key!) ?? 0) + 1;
        attempts.set(record.key!, n);
        if (n < 3) throw new Error('database briefly away');
        handled.push(record.key!);
      },
    });
    await runner.start();
    try {
      const p = await testProducer(env);
      await p.sendTo(TOPICS.caseCommands, 'flaky', '{}');
      await p.disconnect();
      await eventually('flaky message handled', () => (handled.includes('flaky') ? true : undefined));
      expect(attempts.get('flaky')).toBe(3);
      expect(handled.filter((k) => k === 'flaky')).toHaveLength(1);
    } finally {
      await runner.stop();
    }
  });

  it("logs another system's refused record at warn, and a record of ours it could not handle at error", async () => {
    const dlq = await readTopic(env, TOPICS.dlq);
    const log = capturedLog();
    const runner = new ConsumerRunner({
      kafka,
      groupId: `${prefix()}outside-test`,
      topics: [TOPICS.reportsInbound],
      topicPrefix: prefix(),
      producer,
      logger: log.logger,
      backoffMs: 5,
      maxAttempts: 2,
      fromOtherSystems: true,
      handler: async (record) => {
        if (record.key === 'sender-mistake') throw new PoisonError('value is not JSON');
        throw new Error('our bug');
      },
    });
    await runner.start();
    const p = await testProducer(env);
    try {
      await p.sendTo(TOPICS.reportsInbound, 'sender-mistake', 'x');
      await p.sendTo(TOPICS.reportsInbound, 'our-bug', 'y');
      await dlq.waitFor('both dead-lettered', (r) => r.key === 'sender-mistake' || r.key === 'our-bug', 2);
      const deadLettered = await log.deadLettered(2);
      expect(deadLettered.map((l) => [l.reason, l.level]).sort()).toEqual([
        ['our bug', 50],
        ['value is not JSON', 40],
      ]);
    } finally {
      await runner.stop();
      await p.disconnect();
    }
  });

  it("names in the dead-letter log line the record's key as it leaves (keyOut), its sender and its event, each cut to 128 characters", async () => {
    const dlq = await readTopic(env, TOPICS.dlq);
    const log = capturedLog();
    const runner = new ConsumerRunner({
      kafka,
      groupId: `${prefix()}identity-test`,
      topics: [TOPICS.alerts],
      topicPrefix: prefix(),
      producer,
      logger: log.logger,
      // As intake masks its inbound keys: a sender may make one of a phone number.
      keyOut: (key) => maskNumbersInText(key),
      senderOf: (record) => record.headers['sender-system'],
      handler: async () => {
        throw new PoisonError('refused');
      },
    });
    await runner.start();
    const p = await testProducer(env);
    const event = note(newId(), 1);
    // An envelope whose id is a sender's text, not one of our UUIDs: its type is logged, never that id.
    const phoneAsId = { ...note(newId(), 2), id: '13893565555' };
    try {
      await p.sendTo(TOPICS.alerts, 'tel-13893561234', JSON.stringify(event), { 'sender-system': 'desk-a' });
      await p.sendTo(TOPICS.alerts, 'k'.repeat(300), 'not json', { 'sender-system': 's'.repeat(5000) });
      await p.sendTo(TOPICS.alerts, 'not-ours', JSON.stringify(phoneAsId));
      await dlq.waitFor('all three dead-lettered', (r) => ['tel-138****1234', 'k'.repeat(300), 'not-ours'].includes(r.key!), 3);
      const deadLettered = await log.deadLettered(3);
      const identity = (key: string) => {
        const line = deadLettered.find((l) => l.key === key);
        return line && { key: line.key, sender: line.sender, eventType: line.eventType, eventId: line.eventId };
      };
      expect(identity('tel-138****1234')).toEqual({ key: 'tel-138****1234', sender: 'desk-a', eventType: 'gridcase.case.note-added.v1', eventId: event.id });
      expect(identity('k'.repeat(128))).toEqual({ key: 'k'.repeat(128), sender: 's'.repeat(128), eventType: undefined, eventId: undefined });
      expect(identity('not-ours')).toEqual({ key: 'not-ours', sender: undefined, eventType: 'gridcase.case.note-added.v1', eventId: undefined });
    } finally {
      await runner.stop();
      await p.disconnect();
      await dlq.close();
    }
  });

  it('sends a row too large for the broker to the DLQ as a stub, and the rows beside it to their topic (audit18 #6)', async () => {
    const [cases, dlq] = await Promise.all([readTopic(env, TOPICS.cases), readTopic(env, TOPICS.dlq)]);
    const key = newId();
    const [before, huge, after] = [note(key, 1), note(key, 2), note(key, 3)];
    huge.data.text = 'x'.repeat(1_100_000);
    for (const m of [before, huge, after]) await pool.query('insert into msgtest.outbox (topic, key, value) values ($1, $2, $3)', [TOPICS.cases, key, JSON.stringify(m)]);
    const relay = new OutboxRelay({ pool, schema: 'msgtest', producer, topicPrefix: prefix(), logger, pollMs: 50 });
    await relay.start();
    try {
      const got = await cases.waitFor('the rows beside it', (r) => r.key === key, 2);
      expect(got.map((r) => r.message!.id)).toEqual([before.id, after.id]);
      const [letter] = await dlq.waitFor('its stub', (r) => r.key === key);
      expect(letter!.headers).toMatchObject({
        [DLQ_HEADERS.topic]: TOPICS.cases,
        [DLQ_HEADERS.group]: 'msgtest outbox relay',
        [DLQ_HEADERS.error]: expect.stringMatching(/^too large for the broker: \d+ bytes, at most 1000000$/),
        'dlq-truncated': 'true',
      });
      expect(JSON.parse(letter!.value!)).toMatchObject({ truncated: true, id: huge.id, type: huge.type, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      await eventually('every row marked sent', async () => {
        const { rows } = await pool.query('select count(*)::int as n from msgtest.outbox where key = $1 and sent_at is null', [key]);
        return rows[0].n === 0 ? true : undefined;
      });
    } finally {
      await relay.stop();
      await Promise.all([cases.close(), dlq.close()]);
    }
  });

  it("shows a relay's series (published, rows per pass, too large) at 0 from its start, before it publishes anything", async () => {
    await pool.query(`create schema msgzero;
      create table msgzero.outbox (id bigserial primary key, topic text not null, key text not null, value jsonb not null,
        headers jsonb not null default '{}', created_at timestamptz not null default now(), sent_at timestamptz)`);
    // The schema's series by name: counters by their name, the histogram by its _count and _sum.
    const series = async () =>
      Object.fromEntries(
        (await Promise.all([outboxPublishedTotal, outboxTooLargeTotal, outboxPassRows].map((m) => m.get())))
          .flatMap((m) =>
            m.values
              .filter((v) => v.labels.schema === 'msgzero' && !('le' in v.labels))
              // A histogram's values name their series (_count, _sum); a counter's do not.
              .map((v) => [(v as { metricName?: string }).metricName ?? m.name, v.value]),
          ),
      );
    expect(await series()).toEqual({});
    const relay = new OutboxRelay({ pool, schema: 'msgzero', producer, topicPrefix: prefix(), logger, pollMs: 50 });
    await relay.start();
    try {
      const zero = { gridcase_outbox_published_total: 0, gridcase_outbox_too_large_total: 0, gridcase_outbox_pass_rows_count: 0, gridcase_outbox_pass_rows_sum: 0 };
      expect(await series()).toEqual(zero);
      // And counts on from there.
      const key = newId();
      await pool.query('insert into msgzero.outbox (topic, key, value) values ($1, $2, $3)', [TOPICS.cases, key, JSON.stringify(note(key, 1))]);
      await eventually('the row published', async () => ((await series()).gridcase_outbox_published_total === 1 ? true : undefined));
      expect(await series()).toEqual({ ...zero, gridcase_outbox_published_total: 1, gridcase_outbox_pass_rows_count: 1, gridcase_outbox_pass_rows_sum: 1 });
    } finally {
      await relay.stop();
    }
  });

  it('dead-letters a message that keeps failing or can never succeed, with its origin, and moves on; the DLQ replays', async () => {
    const dlq = await readTopic(env, TOPICS.dlq);
    const handled: string[] = [];
    const runner = new ConsumerRunner({
      kafka,
      groupId: `${prefix()}dlq-test`,
      topics: [TOPICS.reports],
      topicPrefix: prefix(),
      producer,
      logger,
      backoffMs: 5,
      maxAttempts: 3,
      handler: async (record) => {
        if (record.key === 'always-fails') throw new Error('boom');
        if (record.key === 'poison') throw new PoisonError('cannot parse this');
        handled.push(record.key!);
      },
    });
    await runner.start();
    const p = await testProducer(env);
    try {
      // Same key → same partition: the good message after the bad ones proves the partition moved on.
      await p.sendTo(TOPICS.reports, 'always-fails', 'x', { traceparent: 'kept' });
      await p.sendTo(TOPICS.reports, 'poison', 'y');
      await p.sendTo(TOPICS.reports, 'fine', 'z');
      await eventually('good message after the bad ones', () => (handled.includes('fine') ? true : undefined));
      const [failed] = await dlq.waitFor('always-fails dead-lettered', (r) => r.key === 'always-fails');
      const [poison] = await dlq.waitFor('poison dead-lettered', (r) => r.key === 'poison');
      expect(failed!.headers).toMatchObject({
        [DLQ_HEADERS.topic]: TOPICS.reports,
        [DLQ_HEADERS.group]: `${prefix()}dlq-test`,
        [DLQ_HEADERS.error]: 'boom',
        [DLQ_HEADERS.attempts]: '3',
        traceparent: 'kept',
      });
      expect(failed!.headers[DLQ_HEADERS.offset]).toMatch(/^\d+$/);
      expect(poison!.headers[DLQ_HEADERS.attempts]).toBe('1');
      expect(poison!.headers[DLQ_HEADERS.error]).toBe('cannot parse this');

      // Replay happens once the consumer is fixed; here it is simply stopped so it cannot dead-letter them again.
      await runner.stop();
      const reports = await readTopic(env, TOPICS.reports);
      const result = await replayDeadLetters({ kafka, producer, topicPrefix: prefix(), fromTopic: TOPICS.reports });
      expect(result.replayed).toBe(2);
      const replayed = await reports.waitFor('replayed records', (r) => 'dlq-replayed-from-offset' in r.headers, 2);
      expect(replayed.map((r) => r.key).sort()).toEqual(['always-fails', 'poison']);
      expect(Object.keys(replayed[0]!.headers).filter((k) => k.startsWith('dlq-original'))).toEqual([]);
      await reports.close();
    } finally {
      await p.disconnect();
      await runner.stop();
      await dlq.close();
    }
  });

  it('shows every dead-letter series of a consumer (written by reason, truncated, the dead-lettered outcome) at 0 from its start, so a scrape tells none written from no metric', async () => {
    const group = `${prefix()}dlq-zero-test`;
    const poison = `poison-${newId()}`;
    // This group's series of a counter, keyed by the labels that tell them apart (undefined: not one of those looked at).
    const seriesOf = async (counter: Counter, key: (labels: Partial<Record<string, string | number>>) => string | undefined) =>
      Object.fromEntries(
        (await counter.get()).values.flatMap((v) => {
          const k = v.labels.group === group ? key(v.labels) : undefined;
          return k === undefined ? [] : [[k, v.value]];
        }),
      );
    const written = () => seriesOf(deadLetterWrittenTotal, (l) => `${l.topic} ${l.reason}`);
    const truncated = () => seriesOf(deadLetterTruncatedTotal, (l) => String(l.topic));
    const deadLettered = () => seriesOf(consumedTotal, (l) => (l.outcome === 'dead-lettered' ? String(l.topic) : undefined));
    expect(await written()).toEqual({});
    expect(await truncated()).toEqual({});
    expect(await deadLettered()).toEqual({});
    const runner = new ConsumerRunner({
      kafka,
      groupId: group,
      topics: [TOPICS.reports, TOPICS.caseCommands],
      topicPrefix: prefix(),
      producer,
      logger,
      handler: async (record) => {
        if (record.key === poison) throw new PoisonError('cannot parse this');
      },
    });
    const p = await testProducer(env);
    await runner.start();
    try {
      const zero = Object.fromEntries([TOPICS.reports, TOPICS.caseCommands].flatMap((topic) => DEAD_LETTER_REASONS.map((reason) => [`${topic} ${reason}`, 0])));
      expect(await written()).toEqual(zero);
      const perTopic = { [TOPICS.reports]: 0, [TOPICS.caseCommands]: 0 };
      expect(await truncated()).toEqual(perTopic);
      expect(await deadLettered()).toEqual(perTopic);
      // A dead letter counts on from there.
      await p.sendTo(TOPICS.reports, poison, 'y');
      await eventually('the dead letter counted', async () => ((await written())[`${TOPICS.reports} rejected`] === 1 ? true : undefined));
      expect(await written()).toEqual({ ...zero, [`${TOPICS.reports} rejected`]: 1 });
      expect(await deadLettered()).toEqual({ ...perTopic, [TOPICS.reports]: 1 });
      expect(await truncated()).toEqual(perTopic);
    } finally {
      await p.disconnect();
      await runner.stop();
    }
  });

  it('shows a consumer that stops heartbeating as stalled, at 0 from its start, with one log line when the stall starts and one when it ends', async () => {
    const group = `${prefix()}stall-test`;
    const stalled = async () => (await consumerStalled.get()).values.find((v) => v.labels.group === group)?.value;
    const lines: { level: number; msg: string; group?: string; secondsSinceHeartbeat?: number; stalledSeconds?: number }[] = [];
    const capture = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const stallLines = () => lines.filter((l) => l.msg.startsWith('consumer stalled') || l.msg.startsWith('consumer recovered'));
    const handled: string[] = [];
    // The handler holds the record keyed `hold` until released: kafkajs fetches (and so heartbeats) no more meanwhile.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runner = new ConsumerRunner({
      kafka,
      groupId: group,
      topics: [TOPICS.caseCommands],
      topicPrefix: prefix(),
      producer,
      logger: capture,
      stallAfterMs: 5000,
      handler: async (record) => {
        handled.push(record.key!);
        if (record.key === 'hold') await gate;
      },
    });
    expect(await stalled()).toBeUndefined();
    const p = await testProducer(env);
    await runner.start();
    try {
      expect(await stalled()).toBe(0);
      await p.sendTo(TOPICS.caseCommands, 'warm', '{}');
      await eventually('the first record handled', () => (handled.includes('warm') ? true : undefined));
      expect(await stalled()).toBe(0);
      expect(runner.failure).toBeUndefined();

      await p.sendTo(TOPICS.caseCommands, 'hold', '{}');
      await eventually('the consumer seen stalled', async () => ((await stalled()) === 1 ? true : undefined));
      expect(runner.failure).toBe(`consumer ${group} stalled: no heartbeat for 5 s`);
      expect(await stalled()).toBe(1);
      release();
      await eventually('the consumer seen alive again', async () => ((await stalled()) === 0 ? true : undefined));
      expect(runner.failure).toBeUndefined();
      // Asked many times while stalled, logged once each way.
      const [started, ended, ...more] = stallLines();
      expect(more).toEqual([]);
      expect(started).toMatchObject({ level: 40, msg: 'consumer stalled: no heartbeat', group });
      expect(started!.secondsSinceHeartbeat).toBeGreaterThan(5);
      expect(ended).toMatchObject({ level: 30, msg: 'consumer recovered from a stall', group });
      expect(ended!.stalledSeconds).toBeGreaterThanOrEqual(started!.secondsSinceHeartbeat!);
    } finally {
      release();
      await p.disconnect();
      await runner.stop();
    }
  });

  it('has runs of a partition share one transaction; a poison record in a run is dead-lettered alone, the rest handled once each, in order', async () => {
    await pool.query('create table msgtest.handled (event_id text primary key, n int not null, txid bigint not null, handled_at serial)');
    const dlq = await readTopic(env, TOPICS.dlq);
    const transaction = async <T>(work: (tx: pg.PoolClient) => Promise<T>): Promise<T> => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(client);
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback');
        throw err;
      } finally {
        client.release();
      }
    };
    const committed: string[] = [];
    const handler: TransactionalHandler<pg.PoolClient> = {
      transaction,
      maxRecords: 25,
      handle: async (tx, record) => {
        const { id, n } = JSON.parse(record.value!.toString()) as { id: string; n: number };
        if (n === 30) throw new PoisonError('record 30 can never be handled');
        // The inbox's rule: an event already handled changes nothing.
        const claimed = await tx.query('insert into msgtest.handled (event_id, n, txid) values ($1, $2, txid_current()) on conflict do nothing', [id, n]);
        return claimed.rowCount ? () => void committed.push(id) : undefined;
      },
    };
    const runner = new ConsumerRunner({ kafka, groupId: `${prefix()}run-test`, topics: [TOPICS.caseCommands], topicPrefix: prefix(), producer, logger, handler });
    // One key, so one partition, sent at once so that they come in few fetches; event 12 comes twice (a redelivery).
    const events = Array.from({ length: 60 }, (_, n) => ({ id: `e${n}`, n }));
    const p = await testProducer(env);
    await p.send({
      topic: `${prefix()}${TOPICS.caseCommands}`,
      messages: [...events, events[12]!].map((e) => ({ key: 'one-case', value: JSON.stringify(e) })),
    });
    await runner.start();
    try {
      await dlq.waitFor('record 30 dead-lettered', (r) => r.key === 'one-case');
      const rows = await eventually('59 events handled', async () => {
        const { rows } = await pool.query<{ n: number; txid: string }>('select n, txid from msgtest.handled order by handled_at');
        return rows.length === 59 ? rows : undefined;
      });
      expect(rows.map((r) => r.n)).toEqual(events.map((e) => e.n).filter((n) => n !== 30));
      // Fewer transactions than events: runs shared them (the run around 30 rolled back and went one by one).
      expect(new Set(rows.map((r) => r.txid)).size).toBeLessThan(40);
      expect(new Set(rows.filter((r) => r.n > 30).map((r) => r.txid)).size).toBeLessThan(29);
      expect(dlq.records.filter((r) => r.key === 'one-case')).toHaveLength(1);
      // What a run does after its commit, once per committed event.
      await eventually('after-commit actions', () => (committed.length === 59 ? true : undefined));
      expect(new Set(committed).size).toBe(59);
    } finally {
      await p.disconnect();
      await runner.stop();
      await dlq.close();
    }
  });

  it('lets records that trickle in gather for a read model (fetchWindowMs): a few runs, not one per record', async () => {
    // Each run counted by the transaction it opens; records of one key, so one partition.
    const runs: number[] = [];
    const handled: number[] = [];
    const handler: TransactionalHandler<number[]> = {
      transaction: async (work) => {
        const run: number[] = [];
        const result = await work(run);
        runs.push(run.length);
        handled.push(...run);
        return result;
      },
      handle: async (run, record) => {
        run.push((JSON.parse(record.value!.toString()) as { n: number }).n);
        return undefined;
      },
    };
    const runner = new ConsumerRunner({
      kafka,
      groupId: `${prefix()}window-test`,
      topics: [TOPICS.reference],
      topicPrefix: prefix(),
      producer,
      logger,
      handler,
      fetchWindowMs: 5000,
    });
    await runner.start();
    const p = await testProducer(env);
    try {
      // Five records 50 ms apart: without the window each is fetched (and handled) on its own. A fetch
      // whose window closes while they come splits them in two, no more.
      for (let n = 0; n < 5; n++) {
        await p.send({ topic: `${prefix()}${TOPICS.reference}`, messages: [{ key: 'one-key', value: JSON.stringify({ n }) }] });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await eventually('five records handled', () => (handled.length === 5 ? true : undefined));
      expect(handled).toEqual([0, 1, 2, 3, 4]);
      expect(runs.length).toBeLessThanOrEqual(2);
    } finally {
      await p.disconnect();
      await runner.stop();
    }
  });

  it("publishes what one instance committed while another instance's relay held the outbox, though that commit sent no NOTIFY", async () => {
    // Instance A: its own pool; its commits wake its relay in-process (serveHere), without a NOTIFY.
    const poolA = createPool(env.DATABASE_URL!, { max: 3 });
    const dbA = createDb(poolA);
    // Instance B: its relay's pass holds the outbox lock inside a send until the test lets it go.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered = () => {};
    const inSend = new Promise<void>((resolve) => (entered = resolve));
    const sendBatch = async (batch: Parameters<Producer['sendBatch']>[0]) => {
      entered();
      await gate;
      return producer.sendBatch(batch);
    };
    const gated = { sendBatch } as unknown as Producer;
    // Neither relay polls here: only wake-ups can move the rows.
    const b = new OutboxRelay({ pool, schema: 'msgtest', producer: gated, topicPrefix: prefix(), logger, pollMs: 3_600_000 });
    const a = new OutboxRelay({ pool: poolA, schema: 'msgtest', producer, topicPrefix: prefix(), logger, pollMs: 3_600_000 });
    const listener = await pool.connect();
    const heard = new Promise<void>((resolve) => listener.once('notification', () => resolve()));
    await listener.query(`listen ${outboxChannel('msgtest')}`);
    await b.start();
    const insert = (db: ReturnType<typeof createDb>, n: number) =>
      db.transaction(async (tx) => {
        const key = newId();
        await tx.execute(sql`insert into msgtest.outbox (topic, key, value) values (${TOPICS.cases}, ${key}, ${JSON.stringify(note(key, n))}::jsonb)`);
        notifyOnCommit(tx, outboxChannel('msgtest'));
      });
    try {
      await insert(createDb(pool), 1);
      await inSend;
      // A starts only now: its first pass, started earlier, could publish row 1 itself before B's
      // pass locked the outbox, and then B would never be held in its send.
      await a.start();
      await insert(dbA, 2);
      // A found the lock taken: the one NOTIFY on the channel is A's, asking B to run again.
      await heard;
      release();
      const unsent = await eventually('both rows published', async () => {
        const { rows } = await pool.query('select count(*)::int as n from msgtest.outbox where sent_at is null');
        return rows[0].n === 0 ? rows[0].n : undefined;
      });
      expect(unsent).toBe(0);
    } finally {
      release();
      listener.release();
      await a.stop();
      await b.stop();
      await poolA.end();
    }
  });
});
