import type { Severity } from '@gridcase/contracts';
import { clientOf, type Db, type Tx } from '@gridcase/db';
import { eq, sql } from 'drizzle-orm';
import type pg from 'pg';
import { DUPLICATE_RADIUS_M, type IndexedCase, RELAPSE_WINDOW_DAYS } from '../domain/duplicates.ts';
import { boundingBox, lockNames, type Place } from '../domain/place.ts';
import { caseIndex, caseNumbers, reportCases } from './schema.ts';

// The three statements every report runs (its claim, its candidates, its new case) are prepared
// statements, parsed once per connection, rather than built by drizzle per report: the query
// building cost triage more CPU than the statements did.

type Row = Pick<typeof caseIndex.$inferSelect, 'caseId' | 'kind' | 'category' | 'lat' | 'lng' | 'addressKey' | 'gridCode' | 'communityCode' | 'text' | 'status' | 'severity' | 'lastReportAt' | 'settledAt'>;

const indexed = (row: Row): IndexedCase => ({
  caseId: row.caseId,
  kind: row.kind,
  category: row.category,
  place: {
    lat: row.lat ?? undefined,
    lng: row.lng ?? undefined,
    addressKey: row.addressKey ?? undefined,
    gridCode: row.gridCode ?? undefined,
    communityCode: row.communityCode ?? undefined,
  },
  text: row.text,
  status: row.status as IndexedCase['status'],
  severity: (row.severity ?? null) as Severity | null,
  lastReportAt: row.lastReportAt,
  settledAt: row.settledAt,
});

/**
 * Claims a report event in the inbox, tells whether its report already has a case, and serialises
 * decisions about its place, in one statement. Reports that could repeat each other arrive on
 * different partitions, and without the lock two of them can both see no open case and both open
 * one. Every ~500 m cell around the point and each address/grid/community key is locked, in the
 * order of the lock ids (as numbers), so two reports that could match share a lock and never
 * deadlock. Not narrowed by kind: an unclassified report may join a case of any kind. Held to commit.
 * The candidates are read by a later statement, whose snapshot is taken once the locks are held.
 */
export async function claimReport(
  tx: Tx,
  claim: { consumerGroup: string; eventId: string; reportId: string; place: Place },
): Promise<{ claimed: boolean; hasCase: boolean }> {
  const names = lockNames('triage.place', claim.place);
  const { rows } = await clientOf(tx).query<{ claimed: boolean; has_case: boolean }>({
    ...CLAIM_REPORT,
    values: [claim.consumerGroup, claim.eventId, names, claim.reportId],
  });
  const row = rows[0];
  return { claimed: row?.claimed === true, hasCase: row?.has_case === true };
}

const CLAIM_REPORT: pg.QueryConfig = {
  name: 'triage_claim_report',
  text: `
    with claimed as (
      insert into triage.inbox (consumer_group, event_id) values ($1, $2)
      on conflict do nothing returning 1
    ), locked as (
      -- offset 0 keeps the sort below the locking: the locks are taken in the ids' order.
      select pg_advisory_xact_lock(id) from (
        select distinct hashtextextended(name, 0) as id from unnest($3::text[]) as name order by id offset 0
      ) as ids
    )
    select exists (select 1 from claimed) as claimed,
      exists (select 1 from triage.report_cases where report_id = $4) as has_case,
      (select count(*) from locked) as locks`,
};

/**
 * Cases near the place that could take the report or make it a relapse: open ones, and ones settled
 * within the relapse window. A box around the point (250 m) or the same text keys; the domain
 * decides distance, kind and family.
 */
export async function placeCandidates(tx: Tx, place: Place, receivedAt: Date): Promise<IndexedCase[]> {
  const point = place.lat !== undefined && place.lng !== undefined ? boundingBox(place.lat, place.lng, DUPLICATE_RADIUS_M) : undefined;
  const keys = [place.addressKey, place.gridCode, place.communityCode];
  if (!point && keys.every((k) => !k)) return [];
  const settledSince = new Date(receivedAt.getTime() - RELAPSE_WINDOW_DAYS * 86_400_000);
  const values: unknown[] = [settledSince];
  const near: string[] = [];
  if (point) {
    values.push(point.minLat, point.maxLat, point.minLng, point.maxLng);
    near.push(`(lat between $2 and $3 and lng between $4 and $5)`);
  }
  KEY_COLUMNS.forEach((column, i) => {
    if (!keys[i]) return;
    values.push(keys[i]);
    near.push(`${column} = $${values.length}`);
  });
  const { rows } = await clientOf(tx).query<Row>({ ...candidatesStatement(near), values });
  return rows.map(indexed);
}

/**
 * placeCandidates outside a report's transaction (what explain asks): the cases near the place, read
 * in a transaction of their own, which gives the prepared statement its one connection.
 */
export async function placeCandidatesNow(db: Db, place: Place, receivedAt: Date): Promise<IndexedCase[]> {
  return db.transaction((tx) => placeCandidates(tx, place, receivedAt));
}

const KEY_COLUMNS = ['address_key', 'grid_code', 'community_code'] as const;
const candidateStatements = new Map<string, pg.QueryConfig>();
/** One prepared statement per shape of place (which of the point and the keys it has): each keeps its own plan. */
function candidatesStatement(near: readonly string[]): pg.QueryConfig {
  const where = near.join(' or ');
  let statement = candidateStatements.get(where);
  if (!statement) {
    statement = {
      name: `triage_place_candidates_${candidateStatements.size}`,
      text: `select case_id as "caseId", kind, category, lat, lng, address_key as "addressKey", grid_code as "gridCode",
                    community_code as "communityCode", text, status, severity, last_report_at as "lastReportAt", settled_at as "settledAt"
               from triage.case_index
              where (${where}) and (status = 'open' or settled_at >= $1)`,
    };
    candidateStatements.set(where, statement);
  }
  return statement;
}

/** Not yet numbered: a case opened in a run is numbered when the run ends (`numberCases`). */
const UNNUMBERED = '';

/** Indexes a case opened now; it takes repeats from the next statement on, its number comes later. */
export async function indexCase(
  tx: Tx,
  c: { caseId: string; kind: string; category: string; severity: Severity; place: Place; text: string; openedAt: Date },
): Promise<void> {
  const { place } = c;
  await clientOf(tx).query({
    ...INDEX_CASE,
    values: [c.caseId, UNNUMBERED, c.kind, c.category, place.lat ?? null, place.lng ?? null, place.addressKey ?? null, place.gridCode ?? null, place.communityCode ?? null, c.text, c.openedAt, c.severity],
  });
}

const INDEX_CASE: pg.QueryConfig = {
  name: 'triage_index_case',
  text: `insert into triage.case_index (case_id, case_number, kind, category, lat, lng, address_key, grid_code, community_code, text, status, opened_at, last_report_at, severity)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $11, $12)`,
};

/**
 * Numbers the cases a run opened, in the order given, from the per-station, per-year counters
 * (CG-2026-000123): one counter update of +n per prefix, taken as late as can be, since the counter
 * row is held to commit and serialises every triage transaction that opens a case. Records which
 * case each report became or joined. Returns each case's number.
 */
export async function numberCases(
  tx: Tx,
  opened: readonly { caseId: string; prefix: string }[],
  reports: readonly { reportId: string; caseId: string }[],
): Promise<Map<string, string>> {
  const numbers = new Map<string, string>();
  if (opened.length) {
    const counts = new Map<string, number>();
    for (const c of opened) counts.set(c.prefix, (counts.get(c.prefix) ?? 0) + 1);
    // Prefixes in one order, so two transactions that number under two years never deadlock.
    const values = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([prefix, last]) => ({ prefix, last }));
    const counters = await tx
      .insert(caseNumbers)
      .values(values)
      .onConflictDoUpdate({ target: caseNumbers.prefix, set: { last: sql`${caseNumbers.last} + excluded.last` } })
      .returning({ prefix: caseNumbers.prefix, last: caseNumbers.last });
    const next = new Map(counters.map((c) => [c.prefix, c.last - (counts.get(c.prefix) ?? 0) + 1]));
    for (const c of opened) {
      const n = next.get(c.prefix) ?? 1;
      next.set(c.prefix, n + 1);
      numbers.set(c.caseId, `${c.prefix}-${String(n).padStart(6, '0')}`);
    }
    const ids = [...numbers.keys()];
    await tx.execute(sql`update ${caseIndex} set case_number = numbered.number
      from unnest(${sql.param(ids)}::text[], ${sql.param(ids.map((id) => numbers.get(id)))}::text[]) as numbered(case_id, number)
      where ${caseIndex.caseId} = numbered.case_id`);
  }
  if (reports.length) await tx.insert(reportCases).values([...reports]);
  return numbers;
}

/** A merged report keeps the case's merge window running from the newest report. */
export async function noteReport(tx: Tx, caseId: string, receivedAt: Date): Promise<void> {
  await tx
    .update(caseIndex)
    .set({ lastReportAt: sql`greatest(${caseIndex.lastReportAt}, ${receivedAt.toISOString()}::timestamptz)` })
    .where(eq(caseIndex.caseId, caseId));
}

/** What a case event says about the case's place in the index; settled cases remember when. */
export async function setCaseStatus(tx: Tx, caseId: string, status: IndexedCase['status'], at: Date): Promise<void> {
  await tx
    .update(caseIndex)
    .set(status === 'open' ? { status } : { status, settledAt: at })
    .where(eq(caseIndex.caseId, caseId));
}
