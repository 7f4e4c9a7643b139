// node infra/scripts/dlq-replay.ts [--topic gridcase.reports] [--group <consumer group>]
// Sends dead letters back to their original topic once the cause is fixed.
import { parseArgs } from 'node:util';
import type { Topic } from '@gridcase/contracts';
import { createKafka, createProducer, replayDeadLetters } from '@gridcase/messaging';
import pino from 'pino';

const { values } = parseArgs({ options: { topic: { type: 'string' }, group: { type: 'string' } } });
const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
const kafka = createKafka(
  { brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), clientId: 'gridcase-dlq-replay', topicPrefix: prefix },
  pino({ level: 'warn' }),
);
const producer = createProducer(kafka);
await producer.connect();
const result = await replayDeadLetters({ kafka, producer, topicPrefix: prefix, fromTopic: values.topic as Topic | undefined, group: values.group });
await producer.disconnect();
console.warn(`replayed ${result.replayed}, skipped ${result.skipped}`);
