import { cursorParam, DeadlineKind, Instant, isUuid, QueryInstant } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, requestScope } from '@gridcase/service-kit';
import { z } from 'zod';
import { listPendingDeadlines, timersCursor } from '../db/pending-deadlines.ts';

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
  dueBefore: QueryInstant.optional().describe('only deadlines due strictly before this instant (RFC 3339)'),
  // A mistyped id answered 200 with no timers, which reads as "no deadline pending" (audit22 #6).
  caseId: z.string().refine(isUuid, 'is not a case id (a UUID, as gridcase issues them)').optional().describe('only this case'),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  cursor: cursorParam(200, (c) => timersCursor.decode(c)).describe('nextCursor of the previous page'),
});

export function timerRoutes(app: App, db: Db) {
  app.get(
    '/v1/timers',
    {
      config: { roles: ['desk', 'supervisor', 'officer'], scope: 'station' },
      schema: {
        summary: 'Pending deadlines (one per running deadline), soonest first; pass nextCursor as cursor for the next page',
        querystring: TimersQuery,
        response: { 200: z.object({ items: z.array(PendingDeadline), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { dueBefore, caseId, limit, cursor } = req.query;
      // The schema has refused a cursor that does not decode.
      return listPendingDeadlines(db, requestScope(req), {
        dueBefore: dueBefore ? new Date(dueBefore) : undefined,
        caseId: caseId?.toLowerCase(),
        after: cursor ? timersCursor.decode(cursor) : undefined,
        limit,
      });
    },
  );
}
