import { type DeadlineKind, newId } from '@gridcase/contracts';
import { clientOf, type Db, type Tx } from '@gridcase/db';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type pg from 'pg';
import {
  type DeadlinesSet,
  type Fact,
  type MirrorPlan,
  NO_VERSION,
  type PreviousDeadline,
  planMirror,
  type TimerKind,
  type TimerStatus,
  warningLeadMs,
} from '../domain/timers.ts';
import { cases, timers } from './schema.ts';

// A deadlines-set comes for nearly every case event, so the mirror's SQL is three prepared statements
// (parsed once per connection) rather than six built by drizzle each time: its query building cost
// escalation more CPU than the statements did.

/** The case row created if new, and locked either way (the no-op update takes the row lock); its applied version. */
const LOCK_CASE: pg.QueryConfig = {
  name: 'escalation_mirror_lock_case',
  text: `insert into escalation.cases (case_id, version, station, updated_at) values ($1, ${NO_VERSION}, $2, $3)
         on conflict (case_id) do update set case_id = excluded.case_id
         returning version`,
};

/**
 * The deadlines of the newest version before $2 that armed any deadline timers (on-hold sets arm
 * none; a hold's end is not a deadline, so the set before the hold is the one a resume continues).
 */
const PREVIOUS_TIMERS: pg.QueryConfig = {
  name: 'escalation_mirror_previous',
  text: `select kind, fact, level, due_at as "dueAt", fire_at as "fireAt", status from escalation.timers
          where case_id = $1 and kind <> 'hold'
            and version = (select max(version) from escalation.timers where case_id = $1 and version < $2 and kind <> 'hold')`,
};

/**
 * The new version applied: the case row, every pending timer of older versions cancelled (through
 * timers_pending_case_idx, whatever else is pending), the new timers armed. Exported for the test
 * of its plan.
 */
export const APPLY: pg.QueryConfig = {
  name: 'escalation_mirror_apply',
  text: `with applied as (
           update escalation.cases set version = $2, traceparent = $3, updated_at = $4, station = coalesce($5, station) where case_id = $1
         ), cancelled as (
           update escalation.timers set status = 'cancelled', cancelled_at = $4 where case_id = $1 and status = 'pending' and version < $2
         )
         insert into escalation.timers (id, case_id, kind, fact, version, level, due_at, fire_at, status, fired_at)
         select t->>'id', $1, t->>'kind', t->>'fact', $2, (t->>'level')::int, (t->>'dueAt')::timestamptz, (t->>'fireAt')::timestamptz,
                t->>'status', (t->>'firedAt')::timestamptz
           from jsonb_array_elements($6::jsonb) as t`,
};

/**
 * Applies a deadlines-set to the mirror, in the caller's transaction. The case row is created if
 * new and locked, so the consumer and the schedulers never interleave on one case; a newer version
 * cancels every pending timer of older versions and arms its own.
 */
export async function mirrorDeadlines(tx: Tx, set: DeadlinesSet, now: Date, traceparent: string | undefined): Promise<MirrorPlan> {
  const client = clientOf(tx);
  const { rows } = await client.query<{ version: number }>({ ...LOCK_CASE, values: [set.caseId, set.station ?? null, now] });
  const stored = rows[0]?.version ?? NO_VERSION;
  if (set.version <= stored) return planMirror(stored, set);
  const plan = planMirror(stored, set, await previousDeadlines(client, set.caseId, set.version));
  if (!plan.apply) return plan;
  // A carried warning was sent under an older version: it is kept as fired and emits nothing.
  const armed = plan.create.map(({ carried, kind, fact, level, dueAt, fireAt }) => ({
    id: newId(),
    kind,
    fact,
    level,
    dueAt,
    fireAt,
    status: carried ? 'fired' : 'pending',
    firedAt: carried ? now : null,
  }));
  await client.query({ ...APPLY, values: [set.caseId, set.version, traceparent ?? null, now, set.station ?? null, JSON.stringify(armed)] });
  return plan;
}

/** The deadlines of the newest version before `version` that armed any deadline timers (PREVIOUS_TIMERS). */
async function previousDeadlines(client: pg.PoolClient, caseId: string, version: number): Promise<PreviousDeadline[]> {
  const { rows } = await client.query<{ kind: DeadlineKind; fact: Fact; level: number; dueAt: Date; fireAt: Date; status: TimerStatus }>({
    ...PREVIOUS_TIMERS,
    values: [caseId, version],
  });
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
  kind: TimerKind;
  fact: Fact;
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
