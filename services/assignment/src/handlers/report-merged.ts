import type { DataOf } from '@gridcase/contracts';
import { claimInbox, type Tx } from '@gridcase/db';
import { lockCase, saveCase } from '../db/cases.ts';
import { inbox } from '../db/schema.ts';
import { reporterAfterMerge } from '../domain/case.ts';
import type { AssignmentDeps } from './deps.ts';

/**
 * A report merged into a case may bring a reporter the case owes its follow-up (回访) to, where the
 * first report's was anonymous or could not be reached. Nothing else about the case changes, so no
 * event is written: the follow-up shows when verification passes.
 */
export async function handleReportMerged(tx: Tx, deps: AssignmentDeps, eventId: string, merged: DataOf<'gridcase.case.report-merged.v1'>): Promise<undefined> {
  if (!(await claimInbox(tx, inbox, deps.groupId, eventId))) return undefined;
  const record = await lockCase(tx, merged.caseId);
  if (!record) return undefined;
  const reporter = reporterAfterMerge(record.reporter, merged.reporter);
  if (reporter !== record.reporter) await saveCase(tx, { ...record, reporter });
  return undefined;
}
