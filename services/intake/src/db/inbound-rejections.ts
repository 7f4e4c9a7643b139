import { isStorableText } from '@gridcase/contracts';
import { type Db, pruneOlderThan } from '@gridcase/db';
import { and, desc, eq } from 'drizzle-orm';
import type pg from 'pg';
import { inboundRejections } from './schema.ts';

/** How many refusals of one key a sender is shown, newest first. */
const SHOWN = 20;

/**
 * Keeps that a sender's inbound record under `externalId` was refused, and why: once per record (its
 * partition and offset), however often it is dead-lettered again. Nothing when a field cannot be stored.
 */
export async function recordInboundRejection(
  db: Db,
  r: { clientId: string; externalId: string; reason: string; sourcePartition: number; sourceOffset: string },
): Promise<void> {
  if (![r.clientId, r.externalId, r.reason].every(isStorableText) || r.externalId.length > 128) return;
  await db.insert(inboundRejections).values(r).onConflictDoNothing();
}

/** The sender's refused inbound records under `externalId`, newest first. */
export async function inboundRejectionsOf(db: Db, clientId: string, externalId: string) {
  return db
    .select({ reason: inboundRejections.reason, rejectedAt: inboundRejections.rejectedAt })
    .from(inboundRejections)
    .where(and(eq(inboundRejections.clientId, clientId), eq(inboundRejections.externalId, externalId)))
    .orderBy(desc(inboundRejections.rejectedAt), desc(inboundRejections.id))
    .limit(SHOWN);
}

/**
 * Forgets refusals older than the retention, in small batches (by `rejected_at`, indexed): a sender
 * asks about a record it sent lately, and a redelivery of one that old is long past. Says how many went.
 */
export function pruneInboundRejections(pool: pg.Pool, retainMs: number): Promise<number> {
  return pruneOlderThan(pool, 'intake', 'inbound_rejections', 'rejected_at', { retainMs });
}
