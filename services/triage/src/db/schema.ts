import { inboxTable, outboxTable, timestamptz } from '@gridcase/db';
import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgSchema, text, uniqueIndex } from 'drizzle-orm/pg-core';

export const triage = pgSchema('triage');
export const outbox = outboxTable(triage);
export const inbox = inboxTable(triage);

/**
 * Acknowledge and resolve budgets per category and severity; '*' matches any category. Each budget
 * is minutes of clock time or working days: exactly one column of each pair is set.
 */
export const slaPolicies = triage.table(
  'sla_policies',
  {
    category: text('category').notNull(),
    severity: text('severity').notNull(),
    respondMinutes: integer('respond_minutes'),
    respondWorkingDays: integer('respond_working_days'),
    resolveMinutes: integer('resolve_minutes'),
    resolveWorkingDays: integer('resolve_working_days'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sla_policies_key').on(t.category, t.severity),
    check('sla_policies_one_respond_budget', sql`num_nonnulls(${t.respondMinutes}, ${t.respondWorkingDays}) = 1`),
    check('sla_policies_one_resolve_budget', sql`num_nonnulls(${t.resolveMinutes}, ${t.resolveWorkingDays}) = 1`),
  ],
);

/**
 * The working-day calendar, one row per year as the State Council publishes it (holidays and 调休
 * make-up working days, `YYYY-MM-DD`). Triage owns it; every change goes out on gridcase.reference.
 */
export const calendarYears = triage.table('calendar_years', {
  year: integer('year').primaryKey(),
  holidays: text('holidays').array().notNull(),
  workdays: text('workdays').array().notNull(),
  source: text('source').notNull(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

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

/**
 * Classification rules and the category catalogue as data (packages/contracts `RuleSet`), one row
 * per version; the highest version is current. Rows are never changed: a case names the version
 * that decided it, so that version must stay readable.
 */
export const ruleSets = triage.table('rule_sets', {
  version: integer('version').primaryKey(),
  document: jsonb('document').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  createdBy: text('created_by').notNull(),
  note: text('note'),
});
