import type { CaseStatus } from '@gridcase/contracts';
import { writeOutbox } from '@gridcase/db';
import { ne } from 'drizzle-orm';
import { lockCase, saveCase } from '../db/cases.ts';
import { loadRoutingData } from '../db/reference.ts';
import { loadWhoData } from '../db/roster.ts';
import { cases, outbox } from '../db/schema.ts';
import { rehome, whyRehome } from '../domain/redraw.ts';
import type { RoutingData } from '../domain/routing.ts';
import { type AssignmentDeps, caseMessages, SCHEMA } from './deps.ts';

export interface RehomeResult {
  /** Case ids moved, with why (no personal data: ids and grid codes only). */
  moved: { caseId: string; reason: string }[];
}

const loadData = async (deps: Pick<AssignmentDeps, 'db'>): Promise<RoutingData> => ({ ...(await loadRoutingData(deps.db)), ...(await loadWhoData(deps.db)) });

/**
 * After new reference data: every case not closed whose place now lies in another grid, or whose
 * owner left the roster or now serves another grid, gets new owners and a `case.assigned` (routedBy `redrawn`), one transaction
 * per case with the outbox. The choice is made again under the case's row lock, so a case changed
 * meanwhile (closed, reassigned) is judged as it is now, and running this twice moves nothing twice.
 */
export async function rehomeOpenCases(deps: Omit<AssignmentDeps, 'groupId'>): Promise<RehomeResult> {
  const data = await loadData(deps);
  const candidates = await deps.db
    .select({
      caseId: cases.caseId,
      status: cases.status,
      gridCode: cases.gridCode,
      policeGridCode: cases.policeGridCode,
      routedBy: cases.routedBy,
      assignees: cases.assignees,
      location: cases.location,
    })
    .from(cases)
    .where(ne(cases.status, 'closed'));
  const moved: RehomeResult['moved'] = [];
  for (const candidate of candidates) {
    if (!whyRehome({ ...candidate, status: candidate.status as CaseStatus }, candidate.location, data)) continue;
    const now = deps.clock.now();
    const reason = await deps.db.transaction(async (tx) => {
      const record = await lockCase(tx, candidate.caseId);
      const why = record && whyRehome(record, candidate.location, data);
      if (!record || !why) return undefined;
      const next = rehome(record, candidate.location, data, why, now);
      await saveCase(tx, next.record);
      await writeOutbox(tx, outbox, SCHEMA, caseMessages({ ...deps, groupId: 'redraw' }, next.events, now));
      return why;
    });
    if (!reason) continue;
    moved.push({ caseId: candidate.caseId, reason });
    deps.logger.info({ caseId: candidate.caseId, reason }, `case re-homed after new reference data: ${reason}`);
  }
  return { moved };
}
