import type { DeskMap } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { redactions, type Scope, scopeSql } from '@gridcase/service-kit';
import { and, eq, ne, sql } from 'drizzle-orm';
import { SCOPE_COLUMNS, scopedSummary } from './queries.ts';
import { cases, timeline } from './schema.ts';

/** The most cases one map answer carries (newest first); a station's open work is far below it. */
export const MAP_LIMIT = 2000;

const OPENED = 'gridcase.case.opened.v1';

/** A number from stored JSON, or undefined (the location may hold only a grid or an address). */
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Every case not closed, newest first, with the point of its first report. The point is read from
 * the case.opened event on the timeline (the read model keeps no location of its own); `scope`
 * limits the rows and redacts them as the token's scope does everywhere else (a tip's point goes
 * with its description, as in the case view).
 */
export async function loadMap(db: Db, now: Date, scope: Scope): Promise<DeskMap> {
  const rows = await db
    .select({ row: cases, location: sql<unknown>`${timeline.data}->'location'` })
    .from(cases)
    .leftJoin(timeline, and(eq(timeline.caseId, cases.caseId), eq(timeline.type, OPENED)))
    .where(and(ne(cases.status, 'closed'), scopeSql(scope, SCOPE_COLUMNS)))
    .orderBy(sql`${cases.openedAt} desc nulls last`, sql`${cases.caseId} desc nulls last`)
    .limit(MAP_LIMIT + 1);
  const items = rows.slice(0, MAP_LIMIT).map(({ row, location }) => {
    const loc = (location ?? {}) as { lat?: unknown; lng?: unknown };
    const lat = num(loc.lat);
    const lng = num(loc.lng);
    const hidden = redactions(scope, row.category).includes('description');
    return { ...scopedSummary(row, now, scope), point: !hidden && lat !== undefined && lng !== undefined ? { lat, lng } : null };
  });
  return { items, truncated: rows.length > MAP_LIMIT };
}
