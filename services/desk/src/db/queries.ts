import type { DeskCaseQuery, DeskCaseSummary, DeskCaseView, FieldIssue, StreamResetReason, TimelineEntry } from '@gridcase/contracts';
import { instantAfter, NO_POLICE_GRID, parseDuration } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { redactions, type Scope, scopeSql } from '@gridcase/service-kit';
import { redactData, redactSummary } from '../domain/redact.ts';
import { and, asc, eq, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { CaseCursor } from '../domain/cursor.ts';
import { encodeCursor } from '../domain/cursor.ts';
import { isOverdue, RUNNING_CLOCKS } from '../domain/deadlines.ts';
import { likePrefix, locationOf } from '../domain/location.ts';
import { holdView } from '../domain/project.ts';
import { timelineDetails } from '../domain/timeline.ts';
import { type CaseRow, rowToState } from './rows.ts';
import type { FeedEntry } from '../feed.ts';
import { cases, timeline } from './schema.ts';

const OPENED = 'gridcase.case.opened.v1';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The list shape: no description (free text a reporter wrote) and no personal data. */
export function toSummary(row: CaseRow, now: Date): DeskCaseSummary {
  const s = rowToState(row);
  return {
    caseId: s.caseId,
    caseNumber: s.caseNumber,
    status: s.status,
    level: s.level,
    category: s.category,
    severity: s.severity,
    kind: s.kind,
    title: s.title,
    assignees: s.assignees,
    policeGridCode: s.policeGridCode,
    gridCode: s.gridCode,
    respondBy: iso(s.respondBy),
    resolveBy: iso(s.resolveBy),
    openedAt: s.openedAt.toISOString(),
    acknowledgedAt: iso(s.acknowledgedAt),
    resolvedAt: iso(s.resolvedAt),
    outcome: s.outcome,
    escalations: s.escalations,
    overdue: isOverdue(s, now),
    lastEventAt: s.lastEventAt.toISOString(),
    reworkCount: s.reworkCount,
    relapse: s.relapse,
    relatedCaseIds: s.relatedCaseIds,
    verifyBy: iso(s.verifyBy),
    followUpBy: iso(s.followUpBy),
    hold: s.hold ? holdView(s.hold) : null,
    // Who asked stays in the read model (for the requester rule), not in the answer.
    extension: s.extension ? { until: s.extension.until, reason: s.extension.reason, status: s.extension.status } : null,
    warnings: s.warnings,
  };
}

/** `toSummary` as a token of `scope` may see it (redact.ts: what a community token is not shown). */
export const scopedSummary = (row: CaseRow, now: Date, scope: Scope): DeskCaseSummary => redactSummary(toSummary(row, now), redactions(scope, row.category));

/**
 * SQL twin of domain/deadlines.ts: some clock that runs in the case's status meets `test`, given its
 * due time and whether the case missed it. `is true` turns a null (no deadline) into false, which keeps NOT correct.
 */
const runningDeadlineSql = (test: (due: SQL, missed: SQL) => SQL) =>
  sql`(${sql.join(
    RUNNING_CLOCKS.map(
      (clock) =>
        sql`(${cases.status} in (${sql.join(clock.statuses.map((st) => sql`${st}`), sql`, `)}) and ${test(
          sql`${cases[clock.field]}`,
          sql`${cases.missedDeadlines} @> array[${clock.kind}]::text[]`,
        )})`,
    ),
    sql` or `,
  )}) is true`;

/** Twin of isOverdue. */
export const overdueSql = (now: Date) => runningDeadlineSql((due, missed) => sql`(${missed} or ${due} < ${now.toISOString()}::timestamptz)`);

/** Twin of isDueWithin; a window past year 9999 holds what one to it does. */
const dueWithinSql = (now: Date, windowMs: number) => {
  const from = now.toISOString();
  const until = instantAfter(now, windowMs).toISOString();
  return runningDeadlineSql((due) => sql`${due} > ${from}::timestamptz and ${due} <= ${until}::timestamptz`);
};

/** `q`: a case number's start (letters in any case), a case id, or the id of one of the case's reports. */
const searchSql = (q: string) => {
  const term = q.trim();
  return sql`(upper(${cases.caseNumber}) like ${`${likePrefix(term.toUpperCase())}%`} or ${cases.caseId} = ${term} or ${term} = any(${cases.reports}))`;
};

/**
 * `policeGrid`: one police grid's code or a comma list of them (any of them), where `none` stands for the cases no police
 * grid took (the queues' `policeGridCode: null` row): `CG-01,none`.
 */
export const policeGridSql = (policeGrid: string): SQL => {
  const codes = policeGrid.split(',');
  const named = codes.filter((code) => code !== NO_POLICE_GRID);
  const parts = [...(named.length ? [inArray(cases.policeGridCode, named)] : []), ...(named.length < codes.length ? [isNull(cases.policeGridCode)] : [])];
  return or(...parts) as SQL;
};

export async function listCases(
  db: Db,
  q: DeskCaseQuery,
  cursor: CaseCursor | undefined,
  now: Date,
  scope: Scope,
): Promise<{ items: DeskCaseSummary[]; nextCursor: string | null }> {
  const where: SQL[] = [scopeSql(scope, SCOPE_COLUMNS)];
  if (q.status) where.push(inArray(cases.status, q.status.split(',')));
  if (q.severity) where.push(inArray(cases.severity, q.severity.split(',')));
  if (q.policeGrid) where.push(policeGridSql(q.policeGrid));
  if (q.grid) where.push(eq(cases.gridCode, q.grid));
  if (q.category) where.push(inArray(cases.category, q.category.split(',')));
  if (q.level !== undefined) where.push(inArray(cases.level, q.level.split(',').map(Number)));
  if (q.assignee) where.push(sql`${cases.assignees} @> ${JSON.stringify([{ officerId: q.assignee }])}::jsonb`);
  if (q.overdue === 'true') where.push(overdueSql(now));
  if (q.overdue === 'false') where.push(sql`not ${overdueSql(now)}`);
  if (q.dueWithin) where.push(dueWithinSql(now, parseDuration(q.dueWithin) ?? 0));
  if (q.caseNumber) where.push(sql`upper(${cases.caseNumber}) = ${q.caseNumber.trim().toUpperCase()}`);
  if (q.q) where.push(searchSql(q.q));
  if (cursor) {
    where.push(sql`(${cases.openedAt}, ${cases.caseId}) < (${cursor.openedAt.toISOString()}::timestamptz, ${cursor.caseId})`);
  }
  const rows = await db
    .select()
    .from(cases)
    .where(and(...where))
    // nulls last matches cases_opened_idx (the columns are never null).
    .orderBy(sql`${cases.openedAt} desc nulls last`, sql`${cases.caseId} desc nulls last`)
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => scopedSummary(r, now, scope)),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ openedAt: last.openedAt, caseId: last.caseId }) : null,
  };
}

/** A case's row by id, in whichever station (the caller answers one outside its scope as unknown); undefined when unknown. */
export async function findCaseRow(db: Db, caseId: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.caseId, caseId));
  return row;
}

/** The ids of a case's reports, as a token of `scope` may see the case; undefined when unknown or outside the scope. */
export async function caseReportIds(db: Db, caseId: string, scope: Scope): Promise<string[] | undefined> {
  const [row] = await db.select({ reports: cases.reports }).from(cases).where(and(eq(cases.caseId, caseId), scopeSql(scope, SCOPE_COLUMNS)));
  return row?.reports;
}

/** The case with its reports and whole timeline, oldest first, as a token of `scope` may see it; undefined when unknown or outside the scope (both answer 404). */
export async function loadCase(db: Db, caseId: string, now: Date, scope: Scope): Promise<DeskCaseView | undefined> {
  const [row] = await db.select().from(cases).where(and(eq(cases.caseId, caseId), scopeSql(scope, SCOPE_COLUMNS)));
  if (!row) return undefined;
  // Oldest first by when each event happened: events of one case can reach the topic out of time order (triage and assignment both write it).
  const events = await db.select().from(timeline).where(eq(timeline.caseId, caseId)).orderBy(asc(timeline.time), asc(timeline.seq));
  const withheld = redactions(scope, row.category);
  return {
    ...scopedSummary(row, now, scope),
    station: row.station,
    description: withheld.includes('description') ? null : row.description,
    location: locationOf(events.find((e) => e.type === OPENED)?.data, withheld),
    reports: row.reports,
    timeline: events.map(
      (e): TimelineEntry => {
        const data = redactData(e.data, withheld) as Record<string, unknown>;
        return { eventId: e.eventId, type: e.type, time: e.time.toISOString(), ...timelineDetails(e.time, data), data };
      },
    ),
  };
}

/**
 * Timeline entries after a position, in seq order, each with where its case is: one read serves every
 * stream of this instance (the follower) or one reconnecting stream (Last-Event-ID), so scoping an
 * event costs no query of its own.
 */
export async function timelineAfter(db: Db, after: number, limit: number): Promise<FeedEntry[]> {
  const rows = await db
    .select({
      entry: timeline,
      station: cases.station,
      gridCode: cases.gridCode,
      category: cases.category,
      // No grid and no case.assigned yet: the case of record has not routed the case (routing may still give none).
      gridPending: sql<boolean>`coalesce(${cases.gridCode} is null and not exists (
        select 1 from ${timeline} routed where routed.case_id = ${cases.caseId} and routed.type = 'gridcase.case.assigned.v1'
      ), false)`,
    })
    .from(timeline)
    .leftJoin(cases, eq(cases.caseId, timeline.caseId))
    .where(sql`${timeline.seq} > ${after}`)
    .orderBy(asc(timeline.seq))
    .limit(limit);
  return rows.map(({ entry: e, station, gridCode, category, gridPending }) => ({
    seq: e.seq,
    eventId: e.eventId,
    caseId: e.caseId,
    type: e.type,
    time: e.time.toISOString(),
    data: e.data,
    place: { station, gridCode, category, gridPending },
  }));
}

/**
 * What a stream resuming after `eventId` missed: every event after it, when there are at most
 * `limit`; otherwise why they cannot be replayed (the client must reload instead).
 */
export async function missedSince(db: Db, eventId: string, limit: number): Promise<{ missed: FeedEntry[] } | { reset: StreamResetReason }> {
  const [known] = await db.select({ seq: timeline.seq }).from(timeline).where(eq(timeline.eventId, eventId));
  if (!known) return { reset: 'unknown-last-event-id' };
  // One more than the limit tells "exactly the limit" from "more than it".
  const missed = await timelineAfter(db, known.seq, limit + 1);
  return missed.length > limit ? { reset: 'too-many-missed' } : { missed };
}

/** The bad fields the case of record named when it rejected a command as invalid (its command-rejected's `errors`). */
export async function rejectedFields(db: Db, caseId: string, commandId: string): Promise<FieldIssue[] | undefined> {
  const [row] = await db
    .select({ data: timeline.data })
    .from(timeline)
    .where(and(eq(timeline.caseId, caseId), eq(timeline.type, 'gridcase.case.command-rejected.v1'), sql`${timeline.data}->>'commandId' = ${commandId}`))
    .limit(1);
  const errors = row?.data.errors;
  return Array.isArray(errors) && errors.length > 0 ? (errors as FieldIssue[]) : undefined;
}

/** Where a desk case belongs, for the token's scope. */
export const SCOPE_COLUMNS = { station: cases.station, gridCode: cases.gridCode };
