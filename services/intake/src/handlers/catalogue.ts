import { parseMessage } from '@gridcase/contracts';
import type { RecordHandler } from '@gridcase/messaging';
import type { Logger } from 'pino';
import type { Db } from '@gridcase/db';
import { storeCatalogue } from '../db/catalogue.ts';
import { storeStaffMap } from '../db/staff.ts';

/**
 * Triage's category catalogue from gridcase.reference into intake's table, so a report's category is
 * checked against local data (never a call to triage); and assignment's staff map, so a community
 * token gets its grid worker's grid. Other reference data (the calendar) is not intake's and is
 * skipped. Idempotent without an inbox: only a newer version replaces what is stored.
 */
export function catalogueHandler(deps: { db: Db; logger: Logger }): RecordHandler {
  return async (record) => {
    const message = parseMessage(record.value);
    if (message.type === 'gridcase.staff.updated.v1') {
      const stored = await storeStaffMap(deps.db, message.data);
      deps.logger.info({ version: message.data.version, officers: message.data.officers.length, stored }, `staff map v${message.data.version} ${stored ? 'stored' : 'skipped: not newer'}`);
      return;
    }
    if (message.type !== 'gridcase.categories.updated.v1') return;
    const stored = await storeCatalogue(deps.db, message.data);
    const { version } = message.data;
    deps.logger.info({ version, categories: message.data.categories.length, stored }, stored ? `category catalogue v${version} stored` : `category catalogue v${version}: a newer one is already stored`);
  };
}
