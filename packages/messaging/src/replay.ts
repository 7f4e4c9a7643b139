import { randomUUID } from 'node:crypto';
import { DLQ_HEADERS, TOPICS, type Topic } from '@gridcase/contracts';
import type { IHeaders, Kafka, Producer } from 'kafkajs';
import { headersAsSent, readHeaders } from './headers.ts';
import { physicalTopic } from './kafka.ts';

/** One record of `gridcase.dlq`, with what the consumer runner wrote in its headers. */
export interface DeadLetter {
  /** Where it sits in the DLQ topic: `partition:offset` names it. */
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  /** Each header's value; of one the record carries more than once, the first (every one is in `repeatedHeaders`). */
  headers: Record<string, string>;
  /** Every value of each header the record carries more than once (a record refused for it keeps them all); absent when none repeats. */
  repeatedHeaders?: Record<string, string[]>;
  /** The logical topic, partition and offset it was read from, and the consumer group that gave up. */
  origin: { topic: string | undefined; partition: number | undefined; offset: string | undefined; group: string | undefined };
  error: string | undefined;
  attempts: number | undefined;
  /** ISO time the consumer gave up. */
  failedAt: string | undefined;
  /** The value is a stub (size and SHA-256): the record was too large for the DLQ, or no copy of it could be made (deadLetterValue failed). */
  truncated: boolean;
  /** The CloudEvents id and type when the value is an envelope. */
  eventId: string | undefined;
  eventType: string | undefined;
}

const optionalNumber = (s: string | undefined): number | undefined => (s === undefined || s === '' ? undefined : Number(s));

function envelopeOf(value: Buffer | null): { id?: string; type?: string } {
  // Only a JSON object can be an envelope; anything else (a stub reference, bytes) has no id.
  if (value?.[0] !== 0x7b) return {};
  try {
    const parsed = JSON.parse(value.toString('utf8')) as { id?: unknown; type?: unknown };
    return {
      ...(typeof parsed.id === 'string' ? { id: parsed.id } : {}),
      ...(typeof parsed.type === 'string' ? { type: parsed.type } : {}),
    };
  } catch {
    return {};
  }
}

export interface DeadLetterSource {
  kafka: Kafka;
  topicPrefix: string;
}

/**
 * Reads the DLQ from its start up to the end it has now, calling `visit` for each record in order
 * per partition; records that arrive meanwhile wait for the next scan. A throwaway consumer group
 * does the reading and is deleted afterwards, so scans leave no groups behind and never move the
 * offsets of a real consumer. Returns how many records it read.
 */
export async function scanDeadLetters(o: DeadLetterSource, visit: (entry: DeadLetter) => Promise<void> | void): Promise<number> {
  const topic = physicalTopic(o.topicPrefix, TOPICS.dlq);
  const admin = o.kafka.admin();
  await admin.connect();
  const groupId = `${o.topicPrefix}gridcase-dlq-tool-${randomUUID()}`;
  let read = 0;
  try {
    const ends = new Map(
      (await admin.fetchTopicOffsets(topic)).filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]),
    );
    if (ends.size === 0) return 0;
    let finish: () => void = () => {};
    let fail: (err: unknown) => void = () => {};
    const done = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    const consumer = o.kafka.consumer({ groupId });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const end = ends.get(partition);
          if (end === undefined || BigInt(message.offset) >= end) return;
          try {
            await visit(toDeadLetter(partition, message.offset, message.key, message.value, message.headers));
          } catch (err) {
            fail(err);
            return;
          }
          read++;
          if (BigInt(message.offset) + 1n >= end) ends.delete(partition);
          if (ends.size === 0) finish();
        },
      });
      await done;
    } finally {
      await consumer.disconnect();
    }
  } finally {
    // Best effort: a group that outlives a failed scan only holds an offset of the DLQ.
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  return read;
}

function toDeadLetter(partition: number, offset: string, key: Buffer | null, value: Buffer | null, raw: IHeaders | undefined): DeadLetter {
  const text = readHeaders(raw);
  const { headers } = text;
  const envelope = envelopeOf(value);
  return {
    partition,
    offset,
    key: key?.toString('utf8') ?? null,
    value,
    ...text,
    origin: {
      topic: headers[DLQ_HEADERS.topic],
      partition: optionalNumber(headers[DLQ_HEADERS.partition]),
      offset: headers[DLQ_HEADERS.offset],
      group: headers[DLQ_HEADERS.group],
    },
    error: headers[DLQ_HEADERS.error],
    attempts: optionalNumber(headers[DLQ_HEADERS.attempts]),
    failedAt: headers[DLQ_HEADERS.failedAt],
    truncated: headers['dlq-truncated'] === 'true',
    eventId: envelope.id,
    eventType: envelope.type,
  };
}

/** Every dead letter the DLQ holds now (that `match` accepts), in order per partition. */
export async function readDeadLetters(o: DeadLetterSource, match: (entry: DeadLetter) => boolean = () => true): Promise<DeadLetter[]> {
  const entries: DeadLetter[] = [];
  await scanDeadLetters(o, (entry) => {
    if (match(entry)) entries.push(entry);
  });
  return entries;
}

export interface ReplayOptions extends DeadLetterSource {
  producer: Producer;
  /** Replay only entries that came from this topic and/or consumer group. */
  fromTopic?: Topic;
  group?: string;
  /** Replay only entries this accepts (after fromTopic and group). */
  match?: (entry: DeadLetter) => boolean;
  /** Decide what would be replayed, send nothing. */
  dryRun?: boolean;
}

/**
 * Sends dead letters back to the topic they came from, without the DLQ headers, so a fixed
 * consumer gets another go. Every consumer group of that topic sees the record again; consumers
 * are idempotent (the inbox), so a group that had handled it, or a second replay, changes nothing.
 * Stubs of truncated records cannot be replayed and are skipped. `entries` lists what was
 * replayed (or, with dryRun, would be).
 */
export async function replayDeadLetters(o: ReplayOptions): Promise<{ replayed: number; skipped: number; entries: DeadLetter[] }> {
  let skipped = 0;
  const entries: DeadLetter[] = [];
  await scanDeadLetters(o, async (entry) => {
    const origin = entry.origin.topic;
    if (
      !origin ||
      entry.truncated ||
      (o.fromTopic && origin !== o.fromTopic) ||
      (o.group && entry.origin.group !== o.group) ||
      (o.match && !o.match(entry))
    ) {
      skipped++;
      return;
    }
    entries.push(entry);
    if (o.dryRun) return;
    // A repeated header goes with every value: a record refused for it is refused again, not taken with the first.
    const kept = Object.fromEntries(Object.entries(headersAsSent(entry)).filter(([k]) => !k.startsWith('dlq-')));
    await o.producer.send({
      topic: physicalTopic(o.topicPrefix, origin),
      acks: -1,
      messages: [{ key: entry.key, value: entry.value, headers: { ...kept, 'dlq-replayed-from-offset': entry.origin.offset ?? '' } }],
    });
  });
  return { replayed: o.dryRun ? 0 : entries.length, skipped, entries };
}
