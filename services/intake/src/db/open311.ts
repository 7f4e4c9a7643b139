import type { Db } from '@gridcase/db';
import { type Scope, scopeSql } from '@gridcase/service-kit';
import { and, desc, eq, gte, inArray, isNull, lte, notInArray, or, type SQL, sql } from 'drizzle-orm';
import { CLOSED_STATUSES } from '../domain/open311.ts';
import { cases, reports } from './schema.ts';

/**
 * Which Open311 requests a token sees: its client's own, and with `stationScope` (a desk role's)
 * every request whose case is in that scope.
 */
export const visibleRequests = (clientId: string, stationScope: Scope | undefined): SQL | undefined => {
  const own = eq(reports.clientId, clientId);
  return stationScope ? or(own, scopeSql(stationScope, { station: cases.station })) : own;
};

/** Reports with their cases (when triaged) that `where` holds, newest first: `max` of them after `offset`. */
const requestRows = (db: Db, where: SQL | undefined, max: number, offset = 0) =>
  db
    .select({ report: reports, case: cases })
    .from(reports)
    .leftJoin(cases, eq(cases.caseId, reports.caseId))
    .where(where)
    // The id breaks ties in receipt time, so pages neither repeat nor skip a request.
    .orderBy(desc(reports.receivedAt), desc(reports.reportId))
    .limit(max)
    .offset(offset);

/** A request as read: its report, and its case when it has one. */
export type RequestRow = Awaited<ReturnType<typeof requestRows>>[number];

/** GET requests.json's query as validated: Open311's filters and a page. */
export interface RequestsQuery {
  service_request_id?: string | undefined;
  service_code?: string | undefined;
  start_date?: string | undefined;
  end_date?: string | undefined;
  status?: string | undefined;
  page_size: number;
  page: number;
}

/**
 * A page of the requests `visible` holds that match Open311's filters: ids (comma list), service code
 * (the case's category, else the report's, else `unclassified`), received within the dates, status.
 */
export async function listRequests(db: Db, visible: SQL | undefined, q: RequestsQuery): Promise<RequestRow[]> {
  const statuses = new Set(q.status?.split(','));
  const conditions = [
    visible,
    q.service_request_id ? inArray(reports.reportId, q.service_request_id.split(',').map((s) => s.trim())) : undefined,
    q.service_code ? sql`coalesce(${cases.category}, ${reports.report}->>'category', 'unclassified') = ${q.service_code}` : undefined,
    q.start_date ? gte(reports.receivedAt, new Date(q.start_date)) : undefined,
    q.end_date ? lte(reports.receivedAt, new Date(q.end_date)) : undefined,
    statuses.size === 1 && statuses.has('closed') ? inArray(cases.status, [...CLOSED_STATUSES]) : undefined,
    statuses.size === 1 && statuses.has('open') ? or(isNull(cases.status), notInArray(cases.status, [...CLOSED_STATUSES])) : undefined,
  ];
  return requestRows(db, and(...conditions), q.page_size, (q.page - 1) * q.page_size);
}

/** The request with this id (its token is the same) when `visible` holds it: one row, or none. */
export async function requestById(db: Db, reportId: string, visible: SQL | undefined): Promise<RequestRow[]> {
  return requestRows(db, and(eq(reports.reportId, reportId), visible), 1);
}
