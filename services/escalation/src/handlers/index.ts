import { parseMessage } from '@gridcase/contracts';
import type { RecordHandler } from '@gridcase/messaging';
import { handleCaseAcknowledged } from './case-acknowledged.ts';
import { handleCaseOpened } from './case-opened.ts';
import { handleCaseReopened } from './case-reopened.ts';
import { handleCaseResolved } from './case-resolved.ts';
import type { HandlerDeps } from './deps.ts';

/** Routes each case event to its handler; the others change no deadline and are skipped. */
export function escalationHandler(deps: HandlerDeps): RecordHandler {
  return async (record) => {
    const message = parseMessage(record.value);
    const traceparent = record.headers.traceparent;
    const event = { id: message.id, time: new Date(message.time) };
    switch (message.type) {
      case 'gridcase.case.opened.v1':
        return handleCaseOpened(deps, message.id, message.data, traceparent);
      case 'gridcase.case.acknowledged.v1':
        return handleCaseAcknowledged(deps, event, message.data);
      case 'gridcase.case.resolved.v1':
        return handleCaseResolved(deps, event, message.data);
      case 'gridcase.case.reopened.v1':
        return handleCaseReopened(deps, event, message.data, traceparent);
      // Our own case.escalated coming back: the scheduler applied it in the transaction that emitted it.
      case 'gridcase.case.escalated.v1':
        return;
      default:
        return;
    }
  };
}
