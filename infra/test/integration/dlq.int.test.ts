import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DLQ_HEADERS, TOPICS, type Topic } from '@gridcase/contracts';
import { createKafka, ensureTopics } from '@gridcase/messaging';
import type { Kafka, Producer } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, readTopic, testProducer } from '../harness.ts';

// The DLQ CLI (infra/scripts/dlq.ts) as an operator runs it, against the real broker, on topics
// of this file's own prefix. The dead letters are written as the consumer runner writes them.
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));

interface Letter {
  key: string;
  origin: Topic;
  group: string;
  error: string;
  failedAt: string;
  event?: { id: string; type: string };
}

const LETTERS: Letter[] = [
  { key: 'r-1', origin: TOPICS.reports, group: 'gridcase-triage-reports', error: 'ContractError: data.category: Invalid option', failedAt: '2026-11-01T08:00:00.000Z', event: { id: 'evt-old', type: 'gridcase.report.received.v1' } },
  { key: 'r-2', origin: TOPICS.reports, group: 'gridcase-triage-reports', error: 'ContractError: data.category: Invalid option', failedAt: '2026-11-29T08:00:00.000Z', event: { id: 'evt-new', type: 'gridcase.report.received.v1' } },
  { key: 'c-1', origin: TOPICS.cases, group: 'gridcase-desk-projection', error: 'TypeError: cannot read properties of undefined', failedAt: '2026-11-29T09:00:00.000Z', event: { id: 'evt-case', type: 'gridcase.case.opened.v1' } },
  { key: 'i-1', origin: TOPICS.reportsInbound, group: 'gridcase-intake-inbound', error: 'PoisonError: not JSON', failedAt: '2026-11-29T09:30:00.000Z' },
];

describe('node infra/scripts/dlq.ts (list, show, replay) on the real broker', () => {
  let env: Record<string, string>;
  let kafka: Kafka;
  let producer: Producer;

  const dlq = async (...args: string[]) => run(process.execPath, ['infra/scripts/dlq.ts', ...args], { cwd: root, env, timeout: 60_000 });
  const listed = async (...filters: string[]) => {
    const { stdout } = await dlq('list', '--json', ...filters.flatMap((f) => ['--filter', f]));
    return stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { at: string; key: string; eventId?: string });
  };
  /** Records each topic holds, from the broker's offsets (low to high watermark). */
  const sizes = async (topics: Topic[]) => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const out: Record<string, number> = {};
      for (const t of topics) {
        out[t] = (await admin.fetchTopicOffsets(`${env.KAFKA_TOPIC_PREFIX}${t}`)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
      }
      return out;
    } finally {
      await admin.disconnect();
    }
  };

  beforeAll(async () => {
    env = await isolatedEnv();
    kafka = createKafka({ brokers: env.KAFKA_BROKERS!.split(','), clientId: 'dlq-test', topicPrefix: env.KAFKA_TOPIC_PREFIX! }, pino({ level: 'silent' }));
    await ensureTopics(kafka, env.KAFKA_TOPIC_PREFIX!);
    producer = await testProducer(env);
    for (const [i, l] of LETTERS.entries()) {
      await producer.send({
        topic: `${env.KAFKA_TOPIC_PREFIX}${TOPICS.dlq}`,
        messages: [
          {
            key: l.key,
            value: l.event ? JSON.stringify({ specversion: '1.0', ...l.event, data: {} }) : 'not json at all',
            headers: {
              traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
              [DLQ_HEADERS.topic]: l.origin,
              [DLQ_HEADERS.partition]: '0',
              [DLQ_HEADERS.offset]: String(100 + i),
              [DLQ_HEADERS.group]: `${env.KAFKA_TOPIC_PREFIX}${l.group}`,
              [DLQ_HEADERS.error]: l.error,
              [DLQ_HEADERS.attempts]: '3',
              [DLQ_HEADERS.failedAt]: l.failedAt,
            },
          },
        ],
      });
    }
  });
  afterAll(async () => {
    await producer?.disconnect();
  });

  it('lists every dead letter, and those a filter keeps', async () => {
    expect((await listed()).map((e) => e.key).sort()).toEqual(['c-1', 'i-1', 'r-1', 'r-2']);
    expect((await listed('topic=gridcase.reports')).map((e) => e.key).sort()).toEqual(['r-1', 'r-2']);
    expect((await listed('reason=typeerror')).map((e) => e.key)).toEqual(['c-1']);
    expect((await listed('group=gridcase-intake-inbound')).map((e) => e.key)).toEqual(['i-1']);
    expect((await listed('topic=gridcase.reports', 'since=2026-11-15T00:00:00Z')).map((e) => e.key)).toEqual(['r-2']);
    // The human listing: one line per dead letter, the count on stderr.
    const { stdout, stderr } = await dlq('list', '--filter', 'topic=gridcase.cases');
    expect(stdout).toMatch(/^\d+:\d+ {2}2026-11-29T09:00:00.000Z {2}gridcase.cases 0@102 {2}\S+gridcase-desk-projection {2}x3 {2}gridcase.case.opened.v1 evt-case {2}TypeError/);
    expect(stderr).toContain('1 dead letter(s) match');
  });

  it('shows one dead letter by event id and by partition:offset; says so when there is none', async () => {
    const byId = JSON.parse((await dlq('show', 'evt-new')).stdout);
    expect(byId).toMatchObject({ key: 'r-2', eventType: 'gridcase.report.received.v1', error: 'ContractError: data.category: Invalid option' });
    expect(byId.origin).toEqual({ topic: TOPICS.reports, partition: 0, offset: '101', group: `${env.KAFKA_TOPIC_PREFIX}gridcase-triage-reports` });
    const byPlace = JSON.parse((await dlq('show', byId.at)).stdout);
    expect(byPlace.key).toBe('r-2');
    await expect(dlq('show', 'no-such-event')).rejects.toMatchObject({ code: 1 });
  });

  it('refuses a replay without a filter or --all, and a bad filter', async () => {
    await expect(dlq('replay')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('replay needs --filter') });
    await expect(dlq('list', '--filter', 'colour=red')).rejects.toMatchObject({ code: 2 });
  });

  it('replays what the filter keeps to the original topic, and a dry run sends nothing', async () => {
    const reports = await readTopic(env, TOPICS.reports);
    try {
      const dry = await dlq('replay', '--filter', 'topic=gridcase.reports', '--filter', 'since=2026-11-15T00:00:00Z', '--dry-run');
      expect(dry.stdout).toContain('would replay');
      expect(dry.stderr).toContain('dry run: would replay 1, left 3');

      const real = await dlq('replay', '--filter', 'topic=gridcase.reports', '--filter', 'since=2026-11-15T00:00:00Z');
      expect(real.stderr).toContain('replayed 1, left 3');
      const [replayed] = await reports.waitFor('the replayed report', (r) => r.key === 'r-2');
      expect(replayed!.headers).toMatchObject({ 'dlq-replayed-from-offset': '101', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
      expect(Object.keys(replayed!.headers).filter((k) => k.startsWith('dlq-original') || k === DLQ_HEADERS.error)).toEqual([]);
      // Exactly one record reached the topic (the dry run sent none); the other topics got nothing.
      expect(await sizes([TOPICS.reports, TOPICS.cases, TOPICS.reportsInbound])).toEqual({ [TOPICS.reports]: 1, [TOPICS.cases]: 0, [TOPICS.reportsInbound]: 0 });
      // The DLQ keeps what it had; reading it left no consumer group behind.
      expect((await listed()).length).toBe(4);
      const admin = kafka.admin();
      await admin.connect();
      const { groups } = await admin.listGroups();
      await admin.disconnect();
      expect(groups.filter((g) => g.groupId.startsWith(`${env.KAFKA_TOPIC_PREFIX}gridcase-dlq-tool-`))).toEqual([]);
    } finally {
      await reports.close();
    }
  });
});
