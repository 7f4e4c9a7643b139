import { DeskQueues } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import type { App, Clock } from '@gridcase/service-kit';
import { sql } from 'drizzle-orm';
import { DESK_ROLES } from './roles.ts';

interface CountRow extends Record<string, unknown> {
  open: string;
  acknowledged: string;
  overdue: string;
  escalated: string;
}

/** The counts every queue shows; overdue mirrors domain/deadlines.ts isOverdue. */
const counts = (now: string) => sql`
  count(*) filter (where c.status = 'open') as open,
  count(*) filter (where c.status = 'acknowledged') as acknowledged,
  count(*) filter (where (c.status = 'open' and c.respond_by < ${now}::timestamptz) or c.resolve_by < ${now}::timestamptz) as overdue,
  count(*) filter (where c.level > 0) as escalated`;

const toCounts = (r: CountRow) => ({
  open: Number(r.open),
  acknowledged: Number(r.acknowledged),
  overdue: Number(r.overdue),
  escalated: Number(r.escalated),
});

export async function loadQueues(db: Db, now: Date): Promise<DeskQueues> {
  const at = now.toISOString();
  // Only unresolved cases are queued work.
  const grids = await db.execute<CountRow & { police_grid_code: string | null }>(sql`
    select c.police_grid_code, ${counts(at)}
      from desk.cases c
     where c.status in ('open', 'acknowledged')
     group by c.police_grid_code
     order by c.police_grid_code nulls first`);
  const officers = await db.execute<CountRow & { officer_id: string; name: string | null }>(sql`
    select a->>'officerId' as officer_id, max(a->>'name') as name, ${counts(at)}
      from desk.cases c
      cross join lateral jsonb_array_elements(c.assignees) a
     where c.status in ('open', 'acknowledged')
     group by a->>'officerId'
     order by a->>'officerId'`);
  return {
    policeGrids: grids.rows.map((r) => ({ policeGridCode: r.police_grid_code, ...toCounts(r) })),
    officers: officers.rows.map((r) => ({ officerId: r.officer_id, name: r.name, ...toCounts(r) })),
  };
}

export function queueRoutes(app: App, db: Db, clock: Clock) {
  app.get(
    '/v1/queues',
    {
      config: { roles: DESK_ROLES },
      schema: { summary: 'Unresolved cases per police grid and per officer: open, acknowledged, overdue, escalated', response: { 200: DeskQueues } },
    },
    async () => loadQueues(db, clock.now()),
  );
}
