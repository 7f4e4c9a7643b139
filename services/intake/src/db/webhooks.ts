import type { Db } from '@gridcase/db';
import { and, asc, eq } from 'drizzle-orm';
import { webhooks } from './schema.ts';

export type WebhookRow = typeof webhooks.$inferSelect;

/** Stores a client's webhook; `events` null stands for every event type. */
export async function insertWebhook(db: Db, hook: { webhookId: string; clientId: string; url: string; secret: string; events: string[] | null }): Promise<void> {
  await db.insert(webhooks).values(hook);
}

/** A client's webhooks, in id order. */
export async function webhooksOf(db: Db, clientId: string): Promise<WebhookRow[]> {
  return db.select().from(webhooks).where(eq(webhooks.clientId, clientId)).orderBy(asc(webhooks.webhookId));
}

/** The webhook with this id when it is this client's; undefined for an unknown one and for another client's. */
export async function clientWebhook(db: Db, webhookId: string, clientId: string): Promise<WebhookRow | undefined> {
  const [row] = await db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.webhookId, webhookId), eq(webhooks.clientId, clientId)));
  return row;
}

/** Removes a webhook; its deliveries and their attempts go with it (the foreign keys cascade). */
export async function deleteWebhook(db: Db, webhookId: string): Promise<void> {
  await db.delete(webhooks).where(eq(webhooks.webhookId, webhookId));
}
