import type { Actor, Assignee, Budget, CalendarData, CaseStatus, DeadlineKind, GridGeometry, Location, PairingOwners, ReferenceData, Shift } from '@gridcase/contracts';
import { auditTable, inboxTable, outboxTable, timestamptz } from '@gridcase/db';
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgSchema, text } from 'drizzle-orm/pg-core';

export const assignment = pgSchema('assignment');
export const outbox = outboxTable(assignment);
export const audit = auditTable(assignment);
export const inbox = inboxTable(assignment);

// ── Reference data: replaced as a whole by PUT /v1/reference-data ──

export const stations = assignment.table('stations', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  county: text('county'),
  city: text('city'),
  province: text('province'),
});

export const policeGrids = assignment.table('police_grids', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  stationCode: text('station_code').notNull(),
  geometry: jsonb('geometry').$type<GridGeometry>(),
});

/** Community grids; `community_code` is what reports send as location.communityCode. */
export const grids = assignment.table(
  'grids',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    policeGridCode: text('police_grid_code').notNull(),
    communityCode: text('community_code').notNull(),
    communityName: text('community_name').notNull(),
    geometry: jsonb('geometry').$type<GridGeometry>().notNull(),
  },
  (t) => [index('grids_community_idx').on(t.communityCode), index('grids_police_grid_idx').on(t.policeGridCode)],
);

/** The roster: who serves which post, and who is on duty. `position` keeps the document's order, which decides ties. */
export const officers = assignment.table('officers', {
  officerId: text('officer_id').primaryKey(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  policeGridCode: text('police_grid_code'),
  gridCode: text('grid_code'),
  onDuty: boolean('on_duty').notNull().default(true),
  position: integer('position').notNull(),
});

/**
 * Every load of reference data (the demo seed, each PUT) is a version: routing reads the newest, and
 * cases keep the one they were routed with. The document is kept so a version can be looked at later.
 */
export const referenceVersions = assignment.table('reference_versions', {
  version: integer('version').primaryKey(),
  effectiveAt: timestamptz('effective_at').notNull(),
  importedAt: timestamptz('imported_at').notNull(),
  /** `seed` (a fresh install's demo station), `import` (PUT), or `baseline` (data older than versions). */
  source: text('source').notNull(),
  importedBy: text('imported_by'),
  document: jsonb('document').$type<ReferenceData>(),
});

/** The gazetteer: building addresses (小区/楼栋/门牌) and their community grid, keyed by the normalised form. */
export const addresses = assignment.table(
  'addresses',
  {
    normalized: text('normalized').primaryKey(),
    address: text('address').notNull(),
    gridCode: text('grid_code').notNull(),
  },
  (t) => [index('addresses_grid_idx').on(t.gridCode)],
);

/** Shifts and on-call per person, from the reference data; a person without a row is on duty by `officers.on_duty`. */
export const rosters = assignment.table('rosters', {
  officerId: text('officer_id').primaryKey(),
  shifts: jsonb('shifts').$type<Shift[]>().notNull(),
  onCall: boolean('on_call').notNull().default(false),
});

/**
 * Leave and absence. `source` 'import' rows come with the reference data and are replaced by the next
 * import; 'api' rows (POST /v1/officers/{id}/leave) outlive imports. The reason stays here: it is
 * never put in events or logs.
 */
export const leave = assignment.table(
  'leave',
  {
    leaveId: text('leave_id').primaryKey(),
    officerId: text('officer_id').notNull(),
    from: timestamptz('from').notNull(),
    until: timestamptz('until').notNull(),
    reason: text('reason').notNull(),
    source: text('source').notNull(),
    recordedBy: text('recorded_by'),
    recordedAt: timestamptz('recorded_at').notNull(),
  },
  (t) => [index('leave_officer_idx').on(t.officerId), check('leave_period_check', sql`"until" > "from"`)],
);

/** Who of the pair works which category, in order (the first match decides); replaced with the reference data. */
export const pairingRules = assignment.table('pairing_rules', {
  position: integer('position').primaryKey(),
  ruleId: text('rule_id').notNull().unique(),
  categories: jsonb('categories').$type<string[]>().notNull(),
  owners: text('owners').$type<PairingOwners>().notNull(),
  note: text('note'),
});

// ── The case of record ──

/** A clock as stored: instants as RFC 3339 strings; `warnAt` only for a working-day budget's (absent in rows from before it). */
export type StoredClock = { startedAt: string; dueAt: string; warnAt?: string };
export type StoredDeadlines = { [K in DeadlineKind]?: StoredClock };
export type StoredHold = { since: string; reason: string; until: string | null; fromStatus: CaseStatus };
export type StoredExtension = { until: string; reason: string; status: 'pending' | 'approved' | 'rejected'; requestedBy: Actor };

export const cases = assignment.table(
  'cases',
  {
    caseId: text('case_id').primaryKey(),
    caseNumber: text('case_number').notNull(),
    station: text('station').notNull(),
    status: text('status').notNull(),
    level: integer('level').notNull(),
    category: text('category').notNull(),
    severity: text('severity').notNull(),
    title: text('title'),
    description: text('description').notNull(),
    location: jsonb('location').$type<Location>().notNull(),
    assignees: jsonb('assignees').$type<Assignee[]>().notNull(),
    policeGridCode: text('police_grid_code'),
    gridCode: text('grid_code'),
    routedBy: text('routed_by').notNull(),
    unroutableReason: text('unroutable_reason'),
    /** The reference-data version the case was last routed with (null: routed before versions were kept). */
    referenceVersion: integer('reference_version'),
    openedAt: timestamptz('opened_at').notNull(),
    resolveBudgetMs: bigint('resolve_budget_ms', { mode: 'number' }).notNull(),
    acknowledgedAt: timestamptz('acknowledged_at'),
    resolvedAt: timestamptz('resolved_at'),
    outcome: text('outcome'),
    updatedAt: timestamptz('updated_at').notNull(),
    /** Every clock the case has had (respond, resolve, verify, follow-up); the status says which run. */
    deadlines: jsonb('deadlines').$type<StoredDeadlines>().notNull(),
    deadlineVersion: integer('deadline_version').notNull().default(0),
    budgets: jsonb('budgets').$type<{ respond: Budget; resolve: Budget }>(),
    reporter: jsonb('reporter').$type<{ anonymous: boolean; hasContact: boolean }>(),
    relapse: boolean('relapse').notNull().default(false),
    relatedCaseIds: jsonb('related_case_ids').$type<string[]>().notNull().default([]),
    reworkCount: integer('rework_count').notNull().default(0),
    resolvedBy: jsonb('resolved_by').$type<Actor>(),
    hold: jsonb('hold').$type<StoredHold>(),
    extension: jsonb('extension').$type<StoredExtension>(),
    extensionsApproved: integer('extensions_approved').notNull().default(0),
  },
  (t) => [
    index('cases_status_idx').on(t.status),
    index('cases_police_grid_idx').on(t.policeGridCode),
    // Open cases by owner, for routing's open-case counts (db/roster.ts): a few owners' cases, never every
    // open case. Without GIN's pending list (fastupdate), which every search would read through whole.
    index('cases_open_assignees_idx')
      .using('gin', t.assignees.op('jsonb_path_ops'))
      .where(sql`status in ('open', 'acknowledged', 'on-hold')`)
      .with({ fastupdate: false }),
  ],
);

/** Notes added to a case, one per note command. */
export const caseNotes = assignment.table(
  'case_notes',
  {
    commandId: text('command_id').primaryKey(),
    caseId: text('case_id').notNull(),
    text: text('text').notNull(),
    by: jsonb('by').$type<Actor>().notNull(),
    at: timestamptz('at').notNull(),
  },
  (t) => [index('case_notes_case_idx').on(t.caseId)],
);

/** The budget each escalation level gets; levels above the highest row reuse it. */
export const ladder = assignment.table(
  'ladder',
  {
    level: integer('level').primaryKey(),
    respondMinutes: integer('respond_minutes').notNull(),
    resolveMinutes: integer('resolve_minutes').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  () => [
    check('ladder_level_check', sql`level >= 1`),
    check('ladder_budget_check', sql`respond_minutes > 0 and resolve_minutes >= respond_minutes`),
  ],
);

/** The working-day calendar as triage publishes it on gridcase.reference: one row per year, the newest version. */
export const calendarYears = assignment.table('calendar_years', {
  year: integer('year').primaryKey(),
  data: jsonb('data').$type<CalendarData>().notNull(),
  updatedAt: timestamptz('updated_at').notNull(),
});
