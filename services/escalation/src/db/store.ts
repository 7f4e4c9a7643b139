import { newId } from '@gridcase/contracts';
import type { Db, Tx } from '@gridcase/db';
import { and, count, eq, inArray, lt, max, sql } from 'drizzle-orm';
import { type DeadlinesSet, type MirrorPlan, NO_VERSION, type PreviousDeadline, planMirror, warningLeadMs } from '../domain/timers.ts';
import { cases, timers } from './schema.ts';

/**
 * Applies a deadlines-set to the mirror, in the caller's transaction. The case row is created if
 * new and locked, so the consumer and the schedulers never interleave on one case; a newer version
 * cancels every pending timer of older versions and arms its own.
 */
export async function mirrorDeadlines(tx: Tx, set: DeadlinesSet, now: Date, traceparent: string | undefined): Promise<MirrorPlan> {
  await tx.insert(cases).values({ caseId: set.caseId, version: NO_VERSION, station: set.station ?? null, updatedAt: now }).onConflictDoNothing();
  const [row] = await tx.select({ version: cases.version }).from(cases).where(eq(cases.caseId, set.caseId)).for('update');
  const stored = row?.version ?? NO_VERSION;
  if (set.version <= stored) return planMirror(stored, set);
  const plan = planMirror(stored, set, await previousDeadlines(tx, set.caseId, set.version));
  if (!plan.apply) return plan;
  await tx
    .update(cases)
    .set({ version: set.version, traceparent: traceparent ?? null, updatedAt: now, ...(set.station ? { station: set.station } : {}) })
    .where(eq(cases.caseId, set.caseId));
  await tx
    .update(timers)
    .set({ status: 'cancelled', cancelledAt: now })
    .where(and(eq(timers.caseId, set.caseId), eq(timers.status, 'pending'), lt(timers.version, set.version)));
  if (plan.create.length) {
    // A carried warning was sent under an older version: it is kept as fired and emits nothing.
    const rows = plan.create.map(({ carried, ...t }) => ({ ...t, id: newId(), ...(carried ? { status: 'fired' as const, firedAt: now } : {}) }));
    await tx.insert(timers).values(rows);
  }
  return plan;
}

/** The deadlines of the newest version before `version` that armed any timers (on-hold sets arm none). */
async function previousDeadlines(tx: Tx, caseId: string, version: number): Promise<PreviousDeadline[]> {
  const [last] = await tx
    .select({ version: max(timers.version) })
    .from(timers)
    .where(and(eq(timers.caseId, caseId), lt(timers.version, version)));
  if (last?.version == null) return [];
  const rows = await tx
    .select({ kind: timers.kind, fact: timers.fact, level: timers.level, dueAt: timers.dueAt, fireAt: timers.fireAt, status: timers.status })
    .from(timers)
    .where(and(eq(timers.caseId, caseId), eq(timers.version, last.version)));
  return rows
    .filter((w) => w.fact === 'warning')
    .map((w) => ({
      kind: w.kind,
      level: w.level,
      leadMs: warningLeadMs(w.dueAt, w.fireAt),
      warned: w.status === 'fired',
      passed: rows.some((p) => p.fact === 'passed' && p.kind === w.kind && p.status === 'fired'),
    }));
}

/** Rows of a timer the scheduler needs to emit its fact. */
export interface DueTimer {
  id: string;
  caseId: string;
  kind: DeadlinesSet['running'][number]['kind'];
  fact: 'warning' | 'passed';
  version: number;
  dueAt: Date;
  fireAt: Date;
}

const dueTimerColumns = {
  id: timers.id,
  caseId: timers.caseId,
  kind: timers.kind,
  fact: timers.fact,
  version: timers.version,
  dueAt: timers.dueAt,
  fireAt: timers.fireAt,
};

/**
 * Locks a pending timer together with its case row, skipping what another scheduler or the
 * consumer holds (that is left for a later pass). Undefined when it is gone, fired or held.
 */
export async function lockPendingTimer(tx: Tx, id: string): Promise<(DueTimer & { traceparent: string | null }) | undefined> {
  const [row] = await tx
    .select({ ...dueTimerColumns, traceparent: cases.traceparent })
    .from(timers)
    .innerJoin(cases, eq(cases.caseId, timers.caseId))
    .where(and(eq(timers.id, id), eq(timers.status, 'pending')))
    .for('update', { skipLocked: true });
  return row;
}

/**
 * lockPendingTimer for many at once: locks those still pending with their case rows, skipping what
 * another scheduler or the consumer holds. In no particular order.
 */
export async function lockPendingTimers(tx: Tx, ids: readonly string[]): Promise<(DueTimer & { traceparent: string | null })[]> {
  if (ids.length === 0) return [];
  return tx
    .select({ ...dueTimerColumns, traceparent: cases.traceparent })
    .from(timers)
    .innerJoin(cases, eq(cases.caseId, timers.caseId))
    .where(and(inArray(timers.id, [...ids]), eq(timers.status, 'pending')))
    .for('update', { skipLocked: true });
}

/** pendingWarningOf for many passed timers at once (the caller holds their cases' locks). */
export async function pendingWarningsOf(tx: Tx, passed: readonly DueTimer[]): Promise<DueTimer[]> {
  if (passed.length === 0) return [];
  return tx
    .select(dueTimerColumns)
    .from(timers)
    .where(
      and(
        inArray(timers.caseId, [...new Set(passed.map((t) => t.caseId))]),
        eq(timers.fact, 'warning'),
        eq(timers.status, 'pending'),
        sql`(${timers.caseId}, ${timers.kind}, ${timers.version}) in (${sql.join(
          passed.map((t) => sql`(${t.caseId}, ${t.kind}, ${t.version})`),
          sql`, `,
        )})`,
      ),
    )
    .for('update');
}

/** markFired for many; returns the ids it marked (those still pending). */
export async function markAllFired(tx: Tx, ids: readonly string[], now: Date): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx
    .update(timers)
    .set({ status: 'fired', firedAt: now, retryAt: null })
    .where(and(inArray(timers.id, [...ids]), eq(timers.status, 'pending')))
    .returning({ id: timers.id });
  return new Set(rows.map((r) => r.id));
}

/** The still-pending warning of the same deadline (the caller holds the case lock). */
export async function pendingWarningOf(tx: Tx, t: DueTimer): Promise<DueTimer | undefined> {
  const [row] = await tx
    .select(dueTimerColumns)
    .from(timers)
    .where(
      and(
        eq(timers.caseId, t.caseId),
        eq(timers.kind, t.kind),
        eq(timers.version, t.version),
        eq(timers.fact, 'warning'),
        eq(timers.status, 'pending'),
      ),
    )
    .for('update');
  return row;
}

/** Timers still pending; bounded to 2 s, so a scrape never hangs on a struggling database. */
export async function countPendingTimers(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local statement_timeout = 2000`);
    const [row] = await tx.select({ n: count() }).from(timers).where(eq(timers.status, 'pending'));
    return row?.n ?? 0;
  });
}

/** Marks a timer fired; false when it was not pending any more. */
export async function markFired(tx: Tx, id: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(timers)
    .set({ status: 'fired', firedAt: now, retryAt: null })
    .where(and(eq(timers.id, id), eq(timers.status, 'pending')))
    .returning({ id: timers.id });
  return rows.length === 1;
}
