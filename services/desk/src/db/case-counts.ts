import type { Db } from '@gridcase/db';
import { count, ne, sql } from 'drizzle-orm';
import { overdueSql } from './queries.ts';
import { cases } from './schema.ts';

export interface SeverityCounts {
  severity: string;
  open: number;
  overdue: number;
}

/** Cases not closed, and of those the overdue ones (isOverdue), by severity (grade); one scan of the read model. */
export async function openCasesBySeverity(db: Db, now: Date): Promise<SeverityCounts[]> {
  const severity = sql<string>`coalesce(${cases.severity}, 'unknown')`;
  const rows = await db
    .select({ severity, open: count(), overdue: sql<number>`count(*) filter (where ${overdueSql(now)})::int` })
    .from(cases)
    .where(ne(cases.status, 'closed'))
    .groupBy(severity);
  return rows.map((r) => ({ severity: r.severity, open: Number(r.open), overdue: Number(r.overdue) }));
}
