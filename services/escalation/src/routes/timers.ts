import { DeadlineKind, Instant } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, requestScope, scopeSql } from '@gridcase/service-kit';
import { and, asc, eq, lt, ne, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { cases, timers } from '../db/schema.ts';

const PendingDeadline = z.object({
  caseId: z.string(),
  kind: DeadlineKind,
  level: z.number().int().describe('the level the case of record reported with this version'),
  dueAt: Instant,
  version: z.number().int().describe('the case.deadlines-set version this deadline belongs to'),
  warningAt: Instant.describe('when the 75 % warning (催办) fires, or fired'),
  warned: z.boolean().describe('whether the warning has been sent'),
});

const TimersQuery = z.strictObject({
  dueBefore: Instant.optional().describe('only deadlines due strictly before this instant (RFC 3339)'),
  caseId: z.string().min(1).optional().describe('only this case'),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

const warning = alias(timers, 'warning');

export function timerRoutes(app: App, db: Db) {
  app.get(
    '/v1/timers',
    {
      config: { roles: ['desk', 'supervisor', 'officer'], scope: 'station' },
      schema: {
        summary: 'Pending deadlines (one per running deadline), soonest first',
        querystring: TimersQuery,
        response: { 200: z.object({ items: z.array(PendingDeadline) }) },
      },
    },
    async (req) => {
      const { dueBefore, caseId, limit } = req.query;
      // A deadline is pending while its passed timer is; its warning is the sibling row. A hold's end
      // is no deadline (no warning, no escalation): not listed, so every item keeps its documented shape.
      const where: SQL[] = [eq(timers.fact, 'passed'), eq(timers.status, 'pending'), ne(timers.kind, 'hold')];
      if (dueBefore) where.push(lt(timers.dueAt, new Date(dueBefore)));
      if (caseId) where.push(eq(timers.caseId, caseId));
      // The timer service knows no grids: a community-limited scope sees none of its timers.
      where.push(scopeSql(requestScope(req), { station: cases.station }));
      const rows = await db
        .select({
          caseId: timers.caseId,
          kind: timers.kind,
          level: timers.level,
          dueAt: timers.dueAt,
          version: timers.version,
          warningAt: warning.fireAt,
          warningStatus: warning.status,
        })
        .from(timers)
        .innerJoin(
          warning,
          and(eq(warning.caseId, timers.caseId), eq(warning.kind, timers.kind), eq(warning.version, timers.version), eq(warning.fact, 'warning')),
        )
        .innerJoin(cases, eq(cases.caseId, timers.caseId))
        .where(and(...where))
        .orderBy(asc(timers.dueAt), asc(timers.id))
        .limit(limit);
      return {
        items: rows.map(({ warningStatus, ...r }) => ({
          ...r,
          kind: r.kind as DeadlineKind,
          dueAt: r.dueAt.toISOString(),
          warningAt: r.warningAt.toISOString(),
          warned: warningStatus === 'fired',
        })),
      };
    },
  );
}
