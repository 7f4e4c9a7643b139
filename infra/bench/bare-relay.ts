// One stage of the bench's bare kafkajs relay, as its own process (as each service is):
//   node infra/bench/bare-relay.ts <from-topic> <to-topic> <group> per-message|batched
// per-message: eachMessage → one send (acks=all, idempotent) per record, as plain kafkajs code does.
// batched: eachBatch → one send of the whole batch. Prints "ready" once it consumes; SIGTERM stops it.
import { Kafka, logLevel } from 'kafkajs';

const [from, to, groupId, mode] = process.argv.slice(2);
if (!from || !to || !groupId || (mode !== 'per-message' && mode !== 'batched')) {
  console.error('usage: bare-relay.ts <from> <to> <group> per-message|batched');
  process.exit(2);
}
const kafka = new Kafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), clientId: groupId, logLevel: logLevel.NOTHING });
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
// The services' consumer settings (packages/messaging), so the comparison is of the work, not the tuning.
const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 1000 });
await producer.connect();
await consumer.connect();
await consumer.subscribe({ topic: from, fromBeginning: true });
consumer.on(consumer.events.GROUP_JOIN, () => console.log('ready'));
await consumer.run(
  mode === 'per-message'
    ? {
        partitionsConsumedConcurrently: 3,
        eachMessage: async ({ message }) => {
          await producer.send({ topic: to, acks: -1, messages: [{ key: message.key, value: message.value }] });
        },
      }
    : {
        partitionsConsumedConcurrently: 3,
        eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
          await producer.send({ topic: to, acks: -1, messages: batch.messages.map((m) => ({ key: m.key, value: m.value })) });
          resolveOffset(batch.messages.at(-1)!.offset);
          await heartbeat();
        },
      },
);
process.once('SIGTERM', async () => {
  await consumer.disconnect().catch(() => {});
  await producer.disconnect().catch(() => {});
  process.exit(0);
});
