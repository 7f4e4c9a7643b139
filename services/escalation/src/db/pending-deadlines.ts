import { type DeadlineKind, type InstantCursor, instantCursor } from '@gridcase/contracts';

/** Where a page of pending deadlines ends: by dueAt, then the timer's id. */
export const timersCursor = instantCursor('escalation.timers');
import type { Db } from '@gridcase/db';
import { type Scope, scopeSql } from '@gridcase/service-kit';
import { and, asc, eq, gt, lt, ne, or, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { cases, timers } from './schema.ts';

const warning = alias(timers, 'warning');

export interface PendingDeadlineFilter {
  dueBefore?: Date | undefined;
  caseId?: string | undefined;
  /** The last deadline of the previous page: its dueAt and timer id (the list's order). */
  after?: InstantCursor | undefined;
  limit: number;
}

/** A page of pending deadlines in `scope`, soonest first, and the cursor of the next page (null on the last). */
export async function listPendingDeadlines(db: Db, scope: Scope, q: PendingDeadlineFilter) {
  // A deadline is pending while its passed timer is; its warning is the sibling row. A hold's end
  // is no deadline (no warning, no escalation): not listed, so every item keeps its documented shape.
  const where: (SQL | undefined)[] = [eq(timers.fact, 'passed'), eq(timers.status, 'pending'), ne(timers.kind, 'hold')];
  if (q.dueBefore) where.push(lt(timers.dueAt, q.dueBefore));
  if (q.caseId) where.push(eq(timers.caseId, q.caseId));
  if (q.after) where.push(or(gt(timers.dueAt, q.after.at), and(eq(timers.dueAt, q.after.at), gt(timers.id, q.after.key))));
  // The timer service knows no grids: a community-limited scope sees none of its timers.
  where.push(scopeSql(scope, { station: cases.station }));
  const rows = await db
    .select({
      id: timers.id,
      caseId: timers.caseId,
      kind: timers.kind,
      level: timers.level,
      dueAt: timers.dueAt,
      version: timers.version,
      warningAt: warning.fireAt,
      warningStatus: warning.status,
    })
    .from(timers)
    .innerJoin(warning, and(eq(warning.caseId, timers.caseId), eq(warning.kind, timers.kind), eq(warning.version, timers.version), eq(warning.fact, 'warning')))
    .innerJoin(cases, eq(cases.caseId, timers.caseId))
    .where(and(...where))
    .orderBy(asc(timers.dueAt), asc(timers.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ id: _id, warningStatus, ...r }) => ({
      ...r,
      kind: r.kind as DeadlineKind,
      dueAt: r.dueAt.toISOString(),
      warningAt: r.warningAt.toISOString(),
      warned: warningStatus === 'fired',
    })),
    nextCursor: rows.length > q.limit && last ? timersCursor.encode({ at: last.dueAt, key: last.id }) : null,
  };
}
