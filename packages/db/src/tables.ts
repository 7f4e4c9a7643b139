import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, type PgSchema, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** The transactional outbox: rows written with the state change, published later by the relay. */
export function outboxTable(schema: PgSchema) {
  return schema.table(
    'outbox',
    {
      id: bigserial('id', { mode: 'number' }).primaryKey(),
      topic: text('topic').notNull(),
      key: text('key').notNull(),
      value: jsonb('value').notNull(),
      headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
      createdAt: timestamptz('created_at').notNull().defaultNow(),
      sentAt: timestamptz('sent_at'),
    },
    (t) => [index('outbox_unsent_idx').on(t.id).where(sql`sent_at is null`)],
  );
}

/** The inbox: one row per (consumer group, event id) handled, written in the handler's transaction. */
export function inboxTable(schema: PgSchema) {
  return schema.table(
    'inbox',
    {
      consumerGroup: text('consumer_group').notNull(),
      eventId: text('event_id').notNull(),
      processedAt: timestamptz('processed_at').notNull().defaultNow(),
    },
    // processed_at is indexed for pruneInbox, which deletes by age in small batches.
    (t) => [primaryKey({ columns: [t.consumerGroup, t.eventId] }), index('inbox_processed_at_idx').on(t.processedAt)],
  );
}

/**
 * The audit log: every read of personal data and every admin change, one row each, never updated
 * or deleted (the migration adds a trigger that refuses both). `before`/`after` hold no personal data.
 */
export function auditTable(schema: PgSchema) {
  return schema.table(
    'audit',
    {
      id: bigserial('id', { mode: 'number' }).primaryKey(),
      at: timestamptz('at').notNull().defaultNow(),
      /** The client id of the token (`admin` for ADMIN_TOKEN). */
      actor: text('actor').notNull(),
      /** What was done, e.g. `client.created`, `reporter.read`, `rules.replaced`. */
      action: text('action').notNull(),
      /** What it was done to, e.g. a client id, a report id, `calendar:2026`. */
      target: text('target').notNull(),
      before: jsonb('before'),
      after: jsonb('after'),
    },
    (t) => [index('audit_at_idx').on(t.at), index('audit_actor_idx').on(t.actor, t.at)],
  );
}

export type OutboxTable = ReturnType<typeof outboxTable>;
export type AuditTable = ReturnType<typeof auditTable>;
export type InboxTable = ReturnType<typeof inboxTable>;
