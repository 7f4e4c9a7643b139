import { DeskStats, DeskStatsQuery } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, type Clock, HttpProblem } from '@gridcase/service-kit';
import { sql } from 'drizzle-orm';
import { DESK_ROLES } from './roles.ts';

/** Without `from`, the stats cover the 30 days before `to`. */
export const DEFAULT_STATS_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

interface StatsRow extends Record<string, unknown> {
  police_grid_code: string | null;
  is_total: number;
  cases: string;
  resolved: string;
  on_time: string;
  escalated: string;
  median_ack: number | null;
  median_resolve: number | null;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

const figures = (r: StatsRow) => {
  const total = Number(r.cases);
  const resolved = Number(r.resolved);
  return {
    cases: total,
    resolved,
    resolutionRate: ratio(resolved, total),
    onTimeRate: ratio(Number(r.on_time), resolved),
    escalationRate: ratio(Number(r.escalated), total),
    medianSecondsToAcknowledge: r.median_ack === null ? null : Number(r.median_ack),
    medianSecondsToResolve: r.median_resolve === null ? null : Number(r.median_resolve),
  };
};

/**
 * Figures over cases opened in [from, to): how many were resolved (a resolution that stands: resolved,
 * in verification, follow-up or closed, or held after it; rework clears it), how many of those on time
 * (by resolveBy and never escalated), how many escalated, and the median times from opening to
 * the first acknowledgement and to resolution. Overall and per police grid, in one pass.
 */
export async function loadStats(db: Db, from: Date, to: Date): Promise<DeskStats> {
  const { rows } = await db.execute<StatsRow>(sql`
    select police_grid_code,
           grouping(police_grid_code) as is_total,
           count(*) as cases,
           count(*) filter (where resolved_at is not null) as resolved,
           count(*) filter (where resolved_at is not null and escalations = 0 and resolved_at <= resolve_by) as on_time,
           count(*) filter (where escalations > 0) as escalated,
           percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - opened_at)::float8) as median_ack,
           percentile_cont(0.5) within group (order by extract(epoch from resolved_at - opened_at)::float8)
             filter (where resolved_at is not null) as median_resolve
      from desk.cases
     where opened_at >= ${from.toISOString()}::timestamptz and opened_at < ${to.toISOString()}::timestamptz
     group by grouping sets ((police_grid_code), ())
     order by is_total desc, police_grid_code nulls first`);
  const total = rows.find((r) => Number(r.is_total) === 1);
  const empty = { police_grid_code: null, is_total: 1, cases: '0', resolved: '0', on_time: '0', escalated: '0', median_ack: null, median_resolve: null };
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    overall: figures(total ?? empty),
    policeGrids: rows.filter((r) => Number(r.is_total) === 0).map((r) => ({ policeGridCode: r.police_grid_code, ...figures(r) })),
  };
}

export function statsRoutes(app: App, db: Db, clock: Clock) {
  app.get(
    '/v1/stats',
    {
      config: { roles: DESK_ROLES },
      schema: {
        summary: 'Resolution, on-time and escalation rates and median times, overall and per police grid, for cases opened in [from, to)',
        querystring: DeskStatsQuery,
        response: { 200: DeskStats },
      },
    },
    async (req) => {
      const to = req.query.to ? new Date(req.query.to) : clock.now();
      const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - DEFAULT_STATS_WINDOW_MS);
      if (from.getTime() >= to.getTime()) {
        throw new HttpProblem(400, 'Bad Request', 'invalid querystring: from', {
          errors: [{ path: 'querystring.from', message: 'from must be before to' }],
        });
      }
      return loadStats(db, from, to);
    },
  );
}
