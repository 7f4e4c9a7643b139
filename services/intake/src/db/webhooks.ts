import type { Db } from '@gridcase/db';
import { and, asc, eq, sql } from 'drizzle-orm';
import { webhooks } from './schema.ts';

export type WebhookRow = typeof webhooks.$inferSelect;

/**
 * A URL as the receiver sees it: WHATWG's parse (scheme and host in lower case, a default or zero-padded
 * port as the port), no fragment (never sent), no empty query (`/hook?` is `/hook`), and unreserved
 * characters percent-encoded (%68 for h) decoded.
 */
export function endpointOf(url: string): string {
  const u = new URL(url);
  u.hash = '';
  // An empty query parses as '' yet stays in href as a lone '?': setting it drops the '?'.
  if (u.search === '') u.search = '';
  return u.href.replace(/%([0-9a-f]{2})/gi, (encoded, hex: string) => {
    const c = String.fromCharCode(Number.parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(c) ? c : encoded.toUpperCase();
  });
}
const sameEndpoint = (a: string, b: string) => endpointOf(a) === endpointOf(b);

/** What registering a webhook did: stored it, or not because the client has one for the URL or has as many as it may. */
export type Registered = { created: true } | { created: false; sameUrl: string } | { created: false; limit: number };

/**
 * Stores a client's webhook (`events` null stands for every event type) unless the client already has one for
 * the same URL (each event would be POSTed there twice) or has `limit` of them. One registration per client at
 * a time (a transaction-scoped advisory lock), so two at once cannot both pass the checks.
 */
export async function registerWebhook(
  db: Db,
  hook: { webhookId: string; clientId: string; url: string; secret: string; events: string[] | null },
  limit: number,
): Promise<Registered> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`webhooks:${hook.clientId}`}, 0))`);
    const rows = await tx.select({ webhookId: webhooks.webhookId, url: webhooks.url }).from(webhooks).where(eq(webhooks.clientId, hook.clientId));
    const same = rows.find((r) => sameEndpoint(r.url, hook.url));
    if (same) return { created: false, sameUrl: same.webhookId };
    if (rows.length >= limit) return { created: false, limit };
    await tx.insert(webhooks).values(hook);
    return { created: true };
  });
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
