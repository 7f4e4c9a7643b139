import { parseMessage } from '@gridcase/contracts';
import type { RecordHandler } from '@gridcase/messaging';
import { storeCalendarYear } from '../db/clock-data.ts';
import type { AssignmentDeps } from './deps.ts';

/**
 * The working-day calendar from gridcase.reference, into assignment's own table, so deadlines are
 * computed from local data (never an HTTP call at decision time). Idempotent without an inbox: a
 * year is replaced only by a version at least as new.
 */
export function calendarHandler(deps: AssignmentDeps): RecordHandler {
  return async (record) => {
    const message = parseMessage(record.value);
    if (message.type !== 'gridcase.calendar.updated.v1') return;
    const stored = await storeCalendarYear(deps.db, message.data);
    deps.logger.info(
      { year: message.data.year, updatedAt: message.data.updatedAt, stored },
      stored ? `calendar ${message.data.year} stored` : `calendar ${message.data.year}: a newer version is already stored`,
    );
  };
}
