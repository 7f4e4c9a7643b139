import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '@gridcase/db';
import { and, asc, desc, eq, inArray, isNull, lt, lte, notExists, notInArray, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ClientEnd } from './case-projection.ts';
import { clients, webhookAttempts, webhookDeliveries, webhooks } from './schema.ts';

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const d = webhookDeliveries;
const earlier = alias(webhookDeliveries, 'earlier');

/**
 * Pending, due at `now` and not leased (or its lease is over: its sender died without an outcome),
 * with no earlier delivery of its case to its webhook still pending, leased or not (in order per case).
 */
function due(db: Db | Tx, now: Date): SQL | undefined {
  return and(
    eq(d.status, 'pending'),
    lte(d.nextAttemptAt, now),
    or(isNull(d.leasedUntil), lte(d.leasedUntil, now)),
    notExists(
      db
        .select({ one: sql`1` })
        .from(earlier)
        .where(and(eq(earlier.webhookId, d.webhookId), eq(earlier.caseId, d.caseId), eq(earlier.status, 'pending'), lt(earlier.seq, d.seq))),
    ),
  );
}

export interface DueWebhook {
  webhookId: string;
  clientId: string;
}

/**
 * Up to `limit` webhooks with a delivery due, leaving out `busy`, the one whose due delivery is
 * oldest first: each webhook gets its turn, however many deliveries another has waiting. A client
 * gets at most `perClient` less its `inFlight` count: one client's many webhooks take no more turns.
 */
export async function webhooksWithDue(
  db: Db,
  now: Date,
  o: { busy: string[]; inFlight: Record<string, number>; perClient: number; limit: number },
): Promise<DueWebhook[]> {
  const ranked = db
    .select({
      webhookId: d.webhookId,
      clientId: webhooks.clientId,
      oldest: sql<number>`min(${d.seq})`.as('oldest'),
      turn: sql<number>`row_number() over (partition by ${webhooks.clientId} order by min(${d.seq}))`.as('turn'),
    })
    .from(d)
    .innerJoin(webhooks, eq(webhooks.webhookId, d.webhookId))
    .where(and(due(db, now), o.busy.length ? notInArray(d.webhookId, o.busy) : undefined))
    .groupBy(d.webhookId, webhooks.clientId)
    .as('ranked');
  return db
    .select({ webhookId: ranked.webhookId, clientId: ranked.clientId })
    .from(ranked)
    .where(sql`${ranked.turn} + coalesce((${JSON.stringify(o.inFlight)}::jsonb ->> ${ranked.clientId})::int, 0) <= ${o.perClient}`)
    .orderBy(ranked.oldest)
    .limit(o.limit);
}

export interface Claim {
  delivery: DeliveryRow;
  /** Where and with what secret to send. */
  url: string;
  secret: string;
  /** Names this send: its outcome is recorded only while the lease is still this one. */
  token: string;
  /** Set when an earlier send's lease ran out without an outcome (that sender stopped or crashed). */
  expiredLease?: Date;
}

/** The webhook's pending deliveries were dropped, none sent: its client was revoked or its token expired. */
export interface Dropped {
  dropped: { clientId: string; reason: ClientEnd; deliveryIds: string[] };
}

/**
 * Leases the oldest due delivery of `webhookId` until `leaseUntil` in a short transaction of its own,
 * so the send that follows holds no row lock and no connection. A row another instance is claiming
 * right now is passed over (SKIP LOCKED); one it has leased is not due. When the webhook's client was
 * revoked or its token's end has passed by `now`, every pending delivery of the webhook is marked
 * `dropped` instead (one still in flight elsewhere records its outcome over it) and none is leased.
 */
export async function claimNextDelivery(db: Db, webhookId: string, now: Date, leaseUntil: Date): Promise<Claim | Dropped | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(d)
      .where(and(eq(d.webhookId, webhookId), due(tx, now)))
      .orderBy(asc(d.seq))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!row) return undefined;
    // The row is locked, so its foreign key keeps the webhook.
    const [hook] = await tx
      .select({ url: webhooks.url, secret: webhooks.secret, clientId: webhooks.clientId, revokedAt: clients.revokedAt, expiresAt: clients.expiresAt })
      .from(webhooks)
      .leftJoin(clients, eq(clients.clientId, webhooks.clientId))
      .where(eq(webhooks.webhookId, webhookId));
    if (!hook) return undefined;
    const ended: ClientEnd | undefined = hook.revokedAt ? 'client-revoked' : hook.expiresAt && hook.expiresAt <= now ? 'client-expired' : undefined;
    if (ended) {
      const dropped = await tx
        .update(d)
        .set({ status: 'dropped' })
        .where(and(eq(d.webhookId, webhookId), eq(d.status, 'pending')))
        .returning({ deliveryId: d.deliveryId });
      return { dropped: { clientId: hook.clientId, reason: ended, deliveryIds: dropped.map((x) => x.deliveryId) } };
    }
    const token = randomUUID();
    await tx.update(d).set({ leasedUntil: leaseUntil, leaseToken: token }).where(eq(d.deliveryId, row.deliveryId));
    return { delivery: row, url: hook.url, secret: hook.secret, token, ...(row.leasedUntil ? { expiredLease: row.leasedUntil } : {}) };
  });
}

export interface AttemptRecord {
  deliveryId: string;
  /** The claim's token: nothing is recorded unless the lease is still this one. */
  token: string;
  attempt: number;
  at: Date;
  status: 'delivered' | 'pending' | 'parked';
  statusCode?: number;
  error?: string;
  next?: Date;
}

/**
 * The outcome of one try: the delivery's new state, its lease ended, and the attempt beside it.
 * False, and nothing written, when the lease is no longer ours (it ran out and another send took
 * the delivery) or the webhook was deleted meanwhile.
 */
export async function recordAttempt(db: Db, a: AttemptRecord): Promise<boolean> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(d)
      .set({ status: a.status, attempts: a.attempt, leasedUntil: null, leaseToken: null, ...(a.next ? { nextAttemptAt: a.next } : {}) })
      .where(and(eq(d.deliveryId, a.deliveryId), eq(d.leaseToken, a.token)))
      .returning({ deliveryId: d.deliveryId });
    if (!updated.length) return false;
    await tx.insert(webhookAttempts).values({
      deliveryId: a.deliveryId,
      attempt: a.attempt,
      at: a.at,
      statusCode: a.statusCode ?? null,
      error: a.error ?? null,
      nextAttemptAt: a.next ?? null,
    });
    return true;
  });
}

/** Ends a lease without an attempt (the send was abandoned as the worker stopped): due again at once. */
export async function releaseLease(db: Db, deliveryId: string, token: string): Promise<void> {
  await db
    .update(d)
    .set({ leasedUntil: null, leaseToken: null })
    .where(and(eq(d.deliveryId, deliveryId), eq(d.leaseToken, token)));
}

export type AttemptRow = typeof webhookAttempts.$inferSelect;

/**
 * A page of a webhook's deliveries, latest first, those before `beforeSeq` when given, each with its
 * attempts in order; one delivery more than `limit` when there is a next page.
 */
export async function deliveriesPage(db: Db, webhookId: string, page: { beforeSeq: number | undefined; limit: number }) {
  const rows = await db
    .select()
    .from(d)
    .where(and(eq(d.webhookId, webhookId), page.beforeSeq !== undefined ? lt(d.seq, page.beforeSeq) : undefined))
    .orderBy(desc(d.seq))
    .limit(page.limit + 1);
  const ids = rows.map((r) => r.deliveryId);
  const attempts = ids.length ? await db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, ids)).orderBy(asc(webhookAttempts.id)) : [];
  return rows.map((row) => ({ row, attempts: attempts.filter((a) => a.deliveryId === row.deliveryId) }));
}
