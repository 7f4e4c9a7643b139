import type { Logger } from 'pino';
import { claimInbox, type Db, type Tx } from '@gridcase/db';
import { and, eq, sql } from 'drizzle-orm';
import { rowToState } from '../db/rows.ts';
import { cases, commands, inbox, timeline } from '../db/schema.ts';
import { type CaseEvent, commandOutcome, project } from '../domain/project.ts';
import { TIMELINE_CHANNEL } from '../follower.ts';

export interface ProjectionDeps {
  db: Db;
  /** The consumer group suffix, also the inbox group. */
  groupId: string;
  logger: Logger;
}

/** Serialises the last step of projections so the timeline's seq follows commit order. */
const TIMELINE_LOCK = sql`hashtextextended('desk.timeline.seq', 0)`;

/**
 * Projects one case event inside the consumer's transaction (one per event, or one for a run of a
 * partition's events): inbox claim, the case row (upserted: the case may be new to the desk even when
 * this is not case.opened), the timeline entry and the command it settles. Every instance's
 * TimelineFollower hears of it after the commit. Returns the log line to write once committed.
 */
export async function projectCaseEvent(tx: Tx, deps: ProjectionDeps, event: CaseEvent): Promise<() => void> {
  const done = await projectOnce(tx, deps, event);
  return () => logProjection(deps, event, done);
}

interface Projected {
  isNew: boolean;
  next: ReturnType<typeof project>;
  outcome: ReturnType<typeof commandOutcome>;
  settled: { commandId: string; type: string } | undefined;
}

/** The projection's writes; undefined when the event was projected before (inbox). */
async function projectOnce(tx: Tx, deps: ProjectionDeps, event: CaseEvent): Promise<Projected | undefined> {
  const caseId = event.data.caseId;
  if (!(await claimInbox(tx, inbox, deps.groupId, event.id))) return undefined;
  const [row] = await tx.select().from(cases).where(eq(cases.caseId, caseId)).for('update');
  const next = project(row ? rowToState(row) : undefined, event);
  const { caseId: _key, ...changes } = next;
  await tx.insert(cases).values(next).onConflictDoUpdate({ target: cases.caseId, set: changes });
  const outcome = commandOutcome(event);
  const settled = outcome
    ? await tx
        .update(commands)
        .set({
          status: outcome.status,
          reason: outcome.status === 'rejected' ? outcome.reason : null,
          code: outcome.status === 'rejected' ? outcome.code : null,
          decidedAt: event.time,
        })
        .where(and(eq(commands.commandId, outcome.commandId), eq(commands.status, 'pending')))
        .returning({ commandId: commands.commandId, type: commands.type })
    : [];
  // Last, so the lock is held only to commit: seq = max + 1 under it is gap-free and in commit order.
  // (In a run it is held from the first event's entry on, and taking it again returns at once.)
  await tx.execute(sql`select pg_advisory_xact_lock(${TIMELINE_LOCK})`);
  const [entry] = await tx
    .insert(timeline)
    .values({
      eventId: event.id,
      seq: sql`(select coalesce(max(${timeline.seq}), 0) + 1 from ${timeline})`,
      caseId,
      type: event.type,
      time: event.time,
      data: event.data,
    })
    .onConflictDoNothing()
    .returning({ seq: timeline.seq });
  // Every desk instance LISTENs and feeds its SSE streams from the timeline; delivered at commit.
  if (entry) await tx.execute(sql`select pg_notify(${TIMELINE_CHANNEL}, ${String(entry.seq)})`);
  return { isNew: !row, next, outcome, settled: settled[0] };
}

function logProjection(deps: ProjectionDeps, event: CaseEvent, done: Projected | undefined): void {
  const caseId = event.data.caseId;
  if (!done) {
    deps.logger.debug({ eventId: event.id, type: event.type, caseId }, 'case event already projected; skipped');
    return;
  }
  const { isNew, next, outcome, settled } = done;
  if (isNew && event.type !== 'gridcase.case.opened.v1') {
    deps.logger.warn({ eventId: event.id, type: event.type, caseId }, 'case event for a case the desk never saw opened; projected a partial case');
  }
  if (settled && outcome?.status === 'rejected') {
    deps.logger.info({ caseId, commandId: outcome.commandId, command: settled.type, reason: outcome.reason }, 'desk command rejected by the case of record');
  } else if (settled) {
    deps.logger.info({ caseId, commandId: settled.commandId, command: settled.type, status: next.status }, 'desk command applied');
  } else {
    deps.logger.debug({ caseId, type: event.type, status: next.status, level: next.level }, 'case event projected');
  }
}
