import { auditTable, inboxTable, outboxTable, timestamptz } from '@gridcase/db';
import { sql } from 'drizzle-orm';
import { check, index, integer, pgSchema, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Fact, TimerKind, TimerStatus } from '../domain/timers.ts';

export const escalation = pgSchema('escalation');
export const outbox = outboxTable(escalation);
export const audit = auditTable(escalation);
export const inbox = inboxTable(escalation);

/**
 * One row per case the mirror has seen: the newest deadlines-set version applied. Its row lock
 * serialises the consumer and the schedulers per case. Status, level and owners live in assignment.
 */
export const cases = escalation.table('cases', {
  caseId: text('case_id').primaryKey(),
  /** Newest `case.deadlines-set` version applied; 0 until the first one. */
  version: integer('version').notNull().default(0),
  /** The case's station from its deadlines-set (null for sets from before it was carried). */
  station: text('station'),
  /** Of the deadlines-set that armed the pending timers, so a fact continues the case's trace. */
  traceparent: text('traceparent'),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/**
 * Durable timers: two per running deadline of a version (a warning at 75 % of the budget, and
 * `passed` at the deadline), and one (`hold`, `passed`) at the `holdUntil` of a held case's version. `timers_fact_key` makes a second row for the same fact impossible,
 * and a row goes from pending to fired once under its lock, so each fact is emitted once whatever
 * restarts or replicas do.
 */
export const timers = escalation.table(
  'timers',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.caseId),
    kind: text('kind').$type<TimerKind>().notNull(),
    fact: text('fact').$type<Fact>().notNull(),
    version: integer('version').notNull(),
    /** As reported by the set (shown in GET /v1/timers); nothing here decides on it. */
    level: integer('level').notNull(),
    /** The deadline. */
    dueAt: timestamptz('due_at').notNull(),
    /** When the timer fires: the 75 % point for a warning, `due_at` for passed. */
    fireAt: timestamptz('fire_at').notNull(),
    status: text('status').$type<TimerStatus>().notNull().default('pending'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    firedAt: timestamptz('fired_at'),
    cancelledAt: timestamptz('cancelled_at'),
    /** Failed attempts to fire; a failing timer waits until `retryAt` so it cannot hold up the others. */
    attempts: integer('attempts').notNull().default(0),
    retryAt: timestamptz('retry_at'),
    lastError: text('last_error'),
  },
  (t) => [
    uniqueIndex('timers_fact_key').on(t.caseId, t.kind, t.version, t.fact),
    index('timers_pending_fire_idx').on(t.fireAt).where(sql`status = 'pending'`),
    // A case's pending timers, for the cancel of a newer version and the scheduler's warnings. Without
    // it the planner, short of statistics (a young table, or autovacuum off), ANDs the pending index
    // with a case index and reads every pending timer for each deadlines-set. `timers_fact_key`
    // leads with case_id and serves the lookups of all statuses.
    index('timers_pending_case_idx').on(t.caseId).where(sql`status = 'pending'`),
    check('timers_kind_check', sql`kind in ('respond', 'resolve', 'verify', 'follow-up', 'hold')`),
    check('timers_fact_check', sql`fact in ('warning', 'passed')`),
    check('timers_status_check', sql`status in ('pending', 'fired', 'cancelled')`),
  ],
);
