import type { Tx } from '@gridcase/db';
import { and, eq, gte, or, type SQL, sql } from 'drizzle-orm';
import { DUPLICATE_RADIUS_M, type IndexedCase, RELAPSE_WINDOW_DAYS } from '../domain/duplicates.ts';
import { boundingBox, lockNames, type Place } from '../domain/place.ts';
import { caseIndex } from './schema.ts';

type Row = typeof caseIndex.$inferSelect;

const indexed = (row: Row): IndexedCase => ({
  caseId: row.caseId,
  kind: row.kind,
  category: row.category,
  place: {
    lat: row.lat ?? undefined,
    lng: row.lng ?? undefined,
    addressKey: row.addressKey ?? undefined,
    gridCode: row.gridCode ?? undefined,
    communityCode: row.communityCode ?? undefined,
  },
  text: row.text,
  status: row.status as IndexedCase['status'],
  lastReportAt: row.lastReportAt,
  settledAt: row.settledAt,
});

/**
 * Serialises decisions about one place: reports that could repeat each other arrive on different
 * partitions, and without this two of them can both see no open case and both open one. Every
 * ~500 m cell around the point and each address/grid/community key is locked, in the order of the
 * lock ids, so two reports that could match share a lock and never deadlock. Not narrowed by kind:
 * an unclassified report may join a case of any kind (and the case-number row serialises every
 * opening anyway). Held to commit.
 */
export async function lockPlace(tx: Tx, place: Place): Promise<void> {
  const names = lockNames('triage.place', place);
  const ids = await tx.execute<{ id: string }>(
    sql`select distinct hashtextextended(name, 0)::text as id from unnest(array[${sql.join(names.map((n) => sql`${n}`), sql`, `)}]::text[]) as name`,
  );
  // Sorted as numbers, not text: the order is what prevents deadlocks, so it must be the ids' own.
  const ordered = ids.rows.map((r) => BigInt(r.id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const id of ordered) await tx.execute(sql`select pg_advisory_xact_lock(${id.toString()}::bigint)`);
}

/**
 * Cases near the place that could take the report or make it a relapse: open ones, and ones settled
 * within the relapse window. A box around the point (250 m) or the same text keys; the domain
 * decides distance, kind and family.
 */
export async function placeCandidates(tx: Tx, place: Place, receivedAt: Date): Promise<IndexedCase[]> {
  const near: SQL[] = [];
  if (place.lat !== undefined && place.lng !== undefined) {
    const box = boundingBox(place.lat, place.lng, DUPLICATE_RADIUS_M);
    near.push(sql`(${caseIndex.lat} between ${box.minLat} and ${box.maxLat} and ${caseIndex.lng} between ${box.minLng} and ${box.maxLng})`);
  }
  if (place.addressKey) near.push(eq(caseIndex.addressKey, place.addressKey));
  if (place.gridCode) near.push(eq(caseIndex.gridCode, place.gridCode));
  if (place.communityCode) near.push(eq(caseIndex.communityCode, place.communityCode));
  if (!near.length) return [];
  const settledSince = new Date(receivedAt.getTime() - RELAPSE_WINDOW_DAYS * 86_400_000);
  const rows = await tx
    .select()
    .from(caseIndex)
    .where(and(or(...near), or(eq(caseIndex.status, 'open'), gte(caseIndex.settledAt, settledSince))));
  return rows.map(indexed);
}

export async function indexCase(
  tx: Tx,
  c: { caseId: string; caseNumber: string; kind: string; category: string; place: Place; text: string; openedAt: Date },
): Promise<void> {
  await tx.insert(caseIndex).values({
    caseId: c.caseId,
    caseNumber: c.caseNumber,
    kind: c.kind,
    category: c.category,
    lat: c.place.lat ?? null,
    lng: c.place.lng ?? null,
    addressKey: c.place.addressKey ?? null,
    gridCode: c.place.gridCode ?? null,
    communityCode: c.place.communityCode ?? null,
    text: c.text,
    status: 'open',
    openedAt: c.openedAt,
    lastReportAt: c.openedAt,
  });
}

/** A merged report keeps the case's merge window running from the newest report. */
export async function noteReport(tx: Tx, caseId: string, receivedAt: Date): Promise<void> {
  await tx
    .update(caseIndex)
    .set({ lastReportAt: sql`greatest(${caseIndex.lastReportAt}, ${receivedAt.toISOString()}::timestamptz)` })
    .where(eq(caseIndex.caseId, caseId));
}

/** What a case event says about the case's place in the index; settled cases remember when. */
export async function setCaseStatus(tx: Tx, caseId: string, status: IndexedCase['status'], at: Date): Promise<void> {
  await tx
    .update(caseIndex)
    .set(status === 'open' ? { status } : { status, settledAt: at })
    .where(eq(caseIndex.caseId, caseId));
}
