import type { DeskQueues } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type Scope, scopeSql } from '@gridcase/service-kit';
import { count, ne, sql } from 'drizzle-orm';
import { overdueSql, SCOPE_COLUMNS } from './queries.ts';
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

interface CountRow extends Record<string, unknown> {
  open: string;
  acknowledged: string;
  overdue: string;
  escalated: string;
}

/** The counts every queue shows; overdue is judged as isOverdue does (a running deadline passed, or one missed and not yet met). */
const counts = (now: Date) => sql`
  count(*) filter (where ${cases.status} = 'open') as open,
  count(*) filter (where ${cases.status} = 'acknowledged') as acknowledged,
  count(*) filter (where ${overdueSql(now)}) as overdue,
  count(*) filter (where ${cases.level} > 0) as escalated`;

const toCounts = (r: CountRow) => ({
  open: Number(r.open),
  acknowledged: Number(r.acknowledged),
  overdue: Number(r.overdue),
  escalated: Number(r.escalated),
});

/**
 * The queues of unresolved cases `scope` covers: per police grid (cases no police grid took first) and
 * per assigned officer, how many are open, acknowledged, overdue at `now` and escalated.
 */
export async function loadQueues(db: Db, now: Date, scope: Scope): Promise<DeskQueues> {
  // Only unresolved cases are queued work (a held case is not: its clocks are stopped).
  const unresolved = sql`${cases.status} in ('open', 'acknowledged') and ${scopeSql(scope, SCOPE_COLUMNS)}`;
  // A row with no police grid too (first): cases routed to the duty desk, so the rows add up to all the work.
  const grids = await db.execute<CountRow & { police_grid_code: string | null }>(sql`
    select ${cases.policeGridCode} as police_grid_code, ${counts(now)}
      from ${cases}
     where ${unresolved}
     group by ${cases.policeGridCode}
     order by ${cases.policeGridCode} nulls first`);
  const officers = await db.execute<CountRow & { officer_id: string; name: string | null }>(sql`
    select a->>'officerId' as officer_id, max(a->>'name') as name, ${counts(now)}
      from ${cases}
      cross join lateral jsonb_array_elements(${cases.assignees}) a
     where ${unresolved}
     group by a->>'officerId'
     order by a->>'officerId'`);
  return {
    policeGrids: grids.rows.map((r) => ({ policeGridCode: r.police_grid_code, ...toCounts(r) })),
    officers: officers.rows.map((r) => ({ officerId: r.officer_id, name: r.name, ...toCounts(r) })),
  };
}
