import { claimInbox } from '@gridcase/db';
import { eq } from 'drizzle-orm';
import type { Outcome } from '../domain/case-events.ts';
import type { CaseState, Timer } from '../domain/timers.ts';
import { cases, inbox } from '../db/schema.ts';
import { applyChange, lockCase, pendingTimers } from '../db/store.ts';
import type { HandlerDeps } from './deps.ts';

/** The event of the case of record that a case event handler applies. */
export interface CaseEventRef {
  id: string;
  /** The envelope's `time`: when the case of record made the change. */
  time: Date;
}

/**
 * A case event for a case escalation has not seen open yet. Thrown, not swallowed: the consumer
 * retries it and then dead-letters it, so a replay after the case.opened gets it applied.
 */
export class CaseNotYetKnownError extends Error {
  constructor(caseId: string, type: string) {
    super(`${type} for case ${caseId}, which escalation has not seen opened yet`);
    this.name = 'CaseNotYetKnownError';
  }
}

/**
 * Applies a case event to a known case in one transaction: inbox claim, case lock, the pure
 * decision, and its writes. Logs one line saying what happened.
 */
export async function changeCase(
  deps: HandlerDeps,
  event: CaseEventRef & { type: string; caseId: string; traceparent?: string | undefined },
  decide: (c: CaseState, pending: readonly Timer[]) => Outcome,
): Promise<void> {
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx) => {
    if (!(await claimInbox(tx, inbox, deps.groupId, event.id))) return undefined;
    const c = await lockCase(tx, event.caseId);
    // Per-case order puts case.opened first, unless it went to the DLQ: throwing rolls the inbox
    // claim back, so this event is not lost but waits (retries, DLQ) for a replay after it.
    if (!c) throw new CaseNotYetKnownError(event.caseId, event.type);
    // A replayed event older than one already applied would undo the newer state (re-arm a resolved case).
    if (c.lastEventAt && event.time.getTime() < c.lastEventAt.getTime()) {
      return { changed: false, why: `stale: the case already applied an event of ${c.lastEventAt.toISOString()}` } as const;
    }
    const outcome = decide(c, await pendingTimers(tx, event.caseId));
    if (outcome.changed) {
      await applyChange(tx, outcome, now, { lastEventAt: event.time, ...(event.traceparent ? { traceparent: event.traceparent } : {}) });
    } else {
      await tx.update(cases).set({ lastEventAt: event.time }).where(eq(cases.caseId, event.caseId));
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
