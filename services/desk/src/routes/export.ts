import { DeskCaseExportQuery, DeskStatsExportQuery } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, type Clock, HttpProblem, requestScope } from '@gridcase/service-kit';
import type { FastifyReply } from 'fastify';
import { loadCasesForExport } from '../db/export.ts';
import { casesTable, shanghaiDay, statsTables, type Table } from '../domain/report-tables.ts';
import { CONTENT_TYPES, contentDisposition, toCsv, toXlsx } from '../sheets.ts';
import { DESK_ROLES } from './roles.ts';
import { computeStats, statsRange, withRangeCheck } from './stats.ts';

/** More cases than a month of the busiest station: a larger export is a query that should be narrowed. */
export const MAX_EXPORT_CASES = 20_000;

async function sendTables(
  reply: FastifyReply,
  format: 'csv' | 'xlsx',
  tables: Table[],
  names: { ascii: string; zh: string; from: Date; to: Date; created: Date },
) {
  // The last day named is the one before `to` (the range is half-open).
  const days = `${shanghaiDay(names.from)}_${shanghaiDay(new Date(names.to.getTime() - 1))}`;
  const body = format === 'csv' ? toCsv(tables) : await toXlsx(tables, { title: names.zh, created: names.created });
  return reply
    .header('content-type', CONTENT_TYPES[format])
    .header('content-disposition', contentDisposition(`gridcase-${names.ascii}-${days}.${format}`, `${names.zh}_${days}.${format}`))
    .header('cache-control', 'no-store')
    .send(body);
}

export function exportRoutes(app: App, db: Db, clock: Clock) {
  app.get(
    '/v1/stats/export',
    {
      config: { roles: DESK_ROLES, scope: 'station' },
      schema: {
        summary:
          'The figures of GET /v1/stats for the monthly report: CSV (UTF-8 with BOM; the figures, then 五没有, then the burn-rate alerts, then the definitions) or XLSX (a sheet each)',
        querystring: withRangeCheck(DeskStatsExportQuery, clock),
      },
    },
    async (req, reply) => {
      const { format, ...query } = req.query;
      const now = clock.now();
      const stats = await computeStats(db, query, requestScope(req), now);
      const range = { from: new Date(stats.from), to: new Date(stats.to) };
      return sendTables(reply, format, statsTables(stats), { ascii: 'stats', zh: '案件统计', ...range, created: now });
    },
  );

  app.get(
    '/v1/cases/export',
    {
      config: { roles: DESK_ROLES, scope: 'station' },
      schema: {
        summary:
          'Cases opened in [from, to) (default the 30 days before now), oldest first, with the filters of GET /v1/cases, as CSV or XLSX: the list columns, no description and no personal data',
        querystring: withRangeCheck(DeskCaseExportQuery, clock),
      },
    },
    async (req, reply) => {
      const { format, ...query } = req.query;
      const now = clock.now();
      const range = statsRange(query, now);
      const list = await loadCasesForExport(db, query, range, requestScope(req), now, MAX_EXPORT_CASES);
      if (list.length > MAX_EXPORT_CASES) {
        throw new HttpProblem(400, 'Bad Request', `more than ${MAX_EXPORT_CASES} cases match: narrow from/to or add a filter`);
      }
      return sendTables(reply, format, [casesTable(list)], { ascii: 'cases', zh: '案件清单', ...range, created: now });
    },
  );
}
