import type { Db, Tx } from '@gridcase/db';
import { and, asc, desc, eq, inArray, lt, lte, notExists, notInArray, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { webhookAttempts, webhookDeliveries, webhooks } from './schema.ts';

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const d = webhookDeliveries;
const earlier = alias(webhookDeliveries, 'earlier');

/** Pending and due at `now`, with no earlier delivery of its case to its webhook still pending (in order per case). */
function due(db: Db | Tx, now: Date): SQL | undefined {
  return and(
    eq(d.status, 'pending'),
    lte(d.nextAttemptAt, now),
    notExists(
      db
        .select({ one: sql`1` })
        .from(earlier)
        .where(and(eq(earlier.webhookId, d.webhookId), eq(earlier.caseId, d.caseId), eq(earlier.status, 'pending'), lt(earlier.seq, d.seq))),
    ),
  );
}

/**
 * Up to `limit` webhooks with a delivery due, leaving out `busy`, the one whose due delivery is
 * oldest first: each webhook gets its turn, however many deliveries another has waiting.
 */
export async function webhooksWithDue(db: Db, now: Date, busy: string[], limit: number): Promise<string[]> {
  const rows = await db
    .select({ webhookId: d.webhookId })
    .from(d)
    .where(and(due(db, now), busy.length ? notInArray(d.webhookId, busy) : undefined))
    .groupBy(d.webhookId)
    .orderBy(sql`min(${d.seq})`)
    .limit(limit);
  return rows.map((r) => r.webhookId);
}

/**
 * The oldest due delivery of `webhookId`, locked for the rest of `tx`; one that another instance
 * holds is passed over (SKIP LOCKED), and with it the later ones of its case, which wait for it.
 */
export async function claimNextDelivery(tx: Tx, webhookId: string, now: Date): Promise<DeliveryRow | undefined> {
  const [row] = await tx
    .select()
    .from(d)
    .where(and(eq(d.webhookId, webhookId), due(tx, now)))
    .orderBy(asc(d.seq))
    .limit(1)
    .for('update', { skipLocked: true });
  return row;
}

/** Where and with what secret to send; the delivery row's foreign key keeps its webhook while the row is locked. */
export async function webhookTarget(tx: Tx, webhookId: string): Promise<{ url: string; secret: string } | undefined> {
  const [hook] = await tx.select({ url: webhooks.url, secret: webhooks.secret }).from(webhooks).where(eq(webhooks.webhookId, webhookId));
  return hook;
}

export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  at: Date;
  status: 'delivered' | 'pending' | 'parked';
  statusCode?: number;
  error?: string;
  next?: Date;
}

/** The outcome of one try: the delivery's new state and the attempt beside it. */
export async function recordAttempt(tx: Tx, a: AttemptRecord): Promise<void> {
  await tx
    .update(d)
    .set({ status: a.status, attempts: a.attempt, ...(a.next ? { nextAttemptAt: a.next } : {}) })
    .where(eq(d.deliveryId, a.deliveryId));
  await tx.insert(webhookAttempts).values({
    deliveryId: a.deliveryId,
    attempt: a.attempt,
    at: a.at,
    statusCode: a.statusCode ?? null,
    error: a.error ?? null,
    nextAttemptAt: a.next ?? null,
  });
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
