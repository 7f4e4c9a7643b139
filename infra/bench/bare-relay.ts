// One stage of the bench's bare relay, as its own process (as each service is):
//   node infra/bench/bare-relay.ts <from-topic> <to-topic> <group> per-message|batched [kafkajs|platformatic]
// per-message: one send (acks=all, idempotent) per record, as plain client code does.
// batched: one send of what the consumer holds for a partition. Prints "ready" once it consumes; SIGTERM stops it.
// The same work with either client: kafkajs (the stack's) or @platformatic/kafka (issue 12, part 4).
import { compatibilityPartitioner, Consumer, type Message, MessagesStreamFallbackModes, MessagesStreamModes, Producer, ProduceAcks } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';

const [from, to, groupId, mode, client = 'kafkajs'] = process.argv.slice(2);
if (!from || !to || !groupId || (mode !== 'per-message' && mode !== 'batched') || (client !== 'kafkajs' && client !== 'platformatic')) {
  console.error('usage: bare-relay.ts <from> <to> <group> per-message|batched [kafkajs|platformatic]');
  process.exit(2);
}
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
// The services' consumer settings (packages/messaging), so the comparison is of the work, not the tuning.
const SESSION_TIMEOUT = 10_000;
const HEARTBEAT = 1_000;
const MAX_WAIT = 1000;
const PARTITIONS_AT_ONCE = 3;

const stop = client === 'kafkajs' ? await kafkajsRelay(from, to, groupId, mode) : await platformaticRelay(from, to, groupId, mode);
process.once('SIGTERM', async () => {
  await stop().catch(() => {});
  process.exit(0);
});

async function kafkajsRelay(from: string, to: string, groupId: string, mode: 'per-message' | 'batched'): Promise<() => Promise<void>> {
  const kafka = new Kafka({ brokers, clientId: groupId, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId, sessionTimeout: SESSION_TIMEOUT, heartbeatInterval: HEARTBEAT, maxWaitTimeInMs: MAX_WAIT });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: from, fromBeginning: true });
  consumer.on(consumer.events.GROUP_JOIN, () => console.log('ready'));
  await consumer.run(
    mode === 'per-message'
      ? {
          partitionsConsumedConcurrently: PARTITIONS_AT_ONCE,
          eachMessage: async ({ message }) => {
            await producer.send({ topic: to, acks: -1, messages: [{ key: message.key, value: message.value }] });
          },
        }
      : {
          partitionsConsumedConcurrently: PARTITIONS_AT_ONCE,
          eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
            await producer.send({ topic: to, acks: -1, messages: batch.messages.map((m) => ({ key: m.key, value: m.value })) });
            resolveOffset(batch.messages.at(-1)!.offset);
            await heartbeat();
          },
        },
  );
  return async () => {
    await consumer.disconnect();
    await producer.disconnect();
  };
}

/**
 * @platformatic/kafka has no eachMessage/eachBatch: its consumer is a stream of records. To do what
 * kafkajs's runner does, records are queued per partition and each partition is drained in order,
 * at most three partitions at once; offsets are committed after the send (after each drain), as
 * kafkajs commits resolved offsets after each batch. The stream pauses while too much is queued.
 */
async function platformaticRelay(from: string, to: string, groupId: string, mode: 'per-message' | 'batched'): Promise<() => Promise<void>> {
  const producer = new Producer({
    clientId: groupId,
    bootstrapBrokers: brokers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    // Murmur2 like the Java client and kafkajs's DefaultPartitioner.
    partitioner: compatibilityPartitioner,
  });
  const consumer = new Consumer({ clientId: groupId, groupId, bootstrapBrokers: brokers, sessionTimeout: SESSION_TIMEOUT, heartbeatInterval: HEARTBEAT, maxWaitTime: MAX_WAIT });
  consumer.once('consumer:group:join', () => console.log('ready'));
  const stream = await consumer.consume({
    topics: [from],
    mode: MessagesStreamModes.COMMITTED,
    fallbackMode: MessagesStreamFallbackModes.EARLIEST,
    autocommit: false,
  });
  const queued = new Map<number, Message[]>();
  const draining = new Set<number>();
  let held = 0;
  let slots = PARTITIONS_AT_ONCE;
  const waitingForSlot: (() => void)[] = [];
  const MAX_HELD = 5000;

  const fail = (err: unknown) => {
    console.error(`platformatic relay failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  };
  const drain = async (partition: number) => {
    draining.add(partition);
    if (slots === 0) await new Promise<void>((r) => waitingForSlot.push(r));
    else slots--;
    try {
      const queue = queued.get(partition)!;
      while (queue.length > 0) {
        const take = mode === 'batched' ? queue.splice(0) : queue.splice(0, 1);
        await producer.send({ messages: take.map((m) => ({ topic: to, key: m.key, value: m.value })) });
        held -= take.length;
        if (held < MAX_HELD / 2 && stream.isPaused()) stream.resume();
        if (queue.length === 0) await take.at(-1)!.commit();
      }
    } finally {
      draining.delete(partition);
      const next = waitingForSlot.shift();
      if (next) next();
      else slots++;
    }
  };
  stream.on('data', (message: Message) => {
    const queue = queued.get(message.partition) ?? [];
    queued.set(message.partition, queue);
    queue.push(message);
    if (++held >= MAX_HELD) stream.pause();
    if (!draining.has(message.partition)) drain(message.partition).catch(fail);
  });
  stream.on('error', fail);
  return async () => {
    await stream.close();
    await consumer.close();
    await producer.close();
  };
}
