import type { CaseStatus, Location, Outcome } from '@gridcase/contracts';
import type { Db, Tx } from '@gridcase/db';
import { eq } from 'drizzle-orm';
import type { CaseRecord } from '../domain/case.ts';
import { cases } from './schema.ts';

type CaseRow = typeof cases.$inferSelect;

export const toRecord = (row: CaseRow): CaseRecord => ({
  caseId: row.caseId,
  caseNumber: row.caseNumber,
  station: row.station,
  status: row.status as CaseStatus,
  level: row.level,
  category: row.category,
  severity: row.severity,
  assignees: row.assignees,
  policeGridCode: row.policeGridCode,
  gridCode: row.gridCode,
  routedBy: row.routedBy,
  unroutableReason: row.unroutableReason,
  respondBy: row.respondBy,
  resolveBy: row.resolveBy,
  openedAt: row.openedAt,
  respondBudgetMs: row.respondBudgetMs,
  resolveBudgetMs: row.resolveBudgetMs,
  acknowledgedAt: row.acknowledgedAt,
  resolvedAt: row.resolvedAt,
  outcome: row.outcome as Outcome | null,
  updatedAt: row.updatedAt,
});

/** Inserts a new case; false when it already exists (the same case opened twice changes nothing). */
export async function insertCase(
  tx: Tx,
  record: CaseRecord,
  details: { title?: string | undefined; description: string; location: Location },
): Promise<boolean> {
  const rows = await tx
    .insert(cases)
    .values({ ...record, title: details.title ?? null, description: details.description, location: details.location })
    .onConflictDoNothing()
    .returning({ caseId: cases.caseId });
  return rows.length === 1;
}

/**
 * Reads a case and locks its row until the transaction ends: case events and commands for one case
 * arrive on two topics and may be handled at once, so each decision sees the one before it.
 */
export async function lockCase(tx: Tx, caseId: string): Promise<CaseRecord | undefined> {
  const [row] = await tx.select().from(cases).where(eq(cases.caseId, caseId)).for('update');
  return row ? toRecord(row) : undefined;
}

export async function saveCase(tx: Tx, record: CaseRecord): Promise<void> {
  const { caseId, ...changes } = record;
  await tx.update(cases).set(changes).where(eq(cases.caseId, caseId));
}

export async function findCase(db: Db, caseId: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.caseId, caseId));
  return row;
}
