import { DeskQueues } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, type Clock, requestScope } from '@gridcase/service-kit';
import { loadQueues } from '../db/case-counts.ts';
import { DESK_READERS } from './roles.ts';

export function queueRoutes(app: App, db: Db, clock: Clock) {
  app.get(
    '/v1/queues',
    {
      config: { roles: DESK_READERS, scope: 'station' },
      schema: { summary: 'Cases not closed per police grid and per officer: by status (open, acknowledged, resolved, followUp, onHold); overdue and escalated among those a clock runs in (not held)', response: { 200: DeskQueues } },
    },
    async (req) => loadQueues(db, clock.now(), requestScope(req)),
  );
}
