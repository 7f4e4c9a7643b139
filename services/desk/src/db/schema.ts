import type { Actor, Assignee, DeadlineKind } from '@gridcase/contracts';
import { auditTable, inboxTable, outboxTable, timestamptz } from '@gridcase/db';
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgSchema, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Extension, Hold } from '../domain/project.ts';

export const desk = pgSchema('desk');
export const outbox = outboxTable(desk);
export const audit = auditTable(desk);
export const inbox = inboxTable(desk);

/**
 * The read model: one row per case, as the case events describe it. Descriptive columns are
 * nullable because a case can first be seen through a later event when its case.opened was lost.
 */
export const cases = desk.table(
  'cases',
  {
    caseId: text('case_id').primaryKey(),
    caseNumber: text('case_number'),
    station: text('station'),
    status: text('status').notNull(),
    level: integer('level').notNull().default(0),
    category: text('category'),
    severity: text('severity'),
    kind: text('kind'),
    title: text('title'),
    description: text('description'),
    assignees: jsonb('assignees').$type<Assignee[]>().notNull().default([]),
    policeGridCode: text('police_grid_code'),
    gridCode: text('grid_code'),
    respondBy: timestamptz('respond_by'),
    resolveBy: timestamptz('resolve_by'),
    reports: text('reports').array().notNull().default(sql`'{}'::text[]`),
    openedAt: timestamptz('opened_at').notNull(),
    acknowledgedAt: timestamptz('acknowledged_at'),
    resolvedAt: timestamptz('resolved_at'),
    outcome: text('outcome'),
    escalations: integer('escalations').notNull().default(0),
    lastEventAt: timestamptz('last_event_at').notNull(),
    lastTraceparent: text('last_traceparent'),
    reworkCount: integer('rework_count').notNull().default(0),
    relapse: boolean('relapse').notNull().default(false),
    relatedCaseIds: text('related_case_ids').array().notNull().default(sql`'{}'::text[]`),
    verifyBy: timestamptz('verify_by'),
    followUpBy: timestamptz('follow_up_by'),
    hold: jsonb('hold').$type<Hold>(),
    extension: jsonb('extension').$type<Extension>(),
    extensionsApproved: integer('extensions_approved').notNull().default(0),
    warnings: integer('warnings').notNull().default(0),
    deadlinesVersion: integer('deadlines_version').notNull().default(0),
    resolvedBy: jsonb('resolved_by').$type<Actor>(),
    missedDeadlines: text('missed_deadlines').array().$type<DeadlineKind[]>().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    // The list's order and cursor: newest first.
    index('cases_opened_idx').on(t.openedAt.desc(), t.caseId.desc()),
    index('cases_status_idx').on(t.status),
    index('cases_police_grid_idx').on(t.policeGridCode),
    index('cases_respond_by_idx').on(t.respondBy),
    index('cases_resolve_by_idx').on(t.resolveBy),
    index('cases_verify_by_idx').on(t.verifyBy),
    index('cases_follow_up_by_idx').on(t.followUpBy),
    // assignees @> '[{"officerId": …}]'
    index('cases_assignees_idx').using('gin', t.assignees.op('jsonb_path_ops')),
  ],
);

/**
 * Every case event, in the order the desk's projections COMMITTED (seq), which is Kafka's order
 * within a case. `seq` is assigned under a lock held to commit (see handlers/case-event.ts), so it
 * has no gaps and a row is visible only after every row of a lower seq: reading `seq > n` never
 * skips an event that commits later (a sequence default would, across partitions).
 */
export const timeline = desk.table(
  'timeline',
  {
    eventId: text('event_id').primaryKey(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    caseId: text('case_id').notNull(),
    type: text('type').notNull(),
    time: timestamptz('time').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [uniqueIndex('timeline_seq_idx').on(t.seq), index('timeline_case_idx').on(t.caseId, t.seq)],
);

/** Commands the desk sent, and what became of them (an event carrying the command id decides). */
export const commands = desk.table(
  'commands',
  {
    commandId: text('command_id').primaryKey(),
    caseId: text('case_id').notNull(),
    type: text('type').notNull(),
    status: text('status').notNull(),
    reason: text('reason'),
    /** A rejection's code (forbidden, conflict, invalid): what a waited answer maps to 403 or 409. */
    code: text('code'),
    issuedBy: jsonb('issued_by').$type<Actor>().notNull(),
    issuedAt: timestamptz('issued_at').notNull(),
    decidedAt: timestamptz('decided_at'),
    /** The issuing client and the `Idempotency-Key` it sent: a retry under the key is the same command. */
    clientId: text('client_id'),
    idempotencyKey: text('idempotency_key'),
    /** What the keyed request asked (case, command, fields): the same key for another request is refused. */
    requestHash: text('request_hash'),
  },
  (t) => [
    index('commands_case_idx').on(t.caseId),
    uniqueIndex('commands_idempotency_key').on(t.clientId, t.idempotencyKey).where(sql`idempotency_key is not null`),
  ],
);
