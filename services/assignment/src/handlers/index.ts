import { type MessageType, parseMessageOf } from '@gridcase/contracts';
import type { Tx } from '@gridcase/db';
import type { InboundRecord, TransactionalHandler } from '@gridcase/messaging';
import { handleCaseCommand } from './case-command.ts';
import { handleCaseOpened } from './case-opened.ts';
import { handleDeadlinePassed } from './deadline-passed.ts';
import { handleHoldExpired } from './hold-expired.ts';
import { handleReportMerged } from './report-merged.ts';
import type { AssignmentDeps } from './deps.ts';

export { calendarHandler } from './calendar.ts';

/**
 * Case events and commands, one consumer: both are keyed by case id. Types assignment does not act
 * on (its own events, deadline warnings, …) are acknowledged and skipped. Runs of a
 * partition's records share a transaction.
 */
export function assignmentHandler(deps: AssignmentDeps): TransactionalHandler<Tx> {
  return { transaction: (work) => deps.db.transaction(work), handle: (tx, record) => handleRecord(tx, deps, record) };
}

/** The types assignment acts on; the rest are skipped unread (its own events come back on the same topic). */
const HANDLED = new Set([
  'gridcase.case.opened.v1',
  'gridcase.case.deadline-passed.v1',
  'gridcase.case.hold-expired.v1',
  'gridcase.case.report-merged.v1',
  'gridcase.case-command.acknowledge.v1',
  'gridcase.case-command.resolve.v1',
  'gridcase.case-command.reassign.v1',
  'gridcase.case-command.note.v1',
  'gridcase.case-command.reopen.v1',
  'gridcase.case-command.verify.v1',
  'gridcase.case-command.follow-up.v1',
  'gridcase.case-command.extension.v1',
  'gridcase.case-command.extension-approve.v1',
  'gridcase.case-command.extension-reject.v1',
  'gridcase.case-command.hold.v1',
  'gridcase.case-command.resume.v1',
] as const satisfies readonly MessageType[]);

async function handleRecord(tx: Tx, deps: AssignmentDeps, record: InboundRecord): Promise<(() => void) | undefined> {
  const message = parseMessageOf(record.value, HANDLED);
  if (!message) return undefined;
  const traceparent = record.headers.traceparent;
  switch (message.type) {
    case 'gridcase.case.opened.v1':
      return handleCaseOpened(tx, deps, message.id, message.data, traceparent);
    case 'gridcase.case.deadline-passed.v1':
      return handleDeadlinePassed(tx, deps, message.id, message.data, traceparent);
    case 'gridcase.case.hold-expired.v1':
      return handleHoldExpired(tx, deps, message.id, message.data, traceparent);
    case 'gridcase.case.report-merged.v1':
      return handleReportMerged(tx, deps, message.id, message.data, traceparent);
    case 'gridcase.case-command.acknowledge.v1':
    case 'gridcase.case-command.resolve.v1':
    case 'gridcase.case-command.reassign.v1':
    case 'gridcase.case-command.note.v1':
    case 'gridcase.case-command.reopen.v1':
    case 'gridcase.case-command.verify.v1':
    case 'gridcase.case-command.follow-up.v1':
    case 'gridcase.case-command.extension.v1':
    case 'gridcase.case-command.extension-approve.v1':
    case 'gridcase.case-command.extension-reject.v1':
    case 'gridcase.case-command.hold.v1':
    case 'gridcase.case-command.resume.v1':
      return handleCaseCommand(tx, deps, message.id, message, traceparent);
    default:
      return undefined;
  }
}
