import { auditTable, inboxTable, outboxTable, timestamptz } from '@gridcase/db';
import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, integer, jsonb, pgSchema, text, uniqueIndex } from 'drizzle-orm/pg-core';

export const triage = pgSchema('triage');
export const outbox = outboxTable(triage);
export const audit = auditTable(triage);
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

/**
 * Every case triage opened, as far as duplicates and relapses need it: kind, category, place, what
 * the first report said, and whether it is open, resolved or closed (kept from the case events on
 * gridcase.cases). Open cases take repeats; resolved or closed ones make a later report a relapse.
 */
export const caseIndex = triage.table(
  'case_index',
  {
    caseId: text('case_id').primaryKey(),
    caseNumber: text('case_number').notNull(),
    kind: text('kind').notNull(),
    category: text('category').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    /** The address normalised (domain/place.ts `normaliseAddress`). */
    addressKey: text('address_key'),
    gridCode: text('grid_code'),
    communityCode: text('community_code'),
    /** Title and description of the first report, for word-level similarity. */
    text: text('text').notNull(),
    status: text('status').notNull(),
    /** The grade the case was opened with: a report graded above it does not join it. Null: indexed before grades were kept. */
    severity: text('severity'),
    openedAt: timestamptz('opened_at').notNull(),
    /** The newest report opened or merged into the case: a merge window runs from it. */
    lastReportAt: timestamptz('last_report_at').notNull(),
    /** When the case was last resolved or closed: a relapse window runs from it. */
    settledAt: timestamptz('settled_at'),
  },
  (t) => [
    check('case_index_status', sql`${t.status} in ('open', 'resolved', 'closed')`),
    index('case_index_point').on(t.lat, t.lng),
    index('case_index_address').on(t.addressKey),
    index('case_index_grid').on(t.gridCode),
    index('case_index_community').on(t.communityCode),
  ],
);

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
