import type { CaseStatus, Outcome, Severity } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type Scope, scopeSql } from '@gridcase/service-kit';
import { type SQL, sql } from 'drizzle-orm';
import type { CaseFact } from '../domain/figures.ts';
import { gradingRulesOf } from '../domain/five-none.ts';

/** desk.cases aliased `c`, as the figure queries read it: where a case is, for the reader's scope (service-kit scopeSql). */
const SCOPED = { station: sql`c.station`, gridCode: sql`c.grid_code` };

interface FactRow extends Record<string, unknown> {
  case_id: string;
  kind: string | null;
  category: string | null;
  severity: string | null;
  police_grid_code: string | null;
  grid_code: string | null;
  status: string;
  opened_at: string | Date;
  acknowledged_at: string | Date | null;
  resolved_at: string | Date | null;
  outcome: string | null;
  resolve_by: string | Date | null;
  escalations: number;
  first_escalated_at: string | Date | null;
  rework_count: number;
  relapse: boolean;
  rule: string | null;
}

const date = (v: string | Date | null): Date | null => (v === null ? null : new Date(v));

const toFact = (r: FactRow): CaseFact => ({
  caseId: r.case_id,
  kind: r.kind,
  category: r.category,
  severity: r.severity as Severity | null,
  policeGridCode: r.police_grid_code,
  gridCode: r.grid_code,
  status: r.status as CaseStatus,
  openedAt: new Date(r.opened_at),
  acknowledgedAt: date(r.acknowledged_at),
  resolvedAt: date(r.resolved_at),
  outcome: r.outcome as Outcome | null,
  resolveBy: date(r.resolve_by),
  escalations: Number(r.escalations),
  firstEscalatedAt: date(r.first_escalated_at),
  reworkCount: Number(r.rework_count),
  relapse: r.relapse,
  gradedBy: gradingRulesOf(r.rule),
});

/**
 * The facts the figures need, for the cases `where` selects. The rule that graded a case lives in its
 * case.opened event and its first escalation in the timeline: both read from there, not copied.
 */
async function loadFacts(db: Db, where: SQL): Promise<CaseFact[]> {
  const { rows } = await db.execute<FactRow>(sql`
    select c.case_id, c.kind, c.category, c.severity, c.police_grid_code, c.grid_code, c.status, c.opened_at,
           c.acknowledged_at, c.resolved_at, c.outcome, c.resolve_by, c.escalations, c.rework_count, c.relapse,
           (select t.data->>'rule' from desk.timeline t
             where t.case_id = c.case_id and t.type = 'gridcase.case.opened.v1' order by t.seq limit 1) as rule,
           (select min((t.data->>'at')::timestamptz) from desk.timeline t
             where t.case_id = c.case_id and t.type = 'gridcase.case.escalated.v1') as first_escalated_at
      from desk.cases c
     where ${where}
     order by c.opened_at, c.case_id`);
  return rows.map(toFact);
}

/** The cases opened in [from, to) that the filter lets through. */
export const loadCaseFacts = (db: Db, range: { from: Date; to: Date }, scope: Scope) =>
  loadFacts(
    db,
    sql`c.opened_at >= ${range.from.toISOString()}::timestamptz and c.opened_at < ${range.to.toISOString()}::timestamptz and ${scopeSql(scope, SCOPED)}`,
  );

/**
 * Disputes that may have been decided (settled, escalated, referred) since `since`: resolved since,
 * or escalated since (the first escalation may be earlier; the SLI reads it and its windows drop it).
 */
export const loadDisputeFacts = (db: Db, since: Date, scope: Scope) =>
  loadFacts(
    db,
    sql`c.kind = 'dispute' and ${scopeSql(scope, SCOPED)} and (c.resolved_at >= ${since.toISOString()}::timestamptz or exists (
          select 1 from desk.timeline t
           where t.case_id = c.case_id and t.type = 'gridcase.case.escalated.v1' and (t.data->>'at')::timestamptz >= ${since.toISOString()}::timestamptz))`,
  );

/**
 * Every community grid the desk has seen a case in (with the police grid of its latest case): the
 * desk keeps no map of grids, and a grid with no case in a period is exactly one that earns 五没有.
 */
export async function loadKnownGrids(db: Db, scope: Scope): Promise<{ gridCode: string; policeGridCode: string | null }[]> {
  const { rows } = await db.execute<{ grid_code: string; police_grid_code: string | null }>(sql`
    select distinct on (c.grid_code) c.grid_code, c.police_grid_code
      from desk.cases c
     where c.grid_code is not null and ${scopeSql(scope, SCOPED)}
     order by c.grid_code, c.opened_at desc`);
  return rows.map((r) => ({ gridCode: r.grid_code, policeGridCode: r.police_grid_code }));
}
