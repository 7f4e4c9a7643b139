import { DeskStats, DeskStatsQuery, queryable, withFieldsCheck } from '@gridcase/contracts';
import type { z } from 'zod';
import type { Db } from '@gridcase/db';
import { type App, type Clock, HttpProblem, requestScope, type Scope } from '@gridcase/service-kit';
import { loadCaseFacts, loadDisputeFacts, loadKnownGrids } from '../db/stats.ts';
import { periods } from '../domain/figures.ts';
import { LONGEST_WINDOW_MS } from '../domain/slo.ts';
import { MAX_PERIODS, statsReport } from '../domain/stats-report.ts';
import { DESK_READERS } from './roles.ts';

/** Without `from`, the stats cover the 30 days before `to`. */
export const DEFAULT_STATS_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

const badQuery = (field: string, message: string) =>
  new HttpProblem(400, 'Bad Request', `invalid querystring: ${field}`, { errors: [{ path: `querystring.${field}`, message }] });

type RangeQuery = { from?: string | undefined; to?: string | undefined; period?: 'week' | 'month' | undefined };

/** [from, to) of a stats or export query: `to` defaults to now, `from` to 30 days before `to` (no earlier than a query holds). */
function rangeOf(q: RangeQuery, now: Date) {
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(queryable(to.getTime() - DEFAULT_STATS_WINDOW_MS));
  return { from, to };
}

/** What is wrong with a query's range, by field: `from` not before `to`, or more periods than one answer holds. */
function rangeProblem(q: RangeQuery, now: Date): { field: 'from' | 'period'; message: string } | undefined {
  const { from, to } = rangeOf(q, now);
  if (from.getTime() >= to.getTime()) return { field: 'from', message: 'from must be before to' };
  if (q.period && periods(q.period, from, to, MAX_PERIODS).length > MAX_PERIODS) {
    return { field: 'period', message: `at most ${MAX_PERIODS} periods in one answer: narrow from/to or use period=month` };
  }
  return undefined;
}

/** [from, to) of a stats or export query, refused with 400 when it is wrong (withRangeCheck has named that already). */
export function statsRange(q: RangeQuery, now: Date) {
  const problem = rangeProblem(q, now);
  if (problem) throw badQuery(problem.field, problem.message);
  return rangeOf(q, now);
}

const RANGE_FIELDS = ['from', 'to', 'period'];

/** A stats or export query whose range is checked beside its other fields, as of the request (`to` defaults to now). */
export const withRangeCheck = <S extends z.ZodObject>(query: S, clock: Clock) =>
  withFieldsCheck(query, RANGE_FIELDS.filter((f) => f in query.shape) as (keyof z.infer<S> & string)[], (q, ctx) => {
    const problem = rangeProblem(q as RangeQuery, clock.now());
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  });

/** The figures of GET /v1/stats, loaded and computed (the export reuses it). */
export async function computeStats(db: Db, q: DeskStatsQuery, scope: Scope, now: Date): Promise<DeskStats> {
  const { from, to } = statsRange(q, now);
  const [facts, knownGrids, recentDisputes] = await Promise.all([
    loadCaseFacts(db, { from, to }, scope),
    loadKnownGrids(db, scope),
    loadDisputeFacts(db, new Date(now.getTime() - LONGEST_WINDOW_MS), scope),
  ]);
  return statsReport({ from, to, asOf: now, groupBy: q.groupBy, period: q.period, facts, knownGrids, recentDisputes });
}

export function statsRoutes(app: App, db: Db, clock: Clock) {
  app.get(
    '/v1/stats',
    {
      config: { roles: DESK_READERS, scope: 'station' },
      schema: {
        summary:
          'Figures for cases opened in [from, to): resolution, on-time, escalation (上交), rework and relapse rates over cases that needed resolving, ' +
          'MTTA/MTTR, the 98 % dispute objective; per police grid (and community grid with groupBy=grid), by week or month with period=; 五没有 per grid; burn-rate alerts now',
        querystring: withRangeCheck(DeskStatsQuery, clock),
        response: { 200: DeskStats },
      },
    },
    async (req) => computeStats(db, req.query, requestScope(req), clock.now()),
  );
}
