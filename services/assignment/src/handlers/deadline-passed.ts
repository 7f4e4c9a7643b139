import type { DataOf } from '@gridcase/contracts';
import type { Tx } from '@gridcase/db';
import { loadLadder } from '../db/clock-data.ts';
import { dutyOf, openCaseCountsOf } from '../db/roster.ts';
import { routingCache } from '../db/routing-cache.ts';
import { decideDeadlinePassed, type EscalationDecision } from '../domain/escalate.ts';
import { escalationFloor, ladderCandidates } from '../domain/ladder.ts';
import { countEscalation } from '../metrics.ts';
import { type AssignmentDeps, decideFact } from './deps.ts';

/**
 * A deadline fact from the timers: the case of record decides whether it escalates (the fact is about
 * the clocks it runs now) or changes nothing (stale), in the consumer's transaction under the case's
 * row lock. Returns the log line to write, and the escalation to count, once committed.
 */
export async function handleDeadlinePassed(
  tx: Tx,
  deps: AssignmentDeps,
  eventId: string,
  fact: DataOf<'gridcase.case.deadline-passed.v1'>,
  traceparent?: string,
): Promise<() => void> {
  const now = deps.clock.now();
  const decision = await decideFact(tx, deps, { eventId, type: 'case.deadline-passed', caseId: fact.caseId, now, traceparent }, async (record) => {
    // The roster of the reference-data version this transaction sees; open cases, shifts and leave only
    // of the people the next rung up may weigh (not the whole station's, per fact).
    const { officers, shifts } = await routingCache(deps.db).current(tx);
    const candidates = ladderCandidates(record.level + 1, { policeGridCode: record.policeGridCode ?? undefined }, officers, escalationFloor(record.assignees));
    return decideDeadlinePassed(record, fact, {
      now,
      officers,
      ladder: await loadLadder(tx),
      openCases: await openCaseCountsOf(tx, candidates),
      // Their shifts and leave, so the next rung goes to whoever of it is on duty, never to someone on leave.
      duty: await dutyOf(tx, shifts, candidates),
    });
  });
  return () => logEscalation(deps, fact, decision);
}

function logEscalation(deps: AssignmentDeps, fact: DataOf<'gridcase.case.deadline-passed.v1'>, decision: EscalationDecision | undefined): void {
  if (!decision) return;
  const fields = { caseId: fact.caseId, kind: fact.kind, version: fact.version, dueAt: fact.dueAt };
  if (decision.kind === 'ignored') {
    deps.logger.info({ ...fields, ignored: decision.reason }, `deadline ${fact.kind} of case ${fact.caseId} passed, nothing to do: ${decision.reason}`);
    return;
  }
  const { record } = decision;
  countEscalation(fact.kind, record.level, decision.keptOwners);
  const owners = record.assignees.map((a) => a.officerId);
  // Nobody above to take it is a hole in the rosters someone must fill: a warning, not news (audit19 #8).
  deps.logger[decision.keptOwners ? 'warn' : 'info'](
    { ...fields, level: record.level, assignees: owners, skipped: decision.skipped, newVersion: record.deadlineVersion, keptOwners: decision.keptOwners },
    `case ${record.caseNumber} escalated to level ${record.level} (${fact.kind}-overdue) → ${owners.join(', ') || 'nobody'}` +
      (decision.keptOwners ? ' (nobody above on the roster; current owners kept)' : ''),
  );
}
