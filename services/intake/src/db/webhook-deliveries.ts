import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '@gridcase/db';
import { and, asc, desc, eq, inArray, isNull, lt, lte, notExists, or, type SQL, sql } from 'drizzle-orm';
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

export interface Claim {
  delivery: DeliveryRow;
  /** Where and with what secret to send, and whose webhook it is. */
  url: string;
  secret: string;
  clientId: string;
  /** Names this send: its outcome is recorded only while the lease is still this one. */
  token: string;
  /** Set when an earlier send's lease ran out without an outcome (that sender stopped or crashed). */
  expiredLease?: Date;
}

/** A webhook's pending deliveries were dropped, none sent: its client was revoked or its token expired. */
export interface Dropped {
  webhookId: string;
  clientId: string;
  reason: ClientEnd;
  deliveryIds: string[];
}

/** What one instance has in flight, and how much more it may take. */
export interface ClaimRoom {
  /** Sends in flight in this instance, per webhook id and per client id. */
  inFlightPerWebhook: Record<string, number>;
  inFlightPerClient: Record<string, number>;
  /** The caps: sends in flight at once per webhook and per client; `limit` is how many more in all. */
  perWebhook: number;
  perClient: number;
  limit: number;
}

const inFlightOf = (counts: Record<string, number>, key: unknown) =>
  sql`coalesce((${JSON.stringify(counts)}::jsonb ->> ${key})::int, 0)`;

/**
 * The ids of up to `room.limit` due deliveries to send now: each the head of its case (`due`), at
 * most `perWebhook` per webhook and `perClient` per client counting those in flight, taking turns so
 * that every client, then every webhook of a client, gets its oldest due delivery before any gets a
 * second.
 */
async function dueHeads(tx: Tx, now: Date, room: ClaimRoom): Promise<string[]> {
  const heads = tx
    .select({
      deliveryId: d.deliveryId,
      webhookId: d.webhookId,
      clientId: webhooks.clientId,
      seq: d.seq,
      hookTurn: sql<number>`row_number() over (partition by ${d.webhookId} order by ${d.seq})`.as('hook_turn'),
    })
    .from(d)
    .innerJoin(webhooks, eq(webhooks.webhookId, d.webhookId))
    .where(due(tx, now))
    .as('heads');
  const withRoom = tx
    .select({
      deliveryId: heads.deliveryId,
      clientId: heads.clientId,
      seq: heads.seq,
      hookTurn: heads.hookTurn,
      clientTurn: sql<number>`row_number() over (partition by ${heads.clientId} order by ${heads.hookTurn}, ${heads.seq})`.as('client_turn'),
    })
    .from(heads)
    .where(sql`${heads.hookTurn} + ${inFlightOf(room.inFlightPerWebhook, heads.webhookId)} <= ${room.perWebhook}`)
    .as('with_room');
  const rows = await tx
    .select({ deliveryId: withRoom.deliveryId })
    .from(withRoom)
    .where(sql`${withRoom.clientTurn} + ${inFlightOf(room.inFlightPerClient, withRoom.clientId)} <= ${room.perClient}`)
    .orderBy(withRoom.clientTurn, withRoom.hookTurn, withRoom.seq)
    .limit(room.limit);
  return rows.map((r) => r.deliveryId);
}

/**
 * Leases up to `room.limit` due deliveries until `leaseUntil` in one short transaction, so the sends
 * that follow hold no row lock and no connection. Only the head of a case is ever due (an earlier one
 * pending, leased or not, holds the rest back), so two claims never hold two deliveries of one case
 * to one webhook, in this instance or across instances. A row another instance is claiming right now
 * is passed over (SKIP LOCKED); one it has leased is not due. When a webhook's client was revoked or
 * its token's end has passed by `now`, every pending delivery of that webhook is marked `dropped`
 * instead (one still in flight elsewhere records its outcome over it) and none of its is leased.
 */
export async function claimDueDeliveries(db: Db, now: Date, leaseUntil: Date, room: ClaimRoom): Promise<{ claims: Claim[]; dropped: Dropped[] }> {
  if (room.limit <= 0) return { claims: [], dropped: [] };
  return db.transaction(async (tx) => {
    const ids = await dueHeads(tx, now, room);
    if (!ids.length) return { claims: [], dropped: [] };
    // Checked again under the lock: another instance may have leased or sent one since.
    const rows = await tx
      .select()
      .from(d)
      .where(and(inArray(d.deliveryId, ids), due(tx, now)))
      .orderBy(asc(d.seq))
      .for('update', { skipLocked: true });
    if (!rows.length) return { claims: [], dropped: [] };
    // The rows are locked, so their foreign keys keep the webhooks.
    const hooks = await tx
      .select({ webhookId: webhooks.webhookId, url: webhooks.url, secret: webhooks.secret, clientId: webhooks.clientId, revokedAt: clients.revokedAt, expiresAt: clients.expiresAt })
      .from(webhooks)
      .leftJoin(clients, eq(clients.clientId, webhooks.clientId))
      .where(inArray(webhooks.webhookId, [...new Set(rows.map((r) => r.webhookId))]));
    const byId = new Map(hooks.map((h) => [h.webhookId, h]));
    const dropped: Dropped[] = [];
    for (const hook of hooks) {
      const reason: ClientEnd | undefined = hook.revokedAt ? 'client-revoked' : hook.expiresAt && hook.expiresAt <= now ? 'client-expired' : undefined;
      if (!reason) continue;
      byId.delete(hook.webhookId);
      const gone = await tx
        .update(d)
        .set({ status: 'dropped' })
        .where(and(eq(d.webhookId, hook.webhookId), eq(d.status, 'pending')))
        .returning({ deliveryId: d.deliveryId });
      dropped.push({ webhookId: hook.webhookId, clientId: hook.clientId, reason, deliveryIds: gone.map((x) => x.deliveryId) });
    }
    const sendable = rows.filter((r) => byId.has(r.webhookId));
    if (!sendable.length) return { claims: [], dropped };
    // One token for the whole claim: an outcome is recorded by delivery id and token together.
    const token = randomUUID();
    await tx
      .update(d)
      .set({ leasedUntil: leaseUntil, leaseToken: token })
      .where(inArray(d.deliveryId, sendable.map((r) => r.deliveryId)));
    const claims = sendable.map((row): Claim => {
      const hook = byId.get(row.webhookId)!;
      return { delivery: row, url: hook.url, secret: hook.secret, clientId: hook.clientId, token, ...(row.leasedUntil ? { expiredLease: row.leasedUntil } : {}) };
    });
    return { claims, dropped };
  });
}

/** Pending deliveries by state, as the database has them: how many, and the event time of the oldest. */
export type Backlog = Record<'queued' | 'retrying', { pending: number; oldest: Date | undefined }>;

/**
 * Pending deliveries, with the event time of the oldest, in two states: `queued`, never tried and behind no failed delivery of
 * their case (waiting on the senders: a backlog here is intake's), and `retrying`, a receiver failed
 * them or an earlier one of their case (waiting on the receiver).
 */
export async function deliveryBacklog(db: Db): Promise<Backlog> {
  const failedBefore = db
    .select({ one: sql`1` })
    .from(earlier)
    .where(and(eq(earlier.webhookId, d.webhookId), eq(earlier.caseId, d.caseId), eq(earlier.status, 'pending'), sql`${earlier.attempts} > 0`, lt(earlier.seq, d.seq)));
  const state = sql<'queued' | 'retrying'>`case when ${d.attempts} = 0 and not exists (${failedBefore}) then 'queued' else 'retrying' end`;
  const rows = await db
    .select({ state: state.as('state'), pending: sql<number>`count(*)::int`, oldest: sql<Date | null>`min(${d.createdAt})`.mapWith(d.createdAt) })
    .from(d)
    .where(eq(d.status, 'pending'))
    .groupBy(sql`1`);
  const backlog: Backlog = { queued: { pending: 0, oldest: undefined }, retrying: { pending: 0, oldest: undefined } };
  for (const r of rows) backlog[r.state] = { pending: r.pending, oldest: r.oldest ?? undefined };
  return backlog;
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
  const waiting = await waitingBehind(db, rows.filter((r) => r.status === 'pending').map((r) => r.deliveryId));
  return rows.map((row) => ({ row, attempts: attempts.filter((a) => a.deliveryId === row.deliveryId), waitingFor: waiting.get(row.deliveryId) }));
}

/**
 * For each pending delivery of `ids`, the oldest earlier pending delivery of its webhook and case, which
 * it waits behind: a case's events are sent in order, so its own nextAttemptAt may pass unsent meanwhile.
 */
async function waitingBehind(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const earlier = alias(d, 'earlier');
  const rows = await db
    .selectDistinctOn([d.deliveryId], { deliveryId: d.deliveryId, behind: earlier.deliveryId })
    .from(d)
    .innerJoin(earlier, and(eq(earlier.webhookId, d.webhookId), eq(earlier.caseId, d.caseId), eq(earlier.status, 'pending'), lt(earlier.seq, d.seq)))
    .where(inArray(d.deliveryId, [...ids]))
    .orderBy(d.deliveryId, asc(earlier.seq));
  return new Map(rows.map((r) => [r.deliveryId, r.behind]));
}
