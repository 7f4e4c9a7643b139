import type { CaseStatus, Location, Outcome } from '@gridcase/contracts';
import { clientOf, type Db, driverColumns, driverValues, type Tx } from '@gridcase/db';
import { eq } from 'drizzle-orm';
import type pg from 'pg';
import type { CaseRecord } from '../domain/case.ts';
import type { Clock, Deadlines } from '../domain/deadlines.ts';
import { cases, type StoredClock, type StoredDeadlines } from './schema.ts';

type CaseRow = typeof cases.$inferSelect;
type CaseInsert = typeof cases.$inferInsert;

const toClock = (c: StoredClock | undefined): Clock | undefined =>
  c ? { startedAt: new Date(c.startedAt), dueAt: new Date(c.dueAt), ...(c.warnAt ? { warnAt: new Date(c.warnAt) } : {}) } : undefined;
const fromClock = (c: Clock | undefined): StoredClock | undefined =>
  c ? { startedAt: c.startedAt.toISOString(), dueAt: c.dueAt.toISOString(), ...(c.warnAt ? { warnAt: c.warnAt.toISOString() } : {}) } : undefined;

/** The stored clocks as the domain's; respond and resolve exist from opening (migration 0001 filled older rows). */
export const toDeadlines = (d: StoredDeadlines): Deadlines => ({
  respond: toClock(d.respond) as Clock,
  resolve: toClock(d.resolve) as Clock,
  verify: toClock(d.verify),
  'follow-up': toClock(d['follow-up']),
});

/** The domain's clocks as stored (JSON), a working-day clock's warning with them. */
export const fromDeadlines = (d: Deadlines): StoredDeadlines =>
  JSON.parse(JSON.stringify({ respond: fromClock(d.respond), resolve: fromClock(d.resolve), verify: fromClock(d.verify), 'follow-up': fromClock(d['follow-up']) }));

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
  referenceVersion: row.referenceVersion,
  openedAt: row.openedAt,
  deadlines: toDeadlines(row.deadlines),
  deadlineVersion: row.deadlineVersion,
  budgets: row.budgets,
  resolveBudgetMs: row.resolveBudgetMs,
  reporter: row.reporter,
  relapse: row.relapse,
  relatedCaseIds: row.relatedCaseIds,
  reworkCount: row.reworkCount,
  acknowledgedAt: row.acknowledgedAt,
  resolvedAt: row.resolvedAt,
  resolvedBy: row.resolvedBy,
  outcome: row.outcome as Outcome | null,
  hold: row.hold && { ...row.hold, since: new Date(row.hold.since), until: row.hold.until ? new Date(row.hold.until) : null },
  extension: row.extension && { ...row.extension, until: new Date(row.extension.until) },
  extensionsApproved: row.extensionsApproved,
  updatedAt: row.updatedAt,
});

const toRow = (record: CaseRecord): Omit<CaseInsert, 'description' | 'location' | 'title'> => ({
  ...record,
  deadlines: fromDeadlines(record.deadlines),
  hold: record.hold && { ...record.hold, since: record.hold.since.toISOString(), until: record.hold.until?.toISOString() ?? null },
  extension: record.extension && { ...record.extension, until: record.extension.until.toISOString() },
});

/** Inserts a new case; false when it already exists (the same case opened twice changes nothing). */
export async function insertCase(
  tx: Tx,
  record: CaseRecord,
  details: { title?: string | undefined; description: string; location: Location },
): Promise<boolean> {
  const row = { ...toRow(record), title: details.title ?? null, description: details.description, location: details.location };
  const { rowCount } = await clientOf(tx).query({ ...INSERT_CASE, values: driverValues(CASE_COLUMNS, row) });
  return rowCount === 1;
}

// Every case.opened inserts one: a prepared statement (parsed once per connection) rather than built
// by drizzle per case, whose query building cost more CPU than the insert.
const CASE_COLUMNS = driverColumns(cases);
const INSERT_CASE: pg.QueryConfig = {
  name: 'assignment_insert_case',
  text: `insert into assignment.cases (${CASE_COLUMNS.map((c) => `"${c.name}"`).join(', ')})
         values (${CASE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) on conflict do nothing`,
};

/**
 * Reads a case and locks its row until the transaction ends: case events and commands for one case
 * arrive on two topics and may be handled at once, so each decision sees the one before it.
 */
export async function lockCase(tx: Tx, caseId: string): Promise<CaseRecord | undefined> {
  const [row] = await tx.select().from(cases).where(eq(cases.caseId, caseId)).for('update');
  return row ? toRecord(row) : undefined;
}

export async function saveCase(tx: Tx, record: CaseRecord): Promise<void> {
  const { caseId, ...changes } = toRow(record);
  await tx.update(cases).set(changes).where(eq(cases.caseId, caseId));
}

export async function findCase(db: Db, caseId: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.caseId, caseId));
  return row;
}
