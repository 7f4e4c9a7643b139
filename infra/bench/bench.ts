// pnpm bench [-- --reports N --rate R]
// Posts N reports at a fixed rate through the whole pipeline and prints throughput and latency
// from POST to case.assigned, beside a bare kafkajs produce → consume → produce → consume relay
// on the same broker in the same run, as ratios. A script that prints figures, never a test.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { TOPICS } from '@gridcase/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { stackEnv } from '../test/env.ts';
import { eventually } from '../test/poll.ts';
import { Stack } from '../test/stack.ts';
import { createTemplateDatabase } from '../test/template.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { reports: { type: 'string', default: '500' }, rate: { type: 'string', default: '50' } },
});
const N = Number(values.reports);
const RATE = Number(values.rate);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Result {
  seconds: number;
  latencies: number[];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Sends `count` items at `rate` per second; `send(i)` starts one. */
async function paced(count: number, rate: number, send: (i: number) => Promise<void>): Promise<void> {
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(send(i));
  }
  await Promise.all(inflight);
}

/** Baseline: the least a Kafka pipeline with one hop can do on this broker. */
async function bareRelay(): Promise<Result> {
  const kafka = new Kafka({ brokers, clientId: 'bench-bare', logLevel: logLevel.NOTHING });
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const [inTopic, outTopic] = [`${prefix}.in`, `${prefix}.out`];
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [inTopic, outTopic].map((topic) => ({ topic, numPartitions: 6 })) });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const relay = kafka.consumer({ groupId: `${prefix}-relay` });
  const sink = kafka.consumer({ groupId: `${prefix}-sink` });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  await relay.connect();
  await sink.connect();
  await relay.subscribe({ topic: inTopic, fromBeginning: true });
  await sink.subscribe({ topic: outTopic, fromBeginning: true });
  await relay.run({ eachMessage: async ({ message }) => void (await producer.send({ topic: outTopic, acks: -1, messages: [message] })) });
  await sink.run({
    eachMessage: async ({ message }) => {
      const key = message.key!.toString();
      latencies.push(performance.now() - sentAt.get(key)!);
    },
  });
  const start = performance.now();
  await paced(N, RATE, async (i) => {
    sentAt.set(`k${i}`, performance.now());
    await producer.send({ topic: inTopic, acks: -1, messages: [{ key: `k${i}`, value: `{"n":${i}}` }] });
  });
  await eventually('bare relay to finish', () => (latencies.length >= N ? true : undefined), 300_000);
  const seconds = (performance.now() - start) / 1000;
  await Promise.all([relay.disconnect(), sink.disconnect(), producer.disconnect()]);
  await admin.deleteTopics({ topics: [inTopic, outTopic] }).catch(() => {});
  await admin.disconnect();
  return { seconds, latencies };
}

/** The whole pipeline: POST /v1/reports → intake → triage → assignment → case.assigned on gridcase.cases. */
async function pipeline(): Promise<Result> {
  const template = await createTemplateDatabase(databaseUrl);
  const stack = await Stack.start((extra) => stackEnv({ databaseUrl, templateDatabase: template, kafkaBrokers: brokers.join(',') }, extra), {
    LOG_LEVEL: 'warn',
  });
  try {
    const client = await stack.call('intake', 'POST', '/v1/clients', { body: { name: 'bench', roles: ['reporter', 'desk'] } });
    const token: string = client.body.token;
    const grids: { code: string }[] = (await stack.call('assignment', 'GET', '/v1/grids', { token })).body.items;
    const kafka = new Kafka({ brokers, clientId: 'bench-watch', logLevel: logLevel.NOTHING });
    const watcher = kafka.consumer({ groupId: `bench-watch-${randomBytes(3).toString('hex')}` });
    const reportSentAt = new Map<string, number>();
    const caseReport = new Map<string, string>();
    const latencies: number[] = [];
    await watcher.connect();
    await watcher.subscribe({ topic: `${stack.env.KAFKA_TOPIC_PREFIX}${TOPICS.cases}`, fromBeginning: true });
    await watcher.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value!.toString());
        if (event.type === 'gridcase.case.opened.v1') caseReport.set(event.data.caseId, event.data.reportId);
        if (event.type === 'gridcase.case.assigned.v1' && event.data.level === 0) {
          const sent = reportSentAt.get(caseReport.get(event.data.caseId) ?? '');
          if (sent !== undefined) latencies.push(performance.now() - sent);
        }
      },
    });
    const start = performance.now();
    await paced(N, RATE, async (i) => {
      const t = performance.now();
      const res = await stack.call('intake', 'POST', '/v1/reports', {
        token,
        body: { externalId: `bench-${i}`, description: `第${i}号：楼道堆放杂物`, location: { gridCode: grids[i % grids.length]!.code } },
      });
      reportSentAt.set(res.body.reportId, t);
    });
    await eventually('pipeline to assign every report', () => (latencies.length >= N ? true : undefined), 600_000);
    const seconds = (performance.now() - start) / 1000;
    await watcher.disconnect();
    await printStageTimes(stack);
    return { seconds, latencies };
  } finally {
    await stack.stop();
  }
}

/** Where the pipeline spends its time: each consumer group's mean handler time, from /metrics. */
async function printStageTimes(stack: Stack): Promise<void> {
  for (const service of ['intake', 'triage', 'assignment', 'escalation', 'desk'] as const) {
    const text: string = (await stack.call(service, 'GET', '/metrics')).body;
    const sums = new Map<string, { sum: number; count: number }>();
    for (const m of text.matchAll(/^gridcase_consumer_handle_seconds_(sum|count)\{group="([^"]+)",topic="([^"]+)"\} (\S+)$/gm)) {
      const key = `${m[2]!.replace(stack.env.KAFKA_TOPIC_PREFIX!, '')} ← ${m[3]}`;
      const entry = sums.get(key) ?? { sum: 0, count: 0 };
      entry[m[1] as 'sum' | 'count'] = Number(m[4]);
      sums.set(key, entry);
    }
    for (const [key, { sum, count }] of sums) {
      console.log(`  ${service.padEnd(11)} ${key.padEnd(55)} ${String(count).padStart(6)} msgs  mean ${((sum / Math.max(count, 1)) * 1000).toFixed(1).padStart(7)} ms`);
    }
  }
}

const describe = (name: string, r: Result) => {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return { name, throughput: N / r.seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

console.log(`gridcase bench: ${N} reports at ${RATE}/s, broker ${brokers.join(',')}, node ${process.version}`);
const bare = describe('bare kafkajs relay', await bareRelay());
const full = describe('gridcase pipeline', await pipeline());
for (const r of [bare, full]) {
  console.log(`${r.name.padEnd(20)} ${r.throughput.toFixed(1).padStart(8)} msg/s   p50 ${r.p50.toFixed(1).padStart(8)} ms   p99 ${r.p99.toFixed(1).padStart(8)} ms`);
}
console.log(
  `ratio pipeline/bare:  throughput ${(full.throughput / bare.throughput).toFixed(2)}x   p50 ${(full.p50 / bare.p50).toFixed(1)}x   p99 ${(full.p99 / bare.p99).toFixed(1)}x`,
);
process.exit(0);
