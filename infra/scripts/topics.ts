// Creates every gridcase topic (6 partitions) that is missing; the broker never auto-creates them.
import { createKafka, ensureTopics } from '@gridcase/messaging';
import pino from 'pino';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
await ensureTopics(createKafka({ brokers, clientId: 'gridcase-topics', topicPrefix: prefix }, pino({ level: 'warn' })), prefix);
console.warn(`topics ready on ${brokers.join(',')}`);
