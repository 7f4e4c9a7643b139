import { createServer, type Server, type Socket } from 'node:net';
import { DLQ_HEADERS, TOPICS, type Topic } from '@gridcase/contracts';
import { createPool } from '@gridcase/db';
import { ConfigResourceTypes } from 'kafkajs';
import type pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, isolatedEnv, readTopic, testProducer } from '../../../infra/test/harness.ts';
import {
  type ConsumerOptions,
  ConsumerRunner,
  createKafka,
  createRelayProducer,
  type KafkaClientName,
  type RecordHandler,
  ensureTopics, OutboxRelay, PoisonError, ProducerHandle, replayDeadLetters, TransientError } from '../src/index.ts';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

describe('consumer, DLQ, relay and producer under faults, against real Kafka and Postgres', () => {
  let env: Record<string, string>;
  let pool: pg.Pool;
  let kafka: ReturnType<typeof createKafka>;
  let producers: ProducerHandle;
  const prefix = () => env.KAFKA_TOPIC_PREFIX!;

  beforeAll(async () => {
    env = await isolatedEnv();
    pool = createPool(env.DATABASE_URL!, { max: 4 });
    kafka = createKafka({ brokers: env.KAFKA_BROKERS!.split(','), clientId: 'resilience', topicPrefix: prefix() }, logger);
    await ensureTopics(kafka, prefix());
    producers = new ProducerHandle({ kafka, topicPrefix: prefix(), logger });
    await producers.connect();
  });

  afterAll(async () => {
    await producers?.disconnect();
    await pool?.end();
  });

  const runner = (groupSuffix: string, topic: Topic, handler: RecordHandler, extra: Partial<ConsumerOptions> = {}) =>
    new ConsumerRunner({
      kafka,
      groupId: `${prefix()}${groupSuffix}`,
      topics: [topic],
      topicPrefix: prefix(),
      producer: producers,
      logger,
      handler,
      ...extra,
    });

  it('retries a transient fault without limit while the other partitions keep flowing, then handles it once', async () => {
    const attempts = new Map<string, number>();
    const handled: string[] = [];
    const r = runner('transient-test', TOPICS.caseCommands, async (record) => {
      attempts.set(record.key!, (attempts.get(record.key!) ?? 0) + 1);
      // The database is "away" for the stuck partition until a record on another partition got through.
      if (record.key === 'stuck' && !handled.includes('other')) {
        throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
      }
      if (record.key === 'stuck' && attempts.get('stuck')! < 8) throw new TransientError('still warming up');
      handled.push(record.key!);
    }, { transientBackoffMs: 20, maxTransientBackoffMs: 100, maxAttempts: 3 });
    await r.start();
    const p = await testProducer(env);
    try {
      await p.send({ topic: `${prefix()}${TOPICS.caseCommands}`, messages: [{ key: 'stuck', value: '{}', partition: 0 }] });
      await eventually('stuck record retried', () => ((attempts.get('stuck') ?? 0) >= 2 ? true : undefined));
      await p.send({ topic: `${prefix()}${TOPICS.caseCommands}`, messages: [{ key: 'other', value: '{}', partition: 1 }] });
      await eventually('stuck record handled', () => (handled.includes('stuck') ? true : undefined));
      expect(handled).toEqual(['other', 'stuck']);
      // More attempts than maxAttempts: transient faults are not dead-lettered.
      expect(attempts.get('stuck')).toBe(8);
    } finally {
      await p.disconnect();
      await r.stop();
    }
  });

  it('keeps its group session through a transient outage longer than the session timeout (heartbeats while waiting)', async () => {
    const handled: string[] = [];
    let outageOver = false;
    const r = runner('heartbeat-test', TOPICS.reports, async (record) => {
      if (record.key === 'slow' && !outageOver) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      handled.push(record.key!);
    }, { transientBackoffMs: 1000, maxTransientBackoffMs: 2000 });
    await r.start();
    const p = await testProducer(env);
    try {
      await p.sendTo(TOPICS.reports, 'slow', '{}');
      // The outage lasts longer than the 10 s session timeout.
      const outage = setTimeout(() => {
        outageOver = true;
      }, 13_000);
      await eventually('slow record handled', () => (handled.includes('slow') ? true : undefined), 45_000);
      clearTimeout(outage);
      await p.sendTo(TOPICS.reports, 'slow', '{}');
      await eventually('the marker after it', () => (handled.filter((k) => k === 'slow').length >= 2 ? true : undefined));
      // Had the session expired, the first record's offset commit would fail and it would come again.
      expect(handled).toEqual(['slow', 'slow']);
    } finally {
      await p.disconnect();
      await r.stop();
    }
  }, 60_000);

  it('dead-letters an oversized record as a stub, uses deadLetterValue, keeps input out of the reason, and moves on', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: `${prefix()}${TOPICS.reportsInbound}`, configNames: ['max.message.bytes'] }],
    });
    await admin.disconnect();
    const limit = Number(described.resources[0]!.configEntries[0]!.configValue);
    const dlq = await readTopic(env, TOPICS.dlq);
    const handled: string[] = [];
    const r = runner('dlq-guard-test', TOPICS.reportsInbound, async (record) => {
      if (record.key === 'huge' && record.value!.length > 100) throw new PoisonError(`cannot use this record ${'!'.repeat(2000)}`);
      if (record.key === 'personal') throw Object.assign(new Error('invalid input syntax for type uuid: "Jane Doe"'), { code: '22P02' });
      handled.push(record.key!);
    }, {
      deadLetterValue: async (record, reason) =>
        record.key === 'personal' ? Buffer.from(JSON.stringify({ redacted: true, reason })) : record.value,
    });
    await r.start();
    const p = await testProducer(env);
    try {
      // Just fits the broker; its DLQ copy (value + dlq-* headers) would not.
      await p.sendTo(TOPICS.reportsInbound, 'huge', 'x'.repeat(limit - 1500));
      await p.sendTo(TOPICS.reportsInbound, 'personal', '{"name":"Jane Doe","phone":"+4512345678"}');
      await p.sendTo(TOPICS.reportsInbound, 'huge', 'fine');
      await dlq.waitFor('both dead-lettered', (rec) => rec.key === 'huge' || rec.key === 'personal', 2);
      const huge = dlq.records.find((rec) => rec.key === 'huge')!;
      expect(JSON.parse(huge.value!)).toMatchObject({ truncated: true, originalBytes: limit - 1500, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(huge.headers['dlq-truncated']).toBe('true');
      expect(huge.headers[DLQ_HEADERS.error]!.length).toBeLessThanOrEqual(300);
      const personal = dlq.records.find((rec) => rec.key === 'personal')!;
      expect(personal.headers[DLQ_HEADERS.error]).toBe('database error 22P02');
      expect(JSON.parse(personal.value!)).toEqual({ redacted: true, reason: 'database error 22P02' });
      expect(JSON.stringify(personal)).not.toContain('Jane');
      await eventually('the record after them', () => (handled.includes('huge') ? true : undefined));
    } finally {
      await p.disconnect();
      await r.stop();
      await dlq.close();
    }
  });

  it('marks the stub it writes when deadLetterValue fails as one, so a replay skips it rather than send the stub as the record', async () => {
    const dlq = await readTopic(env, TOPICS.dlq);
    const r = runner('dlq-value-fails-test', TOPICS.reportsInbound, async () => {
      throw new PoisonError('refused by the handler');
    }, {
      deadLetterValue: async () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
    });
    await r.start();
    const p = await testProducer(env);
    try {
      await p.sendTo(TOPICS.reportsInbound, 'value-fails', '{"name":"Jane Doe"}');
      const [letter] = await dlq.waitFor('dead-lettered', (rec) => rec.key === 'value-fails');
      expect(JSON.parse(letter!.value!)).toEqual({ truncated: true, originalBytes: 19, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(letter!.headers['dlq-truncated']).toBe('true');
      const { entries } = await replayDeadLetters({ kafka, producer: producers.producer, topicPrefix: prefix(), fromTopic: TOPICS.reportsInbound, match: (e) => e.key === 'value-fails', dryRun: true });
      expect(entries).toEqual([]);
    } finally {
      await p.disconnect();
      await r.stop();
      await dlq.close();
    }
  });

  it('waits while deadLetterValue cannot reach what it needs, then dead-letters the record with its value, not a stub', async () => {
    const dlq = await readTopic(env, TOPICS.dlq);
    let calls = 0;
    const r = runner('dlq-value-away-test', TOPICS.reportsInbound, async () => {
      throw new PoisonError('refused by the handler');
    }, {
      transientBackoffMs: 20,
      // The first tries find the database away (intake keeps the reporter there before it writes the dead letter).
      deadLetterValue: async () => {
        calls++;
        if (calls <= 3) throw Object.assign(new Error('database "x" is not currently accepting connections'), { code: '55000' });
        return Buffer.from(JSON.stringify({ reporterRef: 'r-1' }));
      },
    });
    await r.start();
    const p = await testProducer(env);
    try {
      await p.sendTo(TOPICS.reportsInbound, 'value-away', '{"name":"Jane Doe"}');
      await dlq.waitFor('dead-lettered', (rec) => rec.key === 'value-away');
      // Every letter for it (a redelivery around the group's join may write a second) carries the value.
      for (const letter of dlq.records.filter((rec) => rec.key === 'value-away')) {
        expect(JSON.parse(letter.value!)).toEqual({ reporterRef: 'r-1' });
        expect(letter.headers['dlq-truncated']).toBeUndefined();
      }
      expect(calls).toBeGreaterThanOrEqual(4);
    } finally {
      await p.disconnect();
      await r.stop();
      await dlq.close();
    }
  });

  it.each(['kafkajs', 'platformatic'] as KafkaClientName[])('fails a relay pass whose send is stuck: rolled back, lock released, shown in failure (%s)', async (client) => {
    // A "broker" that accepts connections and never answers: the send hangs rather than fail.
    const sockets: Socket[] = [];
    const blackhole: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    const port = (blackhole.address() as { port: number }).port;
    const stuckBrokers = [`127.0.0.1:${port}`];
    const stuckKafka = createKafka({ brokers: stuckBrokers, clientId: 'stuck', topicPrefix: prefix() }, logger);
    const stuck = createRelayProducer({ kafka: stuckKafka, brokers: stuckBrokers, clientId: 'stuck', topicPrefix: prefix(), logger, sendTimeoutMs: 500 }, client);
    const schema = `stucktest_${client}`;
    await pool.query(`create schema ${schema};
      create table ${schema}.outbox (id bigserial primary key, topic text not null, key text not null, value jsonb not null,
        headers jsonb not null default '{}', created_at timestamptz not null default now(), sent_at timestamptz);
      insert into ${schema}.outbox (topic, key, value) values ('${TOPICS.cases}', 'k', '{}')`);
    const relay = new OutboxRelay({ pool, schema, producer: stuck, topicPrefix: prefix(), logger, pollMs: 50, sendTimeoutMs: 500 });
    await relay.start();
    try {
      await eventually('relay failing', () => (relay.failure?.includes('timed out') ? relay.failure : undefined));
      const { rows } = await pool.query<{ ok: boolean; pending: number }>(
        `select pg_try_advisory_lock(hashtext('outbox:${schema}')) as ok, (select count(*)::int from ${schema}.outbox where sent_at is null) as pending`,
      );
      expect(rows[0]).toEqual({ ok: true, pending: 1 });
      await pool.query(`select pg_advisory_unlock_all()`);
    } finally {
      await relay.stop();
      await stuck.disconnect().catch(() => {});
      for (const s of sockets) s.destroy();
      blackhole.close();
    }
  });

  it('recovers by itself after the broker lost its topics: sends recreate them, the consumer carries on', async () => {
    const handled: string[] = [];
    const r = runner('lost-topics-test', TOPICS.cases, async (record) => {
      handled.push(record.key!);
    });
    const topic = TOPICS.cases;
    await r.start();
    const send = (key: string) => producers.send({ topic: `${prefix()}${topic}`, acks: -1, messages: [{ key, value: '{}' }] });
    try {
      await send('before');
      await eventually('handled before the loss', () => (handled.includes('before') ? true : undefined));
      const admin = kafka.admin();
      await admin.connect();
      const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix()));
      await admin.deleteTopics({ topics: mine });
      await eventually('topics gone', async () => ((await admin.listTopics()).some((t) => t.startsWith(prefix())) ? undefined : true));
      await admin.disconnect();
      // The first sends may fail while the handle recreates the topics and its producer; a relay retries the same way.
      await eventually('a send after the loss', () => send('after').then(() => true), 60_000);
      await eventually('handled after the loss', () => (handled.includes('after') ? true : undefined), 60_000);
      expect(r.failure).toBeUndefined();
    } finally {
      await r.stop();
    }
  }, 150_000);
});
