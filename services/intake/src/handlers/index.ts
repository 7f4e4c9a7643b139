import { parseMessage } from '@gridcase/contracts';
import type { Tx } from '@gridcase/db';
import type { TransactionalHandler } from '@gridcase/messaging';
import { type CaseProjectionDeps, handleCaseEvent } from './case-event.ts';

/**
 * Case events that change what a sender sees of its report; the rest are acknowledged and skipped.
 * Runs of a partition's events share a transaction.
 */
export function caseEventsHandler(deps: CaseProjectionDeps): TransactionalHandler<Tx> {
  return { transaction: (work) => deps.db.transaction(work), handle: (tx, record) => handleCaseRecord(tx, deps, record) };
}

async function handleCaseRecord(tx: Tx, deps: CaseProjectionDeps, record: { value: Buffer | null }) {
  const message = parseMessage(record.value);
  switch (message.type) {
    case 'gridcase.case.opened.v1':
    case 'gridcase.case.report-merged.v1':
    case 'gridcase.case.assigned.v1':
    case 'gridcase.case.acknowledged.v1':
    case 'gridcase.case.resolved.v1':
    case 'gridcase.case.reopened.v1':
    case 'gridcase.case.escalated.v1':
    case 'gridcase.case.verified.v1':
    case 'gridcase.case.followed-up.v1':
    case 'gridcase.case.closed.v1':
    case 'gridcase.case.held.v1':
    case 'gridcase.case.resumed.v1':
    case 'gridcase.case.extension-approved.v1':
    case 'gridcase.case.deadlines-set.v1':
      return handleCaseEvent(tx, deps, message, record.value?.toString('utf8') ?? JSON.stringify(message));
    default:
      return;
  }
}
