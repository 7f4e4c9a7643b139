// The desk projection as it was before issue 12's prepared statements (services/desk at bca70aa, with
// the timeline's NOTIFY sent after the commit as since b0d2cc6): drizzle's query builder, six
// statements per event. Kept only so infra/bench/projection.ts can print the ratio of the service's
// projection to it, measured the same way in the same process.
// (drizzle's eq()/and() written as sql`` here: drizzle-orm is no dependency of infra/.)
import { parseMessage } from '@gridcase/contracts';
import { claimInbox, type Db, notifyOnCommit, sql, type Tx } from '@gridcase/db';
import type { TransactionalHandler } from '@gridcase/messaging';
import { rowToState } from '../../../services/desk/src/db/rows.ts';
import { cases, commands, inbox, timeline } from '../../../services/desk/src/db/schema.ts';
import { type CaseEvent, commandOutcome, isCaseEventType, project } from '../../../services/desk/src/domain/project.ts';
import { TIMELINE_CHANNEL } from '../../../services/desk/src/follower.ts';

const TIMELINE_LOCK = sql`hashtextextended('desk.timeline.seq', 0)`;

async function projectOnce(tx: Tx, groupId: string, event: CaseEvent): Promise<void> {
  const caseId = event.data.caseId;
  if (!(await claimInbox(tx, inbox, groupId, event.id))) return;
  const [row] = await tx.select().from(cases).where(sql`${cases.caseId} = ${caseId}`).for('update');
  const next = project(row ? rowToState(row) : undefined, event);
  const { caseId: _key, ...changes } = next;
  await tx.insert(cases).values(next).onConflictDoUpdate({ target: cases.caseId, set: changes });
  const outcome = commandOutcome(event);
  if (outcome) {
    await tx
      .update(commands)
      .set({
        status: outcome.status,
        reason: outcome.status === 'rejected' ? outcome.reason : null,
        code: outcome.status === 'rejected' ? outcome.code : null,
        decidedAt: event.time,
      })
      .where(sql`${commands.commandId} = ${outcome.commandId} and ${commands.status} = 'pending'`)
      .returning({ commandId: commands.commandId, type: commands.type });
  }
  await tx.execute(sql`select pg_advisory_xact_lock(${TIMELINE_LOCK})`);
  const [entry] = await tx
    .insert(timeline)
    .values({ eventId: event.id, seq: sql`(select coalesce(max(${timeline.seq}), 0) + 1 from ${timeline})`, caseId, type: event.type, time: event.time, data: event.data })
    .onConflictDoNothing()
    .returning({ seq: timeline.seq });
  if (entry) notifyOnCommit(tx, TIMELINE_CHANNEL);
}

/** The old deskHandler: drizzle transactions, the projection above. */
export function drizzleDeskHandler(db: Db, groupId: string): TransactionalHandler<Tx> {
  return {
    transaction: (work) => db.transaction(work),
    handle: async (tx, record) => {
      const message = parseMessage(record.value);
      if (!isCaseEventType(message.type)) return;
      const event = { id: message.id, type: message.type, time: new Date(message.time), data: message.data, traceparent: record.headers.traceparent } as CaseEvent;
      await projectOnce(tx, groupId, event);
      return undefined;
    },
  };
}
