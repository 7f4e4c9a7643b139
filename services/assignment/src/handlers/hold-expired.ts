import type { DataOf } from '@gridcase/contracts';
import { claimInbox, type Tx, writeOutbox } from '@gridcase/db';
import { PoisonError } from '@gridcase/messaging';
import { lockCase, saveCase } from '../db/cases.ts';
import { inbox, outbox } from '../db/schema.ts';
import { decideHoldExpired, type HoldExpiredDecision } from '../domain/case.ts';
import { type AssignmentDeps, caseMessages, SCHEMA } from './deps.ts';

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
  const decision = await decideAndWrite(tx, deps, eventId, fact, now, traceparent);
  return () => logResume(deps, fact, decision);
}

async function decideAndWrite(tx: Tx, deps: AssignmentDeps, eventId: string, fact: DataOf<'gridcase.case.hold-expired.v1'>, now: Date, traceparent?: string): Promise<HoldExpiredDecision | undefined> {
  if (!(await claimInbox(tx, inbox, deps.groupId, eventId))) return undefined;
  const record = await lockCase(tx, fact.caseId);
  // Timers follow deadlines-set, which follows case.opened on the same partition: a broken stream, keep it for replay.
  if (!record) throw new PoisonError(`case.hold-expired for unknown case ${fact.caseId}`);
  const decision = decideHoldExpired(record, fact, eventId, now);
  if (decision.kind === 'resumed') {
    await saveCase(tx, decision.record);
    await writeOutbox(tx, outbox, SCHEMA, caseMessages(deps, decision.events, now, traceparent));
  }
  return decision;
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
