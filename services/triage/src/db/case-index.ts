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

export interface ReportClaim {
  eventId: string;
  reportId: string;
  place: Place;
}

/**
 * Claims a run's report events in the inbox, tells which of their reports already have a case, and
 * serialises decisions about their places, in one statement. Reports that could repeat each other
 * arrive on different partitions, and without the locks two of them can both see no open case and both
 * open one. Every ~500 m cell around each point and each address/grid/community key is locked, all the
 * run's locks in the order of their ids (as numbers), so two runs that could match share a lock and never
 * deadlock. Not narrowed by kind: an unclassified report may join a case of any kind. Held to commit.
 * The candidates are read by a later statement, whose snapshot is taken once the locks are held.
 */
export async function claimReports(tx: Tx, consumerGroup: string, claims: readonly ReportClaim[]): Promise<{ claimed: Set<string>; withCase: Set<string> }> {
  const names = [...new Set(claims.flatMap((c) => lockNames('triage.place', c.place)))];
  const { rows } = await clientOf(tx).query<{ claimed: string[]; with_case: string[] }>({
    ...CLAIM_REPORTS,
    values: [consumerGroup, claims.map((c) => c.eventId), names, claims.map((c) => c.reportId)],
  });
  const row = rows[0];
  return { claimed: new Set(row?.claimed ?? []), withCase: new Set(row?.with_case ?? []) };
}

const CLAIM_REPORTS: pg.QueryConfig = {
  name: 'triage_claim_reports',
  text: `
    with claimed as (
      insert into triage.inbox (consumer_group, event_id) select $1, event_id from unnest($2::text[]) as event_id
      on conflict do nothing returning event_id
    ), locked as (
      -- offset 0 keeps the sort below the locking: the locks are taken in the ids' order.
      select pg_advisory_xact_lock(id) from (
        select distinct hashtextextended(name, 0) as id from unnest($3::text[]) as name order by id offset 0
      ) as ids
    )
    select array(select event_id from claimed) as claimed,
      array(select report_id from triage.report_cases where report_id = any($4::text[])) as with_case,
      (select count(*) from locked) as locks`,
};

/** Where a report is, and when it came (a settled case is a candidate for a relapse within the window after). */
export interface CandidatePlace {
  place: Place;
  receivedAt: Date;
}

/** What the candidates of one place are read by: a box around its point and its text keys. */
interface Nearness {
  box: ReturnType<typeof boundingBox> | undefined;
  keys: readonly (string | undefined)[];
  settledSince: Date;
}

function nearnessOf({ place, receivedAt }: CandidatePlace): Nearness {
  const box = place.lat !== undefined && place.lng !== undefined ? boundingBox(place.lat, place.lng, DUPLICATE_RADIUS_M) : undefined;
  return { box, keys: [place.addressKey, place.gridCode, place.communityCode], settledSince: new Date(receivedAt.getTime() - RELAPSE_WINDOW_DAYS * 86_400_000) };
}

/** The read's predicate for one place, as the statement below states it for all of them: the domain decides distance, kind and family. */
function isCandidate(c: IndexedCase, { box, keys, settledSince }: Nearness): boolean {
  if (c.status !== 'open' && !(c.settledAt && c.settledAt >= settledSince)) return false;
  const { lat, lng, addressKey, gridCode, communityCode } = c.place;
  if (box && lat !== undefined && lng !== undefined && lat >= box.minLat && lat <= box.maxLat && lng >= box.minLng && lng <= box.maxLng) return true;
  return [addressKey, gridCode, communityCode].some((key, i) => key !== undefined && key === keys[i]);
}

/**
 * The cases that could take each report or make it a relapse, one list per place, in one statement for a
 * whole run: open ones, and ones settled within the relapse window, in a box around the point (250 m) or
 * with one of the same text keys ($6–$8: address, grid and community keys, in nearness's order).
 */
export async function placeCandidates(tx: Tx, places: readonly CandidatePlace[]): Promise<IndexedCase[][]> {
  const nearness = places.map(nearnessOf);
  const boxes = nearness.flatMap((n) => (n.box ? [n.box] : []));
  const keys = [0, 1, 2].map((i) => [...new Set(nearness.flatMap((n) => (n.keys[i] ? [n.keys[i]] : [])))]);
  if (!boxes.length && keys.every((k) => !k.length)) return places.map(() => []);
  const settledSince = new Date(Math.min(...nearness.map((n) => n.settledSince.getTime())));
  const { rows } = await clientOf(tx).query<Row>({
    ...CANDIDATES,
    values: [settledSince, boxes.map((b) => b.minLat), boxes.map((b) => b.maxLat), boxes.map((b) => b.minLng), boxes.map((b) => b.maxLng), ...keys],
  });
  const cases = rows.map(indexed);
  return nearness.map((n) => cases.filter((c) => isCandidate(c, n)));
}

/** Whether `c` (a case a run opened, not yet read back) is one of the candidates placeCandidates would give for `at`. */
export const isCandidateFor = (c: IndexedCase, at: CandidatePlace): boolean => isCandidate(c, nearnessOf(at));

const CANDIDATE_COLUMNS = `case_id as "caseId", kind, category, lat, lng, address_key as "addressKey", grid_code as "gridCode",
  community_code as "communityCode", text, status, severity, last_report_at as "lastReportAt", settled_at as "settledAt"`;
const CANDIDATE_NOW = `(status = 'open' or settled_at >= $1)`;
// Each way of being near is its own index scan (the point's box per place, then each key column), each
// filtered by itself: with the filter outside a union of ids, a generic plan read the whole index by a
// sequential scan. The union gives each case once.
export const CANDIDATES: pg.QueryConfig = {
  name: 'triage_place_candidates',
  text: `
    select ${CANDIDATE_COLUMNS} from unnest($2::float8[], $3::float8[], $4::float8[], $5::float8[]) as box(min_lat, max_lat, min_lng, max_lng)
      join triage.case_index on lat between box.min_lat and box.max_lat and lng between box.min_lng and box.max_lng
     where ${CANDIDATE_NOW}
    union select ${CANDIDATE_COLUMNS} from triage.case_index where address_key = any($6::text[]) and ${CANDIDATE_NOW}
    union select ${CANDIDATE_COLUMNS} from triage.case_index where grid_code = any($7::text[]) and ${CANDIDATE_NOW}
    union select ${CANDIDATE_COLUMNS} from triage.case_index where community_code = any($8::text[]) and ${CANDIDATE_NOW}`,
};

/**
 * placeCandidates outside a report's transaction (what explain asks): the cases near the place, read
 * in a transaction of their own, which gives the prepared statement its one connection.
 */
export async function placeCandidatesNow(db: Db, place: Place, receivedAt: Date): Promise<IndexedCase[]> {
  const [candidates] = await db.transaction((tx) => placeCandidates(tx, [{ place, receivedAt }]));
  return candidates ?? [];
}

/** Not yet numbered: a case opened in a run is numbered when the run ends (`numberCases`). */
const UNNUMBERED = '';

/** Indexes the cases a run opened, each with the newest report merged into it in the run; their numbers come later. */
export async function indexCases(tx: Tx, cases: readonly (IndexedCase & { openedAt: Date })[]): Promise<void> {
  if (!cases.length) return;
  const column = <T>(f: (c: IndexedCase & { openedAt: Date }) => T) => cases.map(f);
  await clientOf(tx).query({
    ...INDEX_CASES,
    values: [
      column((c) => c.caseId),
      column((c) => c.kind),
      column((c) => c.category),
      column((c) => c.place.lat ?? null),
      column((c) => c.place.lng ?? null),
      column((c) => c.place.addressKey ?? null),
      column((c) => c.place.gridCode ?? null),
      column((c) => c.place.communityCode ?? null),
      column((c) => c.text),
      column((c) => c.openedAt),
      column((c) => c.lastReportAt),
      column((c) => c.severity),
    ],
  });
}

const INDEX_CASES: pg.QueryConfig = {
  name: 'triage_index_cases',
  text: `insert into triage.case_index (case_id, case_number, kind, category, lat, lng, address_key, grid_code, community_code, text, status, opened_at, last_report_at, severity)
         select case_id, '${UNNUMBERED}', kind, category, lat, lng, address_key, grid_code, community_code, text, 'open', opened_at, last_report_at, severity
           from unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::text[])
             as c(case_id, kind, category, lat, lng, address_key, grid_code, community_code, text, opened_at, last_report_at, severity)`,
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

/** Merged reports keep their cases' merge windows running from the newest report (at most one entry per case). */
export async function noteReports(tx: Tx, merged: ReadonlyMap<string, Date>): Promise<void> {
  if (!merged.size) return;
  await clientOf(tx).query({ ...NOTE_REPORTS, values: [[...merged.keys()], [...merged.values()]] });
}

const NOTE_REPORTS: pg.QueryConfig = {
  name: 'triage_note_reports',
  text: `update triage.case_index set last_report_at = greatest(last_report_at, merged.at)
           from unnest($1::text[], $2::timestamptz[]) as merged(case_id, at)
          where case_index.case_id = merged.case_id`,
};

/** What a case event says about the case's place in the index; settled cases remember when. */
export async function setCaseStatus(tx: Tx, caseId: string, status: IndexedCase['status'], at: Date): Promise<void> {
  await tx
    .update(caseIndex)
    .set(status === 'open' ? { status } : { status, settledAt: at })
    .where(eq(caseIndex.caseId, caseId));
}
