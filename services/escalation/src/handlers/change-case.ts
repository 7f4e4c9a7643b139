import { claimInbox } from '@gridcase/db';
import type { Outcome } from '../domain/case-events.ts';
import type { CaseState, Timer } from '../domain/timers.ts';
import { inbox } from '../db/schema.ts';
import { applyChange, lockCase, pendingTimers } from '../db/store.ts';
import type { HandlerDeps } from './deps.ts';

/**
 * Applies a case event to a known case in one transaction: inbox claim, case lock, the pure
 * decision, and its writes. Logs one line saying what happened.
 */
export async function changeCase(
  deps: HandlerDeps,
  event: { id: string; type: string; caseId: string; traceparent?: string | undefined },
  decide: (c: CaseState, pending: readonly Timer[]) => Outcome,
): Promise<void> {
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx) => {
    if (!(await claimInbox(tx, inbox, deps.groupId, event.id))) return undefined;
    const c = await lockCase(tx, event.caseId);
    // Per-case order on the topic puts case.opened first; a missing case means we never saw it.
    if (!c) return { changed: false, why: 'case unknown to escalation' } as const;
    const outcome = decide(c, await pendingTimers(tx, event.caseId));
    if (outcome.changed) {
      await applyChange(tx, outcome, now, event.traceparent ? { traceparent: event.traceparent } : {});
    }
    return outcome;
  });
  if (!result) return;
  const fields = { caseId: event.caseId, event: event.type };
  if (result.changed) {
    deps.logger.info({ ...fields, cancelled: result.cancel.length, created: result.create.length, level: result.case.level }, result.summary);
  } else {
    deps.logger.info({ ...fields, why: result.why }, 'case event changes no deadline');
  }
}
