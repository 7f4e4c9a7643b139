import { parseMessage } from '@gridcase/contracts';
import type { RecordHandler } from '@gridcase/messaging';
import { handleCaseStatus, indexStatusAfter } from './case-status.ts';
import { handleReportReceived, type TriageDeps } from './report-received.ts';

/** Routes each record to its handler; types triage does not care about are acknowledged and skipped. */
export function triageHandler(deps: TriageDeps): RecordHandler {
  return async (record) => {
    const message = parseMessage(record.value);
    switch (message.type) {
      case 'gridcase.report.received.v1':
        return handleReportReceived(deps, message.id, message.data, record.headers.traceparent);
      default: {
        const status = indexStatusAfter(message);
        if (status && 'caseId' in message.data && 'at' in message.data) {
          return handleCaseStatus(deps, message.id, message.data.caseId, status, new Date(message.data.at));
        }
        return;
      }
    }
  };
}
