import type { DeskCaseExportQuery, DeskCaseSummary } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { and, asc, eq, gte, inArray, lt, type SQL } from 'drizzle-orm';
import { policeGridSql, toSummary } from './queries.ts';
import { cases } from './schema.ts';
import { type Scope, scopeSql } from '@gridcase/service-kit';

/**
 * The cases opened in [from, to) for the report, oldest first, in the list's shape (toSummary: no
 * description, no personal data). At most `max` + 1, so the caller can tell "too many".
 */
export async function loadCasesForExport(
  db: Db,
  q: Omit<DeskCaseExportQuery, 'format'>,
  range: { from: Date; to: Date },
  scope: Scope,
  now: Date,
  max: number,
): Promise<DeskCaseSummary[]> {
  const where: SQL[] = [gte(cases.openedAt, range.from), lt(cases.openedAt, range.to), scopeSql(scope, { station: cases.station, gridCode: cases.gridCode })];
  if (q.status) where.push(inArray(cases.status, q.status.split(',')));
  if (q.severity) where.push(inArray(cases.severity, q.severity.split(',')));
  if (q.policeGrid) where.push(policeGridSql(q.policeGrid));
  if (q.grid) where.push(eq(cases.gridCode, q.grid));
  if (q.category) where.push(inArray(cases.category, q.category.split(',')));
  const rows = await db
    .select()
    .from(cases)
    .where(and(...where))
    .orderBy(asc(cases.openedAt), asc(cases.caseId))
    .limit(max + 1);
  return rows.map((r) => toSummary(r, now));
}
