import type { DeskQueues } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type Scope, scopeSql } from '@gridcase/service-kit';
import { count, ne, sql } from 'drizzle-orm';
import { RUNNING_CLOCKS } from '../domain/deadlines.ts';
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
  resolved: string;
  follow_up: string;
  on_hold: string;
  overdue: string;
  escalated: string;
}

/** The statuses some clock runs in: the work still owed (held and closed cases run none). */
const IN_WORK = sql.join(
  [...new Set(RUNNING_CLOCKS.flatMap((clock) => clock.statuses))].map((status) => sql`${status}`),
  sql`, `,
);

/**
 * The counts every queue shows. overdue is judged as isOverdue (and `GET /v1/cases?overdue=true`) does: a
 * running deadline passed, or one missed and not yet met, so a late 核查 or 回访 counts too (audit23 #3);
 * escalated is the cases above level 0 whose clocks run (in work, not held), as overdue's are.
 */
const counts = (now: Date) => sql`
  count(*) filter (where ${cases.status} = 'open') as open,
  count(*) filter (where ${cases.status} = 'acknowledged') as acknowledged,
  count(*) filter (where ${cases.status} = 'resolved') as resolved,
  count(*) filter (where ${cases.status} = 'follow-up') as follow_up,
  count(*) filter (where ${cases.status} = 'on-hold') as on_hold,
  count(*) filter (where ${overdueSql(now)}) as overdue,
  count(*) filter (where ${cases.status} in (${IN_WORK}) and ${cases.level} > 0) as escalated`;

const toCounts = (r: CountRow) => ({
  open: Number(r.open),
  acknowledged: Number(r.acknowledged),
  resolved: Number(r.resolved),
  followUp: Number(r.follow_up),
  onHold: Number(r.on_hold),
  overdue: Number(r.overdue),
  escalated: Number(r.escalated),
});

/**
 * The queues of the cases not closed that `scope` covers: per police grid (cases no police grid took
 * first) and per assigned officer, how many are at each status, overdue at `now` and escalated.
 */
export async function loadQueues(db: Db, now: Date, scope: Scope): Promise<DeskQueues> {
  // Every case not closed is work someone still owes: to act, to verify (核查), to call back (回访), or
  // to pick up after a hold; counted once each by status, so that none falls out of every queue (audit19 #11).
  // overdue and escalated count the cases whose clocks run: a held case, which runs none, is in neither.
  const notClosed = sql`${cases.status} <> 'closed' and ${scopeSql(scope, SCOPE_COLUMNS)}`;
  // A row with no police grid too (first): cases routed to the duty desk, so the rows add up to all the work.
  const grids = await db.execute<CountRow & { police_grid_code: string | null }>(sql`
    select ${cases.policeGridCode} as police_grid_code, ${counts(now)}
      from ${cases}
     where ${notClosed}
     group by ${cases.policeGridCode}
     order by ${cases.policeGridCode} nulls first`);
  const officers = await db.execute<CountRow & { officer_id: string; name: string | null }>(sql`
    select a->>'officerId' as officer_id, max(a->>'name') as name, ${counts(now)}
      from ${cases}
      cross join lateral jsonb_array_elements(${cases.assignees}) a
     where ${notClosed}
     group by a->>'officerId'
     order by a->>'officerId'`);
  return {
    policeGrids: grids.rows.map((r) => ({ policeGridCode: r.police_grid_code, ...toCounts(r) })),
    officers: officers.rows.map((r) => ({ officerId: r.officer_id, name: r.name, ...toCounts(r) })),
  };
}
