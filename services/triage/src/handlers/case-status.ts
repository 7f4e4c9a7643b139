import type { AnyMessage, CaseStatus, MessageType } from '@gridcase/contracts';
import { claimInbox, type Tx } from '@gridcase/db';
import { setCaseStatus } from '../db/case-index.ts';
import type { IndexedCase } from '../domain/duplicates.ts';
import { inbox } from '../db/schema.ts';
import type { TriageDeps } from './report-received.ts';

const BY_STATUS: Record<CaseStatus, IndexedCase['status'] | undefined> = {
  open: 'open',
  acknowledged: 'open',
  resolved: 'resolved',
  // Verified, waiting for the call to the reporter: the work is done, so a new report is a relapse.
  'follow-up': 'resolved',
  closed: 'closed',
  // A hold keeps whatever the case was before it.
  'on-hold': undefined,
};

/** The case events that may move a case in the index (indexStatusAfter). */
export const INDEXED_STATUS_TYPES = [
  'gridcase.case.resolved.v1',
  'gridcase.case.closed.v1',
  'gridcase.case.reopened.v1',
  'gridcase.case.verified.v1',
  'gridcase.case.followed-up.v1',
  'gridcase.case.resumed.v1',
] as const satisfies readonly MessageType[];

/**
 * Where a case event leaves the case in triage's index (open cases take repeats; resolved or closed
 * ones make a later report a relapse), or undefined for events that do not move it.
 */
export function indexStatusAfter(message: AnyMessage): IndexedCase['status'] | undefined {
  switch (message.type) {
    case 'gridcase.case.resolved.v1':
      return 'resolved';
    case 'gridcase.case.closed.v1':
      return 'closed';
    case 'gridcase.case.reopened.v1':
      return 'open';
    case 'gridcase.case.verified.v1':
    case 'gridcase.case.followed-up.v1':
    case 'gridcase.case.resumed.v1':
      return BY_STATUS[message.data.status];
    default:
      return undefined;
  }
}

/** Keeps the index in step with the case of record; each event once (inbox), in the caller's transaction. */
export async function handleCaseStatus(tx: Tx, deps: TriageDeps, eventId: string, caseId: string, status: IndexedCase['status'], at: Date): Promise<void> {
  if (!(await claimInbox(tx, inbox, deps.groupId, eventId))) return;
  await setCaseStatus(tx, caseId, status, at);
}
