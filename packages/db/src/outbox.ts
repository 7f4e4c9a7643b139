import type { Message, MessageType, Topic } from '@gridcase/contracts';
import { context, propagation } from '@opentelemetry/api';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { Tx } from './client.ts';
import { commitNotifier, notifyOnCommit } from './notify.ts';
import type { InboxTable, OutboxTable } from './tables.ts';
import { clientOf } from './tx-client.ts';

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
  const rows = messages.map((m) => ({ topic: m.topic, key: m.key, value: m.message, headers: traceparent ? { ...m.headers, traceparent } : (m.headers ?? {}) }));
  await clientOf(tx).query({ ...statementsOf(outbox).write, values: [JSON.stringify(rows)] });
}

// Every handler claims its event in the inbox and most write to the outbox, so these two statements
// run for nearly every message: as prepared statements (parsed once per connection) rather than built
// by drizzle each time, whose query building cost the services more CPU than the statements did.
interface Statements {
  write: pg.QueryConfig;
  claim: pg.QueryConfig;
}
const statements = new WeakMap<OutboxTable | InboxTable, Statements>();

/** The prepared statements of a schema's outbox or inbox (named per schema: a process may serve several). */
function statementsOf(table: OutboxTable | InboxTable): Statements {
  const known = statements.get(table);
  if (known) return known;
  const { schema = 'public' } = getTableConfig(table);
  const made = {
    // The rows in the order given: ids follow it, and the relay publishes in id order.
    write: {
      name: `gridcase_outbox_write_${schema}`,
      text: `insert into "${schema}".outbox (topic, key, value, headers)
             select r->>'topic', r->>'key', r->'value', r->'headers' from jsonb_array_elements($1::jsonb) with ordinality as m(r, n) order by n`,
    },
    claim: {
      name: `gridcase_inbox_claim_${schema}`,
      text: `insert into "${schema}".inbox (consumer_group, event_id) values ($1, $2) on conflict do nothing returning event_id`,
    },
  };
  statements.set(table, made);
  return made;
}

/**
 * Records that a consumer group handled an event, inside the handler's transaction.
 * Returns false when it was already handled: the caller must then change nothing.
 */
export async function claimInbox(tx: Tx, inbox: InboxTable, consumerGroup: string, eventId: string): Promise<boolean> {
  const { rowCount } = await clientOf(tx).query({ ...statementsOf(inbox).claim, values: [consumerGroup, eventId] });
  return rowCount === 1;
}
