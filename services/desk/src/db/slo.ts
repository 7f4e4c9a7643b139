import { type DataOf, makeMessage, TOPICS } from '@gridcase/contracts';
import { claimInbox, type Db, writeOutbox } from '@gridcase/db';
import { inbox, outbox } from './schema.ts';

/** The inbox's consumer group for alert changes: a change is emitted once, whichever instance sees it first. */
const SLO_GROUP = 'slo-burn';

/**
 * Emits one burn-rate alert change through the outbox, once: its id (police grid, alert, state,
 * instant) is claimed in the inbox in the same transaction. Returns false when it was already emitted.
 */
export async function emitSloBurn(db: Db, data: DataOf<'gridcase.desk.slo-burn.v1'>): Promise<boolean> {
  const changeId = `${data.policeGridCode ?? '-'}|${data.alert}|${data.state}|${data.at}`;
  return db.transaction(async (tx) => {
    if (!(await claimInbox(tx, inbox, SLO_GROUP, changeId))) return false;
    const key = data.policeGridCode ?? '-';
    const message = makeMessage('gridcase.desk.slo-burn.v1', { source: '/desk/slo', subject: key, time: new Date(data.at), data });
    await writeOutbox(tx, outbox, 'desk', [{ topic: TOPICS.alerts, key, message }]);
    return true;
  });
}
