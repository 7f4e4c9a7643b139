import { inboxTable, outboxTable, timestamptz } from '@gridcase/db';
import { sql } from 'drizzle-orm';
import { check, index, integer, pgSchema, text, uniqueIndex } from 'drizzle-orm/pg-core';

export const escalation = pgSchema('escalation');
export const outbox = outboxTable(escalation);
export const inbox = inboxTable(escalation);

/** What escalation knows of each case: enough to decide whether a deadline still matters. */
export const cases = escalation.table(
  'cases',
  {
    caseId: text('case_id').primaryKey(),
    caseNumber: text('case_number').notNull(),
    status: text('status').$type<'open' | 'acknowledged' | 'resolved'>().notNull(),
    /** 0 = the grid officer and grid worker; +1 per escalation. */
    level: integer('level').notNull().default(0),
    /** Generation of the deadlines: 0 when opened, +1 per reopen, so a reopened case gets fresh timers. */
    round: integer('round').notNull().default(0),
    respondBy: timestamptz('respond_by').notNull(),
    resolveBy: timestamptz('resolve_by').notNull(),
    /** Of the event that set the current deadlines, so an escalation continues the case's trace. */
    traceparent: text('traceparent'),
    openedAt: timestamptz('opened_at').notNull(),
    /**
     * Envelope time of the newest case-of-record event applied (acknowledged, resolved, reopened).
     * An older one arriving later (a DLQ replay) is stale and changes nothing.
     */
    lastEventAt: timestamptz('last_event_at'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  () => [check('cases_status_check', sql`status in ('open', 'acknowledged', 'resolved')`)],
);

/**
 * Durable deadlines. One row per (case, kind, level, round): an escalation from level L always
 * creates the level L+1 resolve timer, so a second escalation of the same deadline and level
 * would violate `timers_deadline_key` and roll back, whatever restarts or replicas do.
 */
export const timers = escalation.table(
  'timers',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.caseId),
    kind: text('kind').$type<'respond' | 'resolve'>().notNull(),
    level: integer('level').notNull(),
    round: integer('round').notNull(),
    dueAt: timestamptz('due_at').notNull(),
    status: text('status').$type<'pending' | 'fired' | 'cancelled'>().notNull().default('pending'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    firedAt: timestamptz('fired_at'),
    cancelledAt: timestamptz('cancelled_at'),
    /** Failed attempts to fire; a failing timer waits until `retryAt` so it cannot hold up the others. */
    attempts: integer('attempts').notNull().default(0),
    retryAt: timestamptz('retry_at'),
    lastError: text('last_error'),
  },
  (t) => [
    uniqueIndex('timers_deadline_key').on(t.caseId, t.kind, t.level, t.round),
    index('timers_pending_due_idx').on(t.dueAt).where(sql`status = 'pending'`),
    index('timers_case_idx').on(t.caseId),
    check('timers_kind_check', sql`kind in ('respond', 'resolve')`),
    check('timers_status_check', sql`status in ('pending', 'fired', 'cancelled')`),
  ],
);

/** The budget each escalation level gets; levels above the highest row reuse it. */
export const ladder = escalation.table(
  'ladder',
  {
    level: integer('level').primaryKey(),
    role: text('role').notNull(),
    respondMinutes: integer('respond_minutes').notNull(),
    resolveMinutes: integer('resolve_minutes').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  () => [
    check('ladder_level_check', sql`level >= 1`),
    check('ladder_budget_check', sql`respond_minutes > 0 and resolve_minutes >= respond_minutes`),
  ],
);
