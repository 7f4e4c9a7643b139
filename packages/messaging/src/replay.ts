import { DLQ_HEADERS, type Topic } from '@gridcase/contracts';
import type { Kafka, KafkaMessage, Producer } from 'kafkajs';
import { physicalTopic } from './kafka.ts';

export interface ReplayOptions {
  kafka: Kafka;
  producer: Producer;
  topicPrefix: string;
  /** Replay only entries that came from this topic and/or consumer group. */
  fromTopic?: Topic;
  group?: string;
}

/**
 * Sends dead letters back to the topic they came from, without the DLQ headers, so a fixed
 * consumer gets another go. Each replay uses a fresh group and reads the DLQ from the start;
 * consumers are idempotent, so replaying an entry twice changes nothing.
 */
export async function replayDeadLetters(o: ReplayOptions): Promise<{ replayed: number; skipped: number }> {
  const topic = physicalTopic(o.topicPrefix, 'gridcase.dlq');
  // Read up to the end the DLQ has now; entries that arrive during the replay wait for the next one.
  const admin = o.kafka.admin();
  await admin.connect();
  const ends = new Map(
    (await admin.fetchTopicOffsets(topic)).filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]),
  );
  await admin.disconnect();
  let replayed = 0;
  let skipped = 0;
  if (ends.size === 0) return { replayed, skipped };
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const consumer = o.kafka.consumer({ groupId: `${o.topicPrefix}gridcase-dlq-replay-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        await replayOne(message);
        if (BigInt(message.offset) + 1n >= (ends.get(partition) ?? 0n)) ends.delete(partition);
        if (ends.size === 0) finish();
      },
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return { replayed, skipped };

  async function replayOne(message: KafkaMessage): Promise<void> {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([k, v]) => [k, v === undefined ? '' : String(v)]),
        );
        const origin = headers[DLQ_HEADERS.topic];
        if (!origin || (o.fromTopic && origin !== o.fromTopic) || (o.group && headers[DLQ_HEADERS.group] !== o.group)) {
          skipped++;
          return;
        }
        const kept = Object.fromEntries(Object.entries(headers).filter(([k]) => !k.startsWith('dlq-')));
        await o.producer.send({
          topic: physicalTopic(o.topicPrefix, origin),
          acks: -1,
          messages: [{ key: message.key, value: message.value, headers: { ...kept, 'dlq-replayed-from-offset': headers[DLQ_HEADERS.offset] ?? '' } }],
        });
        replayed++;
  }
}
