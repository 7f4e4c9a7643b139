import type { DataOf } from '@gridcase/contracts';
import type { Tx } from '@gridcase/db';
import { decideHoldExpired, type HoldExpiredDecision } from '../domain/case.ts';
import { type AssignmentDeps, decideFact } from './deps.ts';

/**
 * A hold's `until` passed (the timers' fact): the case of record resumes the case, or changes nothing
 * when the fact is stale (resumed by hand, held again), in the consumer's transaction under the case's
 * row lock; the inbox makes a redelivered fact change nothing. Returns the log line to write once committed.
 */
export async function handleHoldExpired(
  tx: Tx,
  deps: AssignmentDeps,
  eventId: string,
  fact: DataOf<'gridcase.case.hold-expired.v1'>,
  traceparent?: string,
): Promise<() => void> {
  const now = deps.clock.now();
  const decision = await decideFact(tx, deps, { eventId, type: 'case.hold-expired', caseId: fact.caseId, now, traceparent }, (record) =>
    decideHoldExpired(record, fact, eventId, now),
  );
  return () => logResume(deps, fact, decision);
}

function logResume(deps: AssignmentDeps, fact: DataOf<'gridcase.case.hold-expired.v1'>, decision: HoldExpiredDecision | undefined): void {
  if (!decision) return;
  const fields = { caseId: fact.caseId, version: fact.version, until: fact.until };
  if (decision.kind === 'ignored') {
    deps.logger.info({ ...fields, ignored: decision.reason }, `hold of case ${fact.caseId} expired, nothing to do: ${decision.reason}`);
    return;
  }
  const { record } = decision;
  deps.logger.info(
    { ...fields, status: record.status, newVersion: record.deadlineVersion },
    `case ${record.caseNumber} resumed by itself → ${record.status}: its hold until ${fact.until} passed`,
  );
}
