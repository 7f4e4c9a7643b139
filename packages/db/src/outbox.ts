import type { Message, MessageType, Topic } from '@gridcase/contracts';
import { sql } from 'drizzle-orm';
import type { Tx } from './client.ts';
import type { InboxTable, OutboxTable } from './tables.ts';

export interface OutgoingMessage {
  topic: Topic;
  key: string;
  message: Message<MessageType>;
  headers?: Record<string, string>;
}

/** Channel the relay LISTENs on to wake early; polling stays the source of truth. */
export const outboxChannel = (schema: string) => `gridcase_outbox_${schema}`;

/** Writes messages to the outbox inside the caller's transaction, and wakes the relay on commit. */
export async function writeOutbox(tx: Tx, outbox: OutboxTable, schema: string, messages: OutgoingMessage[]) {
  if (messages.length === 0) return;
  await tx.insert(outbox).values(
    messages.map((m) => ({ topic: m.topic, key: m.key, value: m.message, headers: m.headers ?? {} })),
  );
  await tx.execute(sql`select pg_notify(${outboxChannel(schema)}, '')`);
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
