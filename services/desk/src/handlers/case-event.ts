import type { Logger } from 'pino';
import { clientOf, type Db, notifyOnCommit, type Tx } from '@gridcase/db';
import { claimAndReadCase, writeProjection } from '../db/projection.ts';
import { type CaseEvent, commandOutcome, project } from '../domain/project.ts';
import { TIMELINE_CHANNEL } from '../follower.ts';

export interface ProjectionDeps {
  db: Db;
  /** The consumer group suffix, also the inbox group. */
  groupId: string;
  logger: Logger;
}

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

/**
 * The projection's writes, in two prepared statements (db/projection.ts): the inbox claim with the
 * case row locked and read and the timeline lock taken, then the case row, the command it settles
 * and the timeline entry. Undefined when the event was projected before (inbox).
 */
async function projectOnce(tx: Tx, deps: ProjectionDeps, event: CaseEvent): Promise<Projected | undefined> {
  const client = clientOf(tx);
  const { claimed, state } = await claimAndReadCase(client, deps.groupId, event.id, event.data.caseId);
  if (!claimed) return undefined;
  const next = project(state, event);
  const outcome = commandOutcome(event);
  const { seq, settled } = await writeProjection(client, event, next, outcome);
  // Every desk instance LISTENs and feeds its SSE streams from the timeline. Woken after the commit
  // (one NOTIFY for many commits): a follower reads every seq after its last, so a wake-up names none.
  if (seq !== undefined) notifyOnCommit(tx, TIMELINE_CHANNEL);
  return { isNew: !state, next, outcome, settled };
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
