import { inboxTable, outboxTable, timestamptz } from '@gridcase/db';
import { integer, pgSchema, text, uniqueIndex } from 'drizzle-orm/pg-core';

export const triage = pgSchema('triage');
export const outbox = outboxTable(triage);
export const inbox = inboxTable(triage);

/** Acknowledge and resolve budgets per category and severity; '*' matches any category. */
export const slaPolicies = triage.table(
  'sla_policies',
  {
    category: text('category').notNull(),
    severity: text('severity').notNull(),
    respondMinutes: integer('respond_minutes').notNull(),
    resolveMinutes: integer('resolve_minutes').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sla_policies_key').on(t.category, t.severity)],
);

/** Open cases, for spotting a report that repeats one already being worked. */
export const openCases = triage.table('open_cases', {
  caseId: text('case_id').primaryKey(),
  caseNumber: text('case_number').notNull(),
  category: text('category').notNull(),
  locationKey: text('location_key').notNull(),
  fingerprint: text('fingerprint').notNull(),
  openedAt: timestamptz('opened_at').notNull(),
});

/** Which case each report became or joined; makes report.received idempotent beyond the inbox. */
export const reportCases = triage.table('report_cases', {
  reportId: text('report_id').primaryKey(),
  caseId: text('case_id').notNull(),
});

/** Per-station, per-year counter behind human case numbers (CG-2026-000123). */
export const caseNumbers = triage.table('case_numbers', {
  prefix: text('prefix').primaryKey(),
  last: integer('last').notNull(),
});
