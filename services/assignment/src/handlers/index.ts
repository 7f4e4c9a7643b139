import { parseMessage } from '@gridcase/contracts';
import type { RecordHandler } from '@gridcase/messaging';
import { handleCaseCommand } from './case-command.ts';
import { handleCaseEscalated } from './case-escalated.ts';
import { handleCaseOpened } from './case-opened.ts';
import type { AssignmentDeps } from './deps.ts';

/**
 * Case events and duty-desk commands, one consumer: both are keyed by case id. Types assignment
 * does not act on (its own case.assigned, merges, …) are acknowledged and skipped.
 */
export function assignmentHandler(deps: AssignmentDeps): RecordHandler {
  return async (record) => {
    const message = parseMessage(record.value);
    const traceparent = record.headers.traceparent;
    switch (message.type) {
      case 'gridcase.case.opened.v1':
        return handleCaseOpened(deps, message.id, message.data, traceparent);
      case 'gridcase.case.escalated.v1':
        return handleCaseEscalated(deps, message.id, message.data, traceparent);
      case 'gridcase.case-command.acknowledge.v1':
      case 'gridcase.case-command.resolve.v1':
      case 'gridcase.case-command.reassign.v1':
      case 'gridcase.case-command.note.v1':
      case 'gridcase.case-command.reopen.v1':
        return handleCaseCommand(deps, message.id, message, traceparent);
      default:
        return;
    }
  };
}
