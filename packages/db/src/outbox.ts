import type { Message, MessageType, Topic } from '@gridcase/contracts';
import { context, propagation } from '@opentelemetry/api';
import type pg from 'pg';
import type { Tx } from './client.ts';
import { commitNotifier, notifyOnCommit } from './notify.ts';
import type { InboxTable, OutboxTable } from './tables.ts';

export interface OutgoingMessage {
  topic: Topic;
  key: string;
  message: Message<MessageType>;
  headers?: Record<string, string>;
}

/** Channel the relay LISTENs on to wake early; polling stays the source of truth. */
export const outboxChannel = (schema: string) => `gridcase_outbox_${schema}`;

/**
 * The W3C traceparent of the span active now, when a tracing SDK runs (service-kit's tracing);
 * undefined without one, where the API is a no-op.
 */
export function activeTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/**
 * Wakes the schema's relay once outbox rows committed without writeOutbox, e.g. by one statement on
 * the pool: this process's relay directly when it runs here (any relay publishes every pending row),
 * else every instance's by NOTIFY, coalesced with the pool's other wake-ups (notify.ts).
 */
export function wakeOutboxRelays(pool: pg.Pool, schema: string): void {
  commitNotifier(pool).notify(outboxChannel(schema));
}

/**
 * Writes messages to the outbox inside the caller's transaction; a relay is woken after it commits
 * (createDb's transaction wakes this process's relay, or NOTIFYs, outside the transaction: notify.ts).
 * With tracing on, each row carries the traceparent of the span writing it (the request or the
 * handling of an event), so the relay's send and the consumers' handling become its children; the
 * relay publishes later, in a context of its own, and continues from this stored value.
 */
export async function writeOutbox(tx: Tx, outbox: OutboxTable, schema: string, messages: OutgoingMessage[]) {
  if (messages.length === 0) return;
  notifyOnCommit(tx, outboxChannel(schema));
  const traceparent = activeTraceparent();
  await tx.insert(outbox).values(
    messages.map((m) => ({
      topic: m.topic,
      key: m.key,
      value: m.message,
      headers: traceparent ? { ...m.headers, traceparent } : (m.headers ?? {}),
    })),
  );
}

/**
 * Records that a consumer group handled an event, inside the handler's transaction.
 * Returns false when it was already handled: the caller must then change nothing.
 */
export async function claimInbox(tx: Tx, inbox: InboxTable, consumerGroup: string, eventId: string): Promise<boolean> {
  const rows = await tx
    .insert(inbox)
    .values({ consumerGroup, eventId })
    .onConflictDoNothing()
    .returning({ eventId: inbox.eventId });
  return rows.length === 1;
}
