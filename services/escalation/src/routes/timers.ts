import { Instant } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import type { App } from '@gridcase/service-kit';
import { and, asc, eq, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { timers } from '../db/schema.ts';

const PendingTimer = z.object({
  caseId: z.string(),
  kind: z.enum(['respond', 'resolve']),
  level: z.number().int(),
  dueAt: Instant,
});

const TimersQuery = z.strictObject({
  dueBefore: Instant.optional().describe('only deadlines due strictly before this instant (RFC 3339)'),
  caseId: z.string().min(1).optional().describe('only this case'),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

export function timerRoutes(app: App, db: Db) {
  app.get(
    '/v1/timers',
    {
      config: { roles: ['desk', 'supervisor', 'officer'] },
      schema: {
        summary: 'Pending deadlines, soonest first',
        querystring: TimersQuery,
        response: { 200: z.object({ items: z.array(PendingTimer) }) },
      },
    },
    async (req) => {
      const { dueBefore, caseId, limit } = req.query;
      const where: SQL[] = [eq(timers.status, 'pending')];
      if (dueBefore) where.push(lt(timers.dueAt, new Date(dueBefore)));
      if (caseId) where.push(eq(timers.caseId, caseId));
      const rows = await db
        .select({ caseId: timers.caseId, kind: timers.kind, level: timers.level, dueAt: timers.dueAt })
        .from(timers)
        .where(and(...where))
        .orderBy(asc(timers.dueAt), asc(timers.id))
        .limit(limit);
      return { items: rows.map((r) => ({ ...r, dueAt: r.dueAt.toISOString() })) };
    },
  );
}
