import { type DataOf, newId } from '@gridcase/contracts';
import { claimInbox } from '@gridcase/db';
import { caseOpened } from '../domain/case-events.ts';
import { cases, inbox, timers } from '../db/schema.ts';
import type { HandlerDeps } from './deps.ts';

/** A new case gets its two level-0 deadlines. One transaction: inbox claim, case row, timers. */
export async function handleCaseOpened(
  deps: HandlerDeps,
  eventId: string,
  data: DataOf<'gridcase.case.opened.v1'>,
  traceparent?: string,
): Promise<void> {
  const now = deps.clock.now();
  const outcome = await deps.db.transaction(async (tx) => {
    if (!(await claimInbox(tx, inbox, deps.groupId, eventId))) return 'duplicate';
    const opened = caseOpened(data);
    const inserted = await tx
      .insert(cases)
      .values({
        caseId: opened.caseId,
        caseNumber: data.caseNumber,
        status: opened.status,
        level: opened.level,
        round: opened.round,
        respondBy: opened.respondBy,
        resolveBy: opened.resolveBy,
        traceparent: traceparent ?? null,
        openedAt: new Date(data.openedAt),
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning({ caseId: cases.caseId });
    if (inserted.length === 0) return 'already tracked';
    await tx.insert(timers).values(opened.create.map((t) => ({ ...t, id: newId() })));
    return 'scheduled';
  });
  if (outcome === 'duplicate') return;
  deps.logger.info(
    { caseId: data.caseId, caseNumber: data.caseNumber, respondBy: data.respondBy, resolveBy: data.resolveBy, outcome },
    outcome === 'scheduled' ? 'deadlines scheduled for new case' : 'case.opened for a case already tracked; nothing changed',
  );
}
