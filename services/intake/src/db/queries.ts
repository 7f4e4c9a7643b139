import type { InstantCursor } from '@gridcase/contracts';
import type { Db, Tx } from '@gridcase/db';
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { PersonalData, WrittenText } from '../domain/reporter.ts';
import { cases, clients, reporters, reports, staff } from './schema.ts';

export type ClientRow = typeof clients.$inferSelect;

export async function findClient(db: Db | Tx, clientId: string): Promise<ClientRow | undefined> {
  const [row] = await db.select().from(clients).where(eq(clients.clientId, clientId));
  return row;
}

/** Ids of revoked clients: what every service refuses (served at /v1/clients/revoked, read directly by intake). */
export async function revokedClientIds(db: Db): Promise<string[]> {
  const rows = await db.select({ clientId: clients.clientId }).from(clients).where(isNotNull(clients.revokedAt));
  return rows.map((r) => r.clientId);
}

/**
 * The grids each active community client acting as a grid worker sees now (`gridsFollowOfficer`):
 * its worker's grid in the current staff map, none when the map no longer has that person as a grid
 * worker. Every service puts them in place of the grids its token carries (service-kit's RevocationList).
 */
export async function workerGrids(db: Db): Promise<Record<string, string[]>> {
  const rows = await db
    .select({ clientId: clients.clientId, gridCode: staff.gridCode })
    .from(clients)
    .leftJoin(staff, and(eq(staff.officerId, clients.officerId), eq(staff.role, 'gridWorker')))
    .where(and(eq(clients.gridsFollowOfficer, true), isNull(clients.revokedAt)));
  return Object.fromEntries(rows.map((r) => [r.clientId, r.gridCode ? [r.gridCode] : []]));
}

/** What every service refreshes of the clients (served at /v1/clients/revoked, read directly by intake). */
export async function clientStanding(db: Db): Promise<{ revoked: string[]; workerGrids: Record<string, string[]> }> {
  const [revoked, grids] = await Promise.all([revokedClientIds(db), workerGrids(db)]);
  return { revoked, workerGrids: grids };
}

export type NewClient = typeof clients.$inferInsert;

export async function insertClient(db: Db | Tx, client: NewClient): Promise<void> {
  await db.insert(clients).values(client);
}

/**
 * The clients an admin token limited to `stations` manages: those limited to stations within its own (as it
 * issues them, issuerRefusal), never a wider one, such as a token without stations. Undefined: every client.
 */
export const managedBy = (stations: readonly string[] | undefined): SQL | undefined =>
  stations ? and(isNotNull(clients.stations), sql`${clients.stations} <@ ${JSON.stringify(stations)}::jsonb`) : undefined;

/**
 * Revokes a client (among those `by` manages), once: a client revoked already keeps its first
 * `revokedAt`, and `wasRevoked` says so, so a repeated DELETE records no second revocation.
 * Undefined when there is no such client. One statement when the client is active (the usual case);
 * `revoked_at IS NULL` is checked again on a row another revocation just wrote, so only one wins.
 */
export async function revokeClient(tx: Tx, clientId: string, by?: readonly string[]): Promise<{ revokedAt: Date; wasRevoked: boolean } | undefined> {
  const client = and(eq(clients.clientId, clientId), managedBy(by));
  const [revoked] = await tx
    .update(clients)
    .set({ revokedAt: sql`now()` })
    .where(and(client, isNull(clients.revokedAt)))
    .returning({ revokedAt: clients.revokedAt });
  if (revoked?.revokedAt) return { revokedAt: revoked.revokedAt, wasRevoked: false };
  const [before] = await tx.select({ revokedAt: clients.revokedAt }).from(clients).where(client);
  return before?.revokedAt ? { revokedAt: before.revokedAt, wasRevoked: true } : undefined;
}

/**
 * Changes what may change on a client without a new token; with its rate before, for the audit.
 * Undefined when there is no such client (among those `by` manages).
 */
export async function updateClient(
  tx: Tx,
  clientId: string,
  change: { ratePerMinute: number | null },
  by?: readonly string[],
): Promise<{ client: ClientRow; before: number | null } | undefined> {
  const [before] = await tx
    .select({ ratePerMinute: clients.ratePerMinute })
    .from(clients)
    .where(and(eq(clients.clientId, clientId), managedBy(by)))
    .for('update');
  if (!before) return undefined;
  const [client] = await tx.update(clients).set(change).where(eq(clients.clientId, clientId)).returning();
  return client && { client, before: before.ratePerMinute };
}

/** One page of clients in id order, after `afterId` (those `by` manages); one row more than `limit` when there is a next page. */
export async function listClients(db: Db, page: { afterId: string | undefined; limit: number }, by?: readonly string[]): Promise<ClientRow[]> {
  return db
    .select()
    .from(clients)
    .where(and(page.afterId !== undefined ? gt(clients.clientId, page.afterId) : undefined, managedBy(by)))
    .orderBy(asc(clients.clientId))
    .limit(page.limit + 1);
}

/** A report's personal data as stored (whole: the caller masks it), or undefined when it carried none. */
export async function reporterOf(db: Db | Tx, reportId: string): Promise<PersonalData | undefined> {
  const [row] = await db.select().from(reporters).where(eq(reporters.reportId, reportId));
  if (!row) return undefined;
  const written: WrittenText = {
    ...(row.writtenTitle === null ? {} : { title: row.writtenTitle }),
    ...(row.writtenDescription === null ? {} : { description: row.writtenDescription }),
    ...(row.writtenAddress === null ? {} : { address: row.writtenAddress }),
    ...(row.writtenAttachments === null ? {} : { attachments: row.writtenAttachments }),
    ...(row.writtenGridCode === null ? {} : { gridCode: row.writtenGridCode }),
    ...(row.writtenCommunityCode === null ? {} : { communityCode: row.writtenCommunityCode }),
  };
  return {
    name: row.name,
    phone: row.phone,
    idNumber: row.idNumber,
    email: row.email,
    anonymous: row.anonymous,
    ...(Object.keys(written).length > 0 ? { written } : {}),
  };
}

/** A case's category and owners, as the reporter's need to know is judged on them; undefined for none. */
export async function caseOwners(db: Db, caseId: string | null): Promise<{ category: string; assignees: { officerId: string }[] } | undefined> {
  if (caseId === null) return undefined;
  const [row] = await db.select({ category: cases.category, assignees: cases.assignees }).from(cases).where(eq(cases.caseId, caseId));
  return row;
}

export type ReportRow = typeof reports.$inferSelect;
export type CaseRow = typeof cases.$inferSelect;

/** A report by id, whoever posted it (the caller judges who may read it); undefined when there is none. */
export async function findReport(db: Db, reportId: string): Promise<ReportRow | undefined> {
  const [row] = await db.select().from(reports).where(eq(reports.reportId, reportId));
  return row;
}

/**
 * One page of a client's own reports, newest first by (receivedAt, reportId), after the report `after`
 * stands for when given; one row more than `limit` when there is a next page. Only the one under
 * `externalId` when given. Read backwards along reports_client_received_idx, so a page costs its own
 * rows whatever the client has sent. `receivedAt` is written from the service's clock (whole
 * milliseconds), so a cursor's instant is the row's exactly. Returned unawaited (a query builder) so a
 * test can read its SQL.
 */
export function clientReports(db: Db, clientId: string, page: { externalId: string | undefined; after: InstantCursor | undefined; limit: number }) {
  // received_at is never null: stated so the page may read the partial reports_client_received_idx.
  const where = [eq(reports.clientId, clientId), isNotNull(reports.receivedAt)];
  if (page.externalId !== undefined) where.push(eq(reports.externalId, page.externalId));
  if (page.after) where.push(sql`(${reports.receivedAt}, ${reports.reportId}) < (${page.after.at.toISOString()}::timestamptz, ${page.after.key})`);
  return db
    .select()
    .from(reports)
    .where(and(...where))
    .orderBy(desc(reports.receivedAt), desc(reports.reportId))
    .limit(page.limit + 1);
}

/** A case as intake's projection holds it; undefined when intake has not heard of it. */
export async function findCase(db: Db, caseId: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.caseId, caseId));
  return row;
}

/** The cases of a page of reports, by id, in one query (a page of 200 is one read, not 200 on the pool). */
export async function findCases(db: Db, caseIds: string[]): Promise<Map<string, CaseRow>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db.select().from(cases).where(inArray(cases.caseId, [...new Set(caseIds)]));
  return new Map(rows.map((row) => [row.caseId, row]));
}

/** A case's station, category and owners: what a desk role's read of its report is judged on; undefined for an unknown case. */
export async function caseStationAndOwners(db: Db, caseId: string): Promise<Pick<CaseRow, 'station' | 'category' | 'assignees'> | undefined> {
  const [row] = await db.select({ station: cases.station, category: cases.category, assignees: cases.assignees }).from(cases).where(eq(cases.caseId, caseId));
  return row;
}
