import type { DataOf } from '@gridcase/contracts';
import { claimInbox, type Tx, writeOutbox } from '@gridcase/db';
import { lockCase, saveCase } from '../db/cases.ts';
import { inbox, outbox } from '../db/schema.ts';
import { decideReportMerged } from '../domain/case.ts';
import { type AssignmentDeps, caseMessages, SCHEMA } from './deps.ts';

/**
 * A report merged into a case may bring a reporter the case owes its follow-up (回访) to, where the
 * first report's was anonymous or could not be reached, and deadlines its sender required that are
 * earlier than the case's running ones: the case takes them, with a `case.deadlines-set` (the desk and
 * escalation's timers follow). A reporter alone writes no event: the follow-up shows when verification passes.
 */
export async function handleReportMerged(
  tx: Tx,
  deps: AssignmentDeps,
  eventId: string,
  merged: DataOf<'gridcase.case.report-merged.v1'>,
  traceparent?: string,
): Promise<undefined> {
  if (!(await claimInbox(tx, inbox, deps.groupId, eventId))) return undefined;
  const record = await lockCase(tx, merged.caseId);
  if (!record) return undefined;
  const now = deps.clock.now();
  const decision = decideReportMerged(record, merged, now);
  if (!decision) return undefined;
  await saveCase(tx, decision.record);
  if (decision.events.length) await writeOutbox(tx, outbox, SCHEMA, caseMessages(deps, decision.events, now, traceparent));
  return undefined;
}
