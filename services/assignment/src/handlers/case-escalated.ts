import type { DataOf } from '@gridcase/contracts';
import { claimInbox, writeOutbox } from '@gridcase/db';
import { PoisonError } from '@gridcase/messaging';
import { lockCase, saveCase } from '../db/cases.ts';
import { listOfficers } from '../db/reference.ts';
import { inbox, outbox } from '../db/schema.ts';
import { type EscalationDecision, escalateCase } from '../domain/case.ts';
import { type AssignmentDeps, caseMessage, SCHEMA } from './deps.ts';

/** An overdue case moves up the ladder: new owners, level and deadlines, in one transaction. */
export async function handleCaseEscalated(
  deps: AssignmentDeps,
  eventId: string,
  escalated: DataOf<'gridcase.case.escalated.v1'>,
  traceparent?: string,
): Promise<void> {
  const now = deps.clock.now();
  const decision = await deps.db.transaction(async (tx): Promise<EscalationDecision | undefined> => {
    if (!(await claimInbox(tx, inbox, deps.groupId, eventId))) return undefined;
    const record = await lockCase(tx, escalated.caseId);
    // Escalation only follows a case.opened on the same partition, so this is a broken stream: keep it for replay.
    if (!record) throw new PoisonError(`case.escalated for unknown case ${escalated.caseId}`);
    const decision = escalateCase(record, escalated, await listOfficers(tx), now);
    if (decision.kind === 'escalated') {
      await saveCase(tx, decision.record);
      await writeOutbox(tx, outbox, SCHEMA, [caseMessage(deps, decision.event, now, traceparent)]);
    }
    return decision;
  });
  if (!decision) return;

  const fields = { caseId: escalated.caseId, level: escalated.level, reason: escalated.reason };
  if (decision.kind === 'ignored') {
    deps.logger.info({ ...fields, ignored: decision.reason }, `escalation of case ${escalated.caseId} to level ${escalated.level} ignored: ${decision.reason}`);
    return;
  }
  const owners = decision.record.assignees.map((a) => a.officerId);
  deps.logger.info(
    { ...fields, assignees: owners, skipped: decision.skipped },
    `case ${decision.record.caseNumber} escalated to level ${escalated.level} (${escalated.reason}) → ${owners.join(', ') || 'nobody'}` +
      (decision.keptOwners ? ' (nobody above on the roster; current owners kept)' : ''),
  );
}
