import type { CaseStatus, Outcome, Severity } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { CaseFact } from '../domain/figures.ts';
import { gradingRulesOf } from '../domain/five-none.ts';

/**
 * Which cases a reader may count: undefined = no limit; an empty list = none. The route passes the
 * token's scope (stations; a community token's grids).
 */
export interface CaseFilter {
  stationCodes?: readonly string[];
  policeGridCodes?: readonly string[];
  gridCodes?: readonly string[];
}

const oneOf = (column: SQLWrapper, values: readonly string[] | undefined): SQL | undefined =>
  values === undefined ? undefined : values.length ? sql`${column} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})` : sql`false`;

type FilterColumns = Record<'station' | 'policeGridCode' | 'gridCode', SQLWrapper>;
/** desk.cases aliased `c`, as the figure queries read it. */
const ALIASED: FilterColumns = { station: sql`c.station`, policeGridCode: sql`c.police_grid_code`, gridCode: sql`c.grid_code` };

/** The filter as SQL (`true` where nothing limits), over `c` or the columns given (e.g. the `cases` table). */
export function caseFilterSql(f: CaseFilter, columns: FilterColumns = ALIASED): SQL {
  const parts = [oneOf(columns.station, f.stationCodes), oneOf(columns.policeGridCode, f.policeGridCodes), oneOf(columns.gridCode, f.gridCodes)].filter(
    (p): p is SQL => p !== undefined,
  );
  return parts.length ? sql`(${sql.join(parts, sql` and `)})` : sql`true`;
}

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
export const loadCaseFacts = (db: Db, range: { from: Date; to: Date }, filter: CaseFilter) =>
  loadFacts(
    db,
    sql`c.opened_at >= ${range.from.toISOString()}::timestamptz and c.opened_at < ${range.to.toISOString()}::timestamptz and ${caseFilterSql(filter)}`,
  );

/**
 * Disputes that may have been decided (settled, escalated, referred) since `since`: resolved since,
 * or escalated since (the first escalation may be earlier; the SLI reads it and its windows drop it).
 */
export const loadDisputeFacts = (db: Db, since: Date, filter: CaseFilter) =>
  loadFacts(
    db,
    sql`c.kind = 'dispute' and ${caseFilterSql(filter)} and (c.resolved_at >= ${since.toISOString()}::timestamptz or exists (
          select 1 from desk.timeline t
           where t.case_id = c.case_id and t.type = 'gridcase.case.escalated.v1' and (t.data->>'at')::timestamptz >= ${since.toISOString()}::timestamptz))`,
  );

/**
 * Every community grid the desk has seen a case in (with the police grid of its latest case): the
 * desk keeps no map of grids, and a grid with no case in a period is exactly one that earns 五没有.
 */
export async function loadKnownGrids(db: Db, filter: CaseFilter): Promise<{ gridCode: string; policeGridCode: string | null }[]> {
  const { rows } = await db.execute<{ grid_code: string; police_grid_code: string | null }>(sql`
    select distinct on (c.grid_code) c.grid_code, c.police_grid_code
      from desk.cases c
     where c.grid_code is not null and ${caseFilterSql(filter)}
     order by c.grid_code, c.opened_at desc`);
  return rows.map((r) => ({ gridCode: r.grid_code, policeGridCode: r.police_grid_code }));
}
