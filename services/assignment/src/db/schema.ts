import type { Actor, Assignee, GridGeometry, Location } from '@gridcase/contracts';
import { inboxTable, outboxTable, timestamptz } from '@gridcase/db';
import { bigint, boolean, index, integer, jsonb, pgSchema, text } from 'drizzle-orm/pg-core';

export const assignment = pgSchema('assignment');
export const outbox = outboxTable(assignment);
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

// ── The case of record ──

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
    respondBy: timestamptz('respond_by').notNull(),
    resolveBy: timestamptz('resolve_by').notNull(),
    openedAt: timestamptz('opened_at').notNull(),
    respondBudgetMs: bigint('respond_budget_ms', { mode: 'number' }).notNull(),
    resolveBudgetMs: bigint('resolve_budget_ms', { mode: 'number' }).notNull(),
    acknowledgedAt: timestamptz('acknowledged_at'),
    resolvedAt: timestamptz('resolved_at'),
    outcome: text('outcome'),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [index('cases_status_idx').on(t.status), index('cases_police_grid_idx').on(t.policeGridCode)],
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
