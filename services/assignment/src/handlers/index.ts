import { parseMessage } from '@gridcase/contracts';
import type { RecordHandler } from '@gridcase/messaging';
import { handleCaseCommand } from './case-command.ts';
import { handleCaseOpened } from './case-opened.ts';
import { handleDeadlinePassed } from './deadline-passed.ts';
import type { AssignmentDeps } from './deps.ts';

export { calendarHandler } from './calendar.ts';

/**
 * Case events and commands, one consumer: both are keyed by case id. Types assignment does not act
 * on (its own events, deadline warnings, merges, …) are acknowledged and skipped.
 */
export function assignmentHandler(deps: AssignmentDeps): RecordHandler {
  return async (record) => {
    const message = parseMessage(record.value);
    const traceparent = record.headers.traceparent;
    switch (message.type) {
      case 'gridcase.case.opened.v1':
        return handleCaseOpened(deps, message.id, message.data, traceparent);
      case 'gridcase.case.deadline-passed.v1':
        return handleDeadlinePassed(deps, message.id, message.data, traceparent);
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
        return handleCaseCommand(deps, message.id, message, traceparent);
      default:
        return;
    }
  };
}
