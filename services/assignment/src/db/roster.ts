import { randomUUID } from 'node:crypto';
import type { LeavePeriod, PairingRule, ReferenceData, RosterEntry } from '@gridcase/contracts';
import { clientOf, type Db, type Tx } from '@gridcase/db';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Roster } from '../domain/roster.ts';
import { leave, pairingRules, rosters } from './schema.ts';

type Queryable = Db | Tx;

/** The statuses in which a case still weighs on its owners (for "fewest open cases"). */
const OPEN_STATUSES = ['open', 'acknowledged', 'on-hold'];

/** A leave period as a key: two periods are the same when they start, end and give the reason alike. */
const periodKey = (l: { from: Date | string; until: Date | string; reason: string }) => `${new Date(l.from).getTime()}|${new Date(l.until).getTime()}|${l.reason}`;

/**
 * Replaces the imported shifts, on-call flags, imported leave and pairing rules with the document's,
 * inside the reference-data transaction. Leave recorded through the API (POST /v1/officers/{id}/leave)
 * outlives imports (while its person stays on the roster), unless the document lists leave for that person: then the document's list is
 * their whole leave (GET /v1/reference-data shows both kinds, so a document read and sent back keeps
 * it). A listed period equal to one already held is kept as it is (its id, source and recorder).
 * An entry without shifts, leave or on-call says what no entry says, and is not stored.
 */
export async function writeRosterData(tx: Tx, doc: ReferenceData, now: Date): Promise<DroppedLeave[]> {
  await tx.delete(rosters);
  await tx.delete(pairingRules);
  const entries = doc.rosters ?? [];
  const worked = entries.filter((r) => r.shifts.length > 0 || r.onCall);
  if (worked.length > 0) {
    await tx.insert(rosters).values(worked.map((r) => ({ officerId: r.officerId, shifts: r.shifts, onCall: r.onCall })));
  }
  const listed = new Map(entries.filter((r) => r.leave.length > 0).map((r) => [r.officerId, r.leave]));
  const unmatched = new Map([...listed].map(([officerId, periods]) => [officerId, periods.map(periodKey)]));
  const dropped: (typeof leave.$inferSelect)[] = [];
  // Someone the document leaves off the roster takes their leave with them, recorded or imported.
  const onRoster = new Set(doc.officers.map((o) => o.officerId));
  for (const row of await tx.select().from(leave)) {
    const pending = unmatched.get(row.officerId);
    const at = pending?.indexOf(periodKey(row)) ?? -1;
    if (pending && at >= 0) pending.splice(at, 1);
    else if (row.source === 'import' || pending || !onRoster.has(row.officerId)) dropped.push(row);
  }
  if (dropped.length > 0) await tx.delete(leave).where(inArray(leave.leaveId, dropped.map((l) => l.leaveId)));
  const imported = [...listed].flatMap(([officerId, periods]) => {
    const pending = unmatched.get(officerId) ?? [];
    // Each unmatched key once, in the document's order.
    return periods.filter((l) => {
      const at = pending.indexOf(periodKey(l));
      if (at < 0) return false;
      pending.splice(at, 1);
      return true;
    }).map((l) => ({ officerId, ...l }));
  });
  if (imported.length > 0) {
    await tx.insert(leave).values(
      imported.map((l) => ({
        leaveId: randomUUID(),
        officerId: l.officerId,
        from: new Date(l.from),
        until: new Date(l.until),
        reason: l.reason,
        source: 'import',
        recordedAt: now,
      })),
    );
  }
  // Without rules in the document the built-in ones apply (routing falls back when the table is empty).
  const rules = doc.pairing ?? [];
  if (rules.length > 0) {
    await tx.insert(pairingRules).values(rules.map((r, position) => ({ position, ruleId: r.id, categories: r.categories, owners: r.owners, note: r.note ?? null })));
  }
  // What the document dropped without saying so: imported leave, not yet over, of people it keeps but lists no leave for.
  return dropped
    .filter((l) => onRoster.has(l.officerId) && !listed.has(l.officerId) && l.until.getTime() > now.getTime())
    .map((l) => ({ officerId: l.officerId, until: l.until.toISOString() }));
}

/** Leave an import removed that was in force or to come, of someone still on the roster (no reason: it may be personal). */
export interface DroppedLeave {
  officerId: string;
  until: string;
}

/** The notes of an import's answer for leave it dropped: the document listed none for these people. */
export const droppedLeaveNotes = (dropped: readonly DroppedLeave[]): string[] =>
  dropped.map(
    (l) =>
      `imported leave of ${l.officerId} until ${l.until} was dropped: the document lists no leave for them (GET /v1/reference-data shows the current leave to send back)`,
  );

/**
 * The roster entries of `officerIds` (in their order) as a reference-data document lists them: shifts,
 * on-call and every leave period, imported or recorded, oldest first; only people with any of them.
 */
export async function listRosterEntries(db: Queryable, officerIds: readonly string[]): Promise<RosterEntry[]> {
  const rosterRows = await db.select().from(rosters);
  const leaveRows = await db.select().from(leave).orderBy(asc(leave.from), asc(leave.until), asc(leave.leaveId));
  const worked = new Map(rosterRows.map((r) => [r.officerId, r]));
  return officerIds.flatMap((officerId) => {
    const periods = leaveRows.filter((l) => l.officerId === officerId).map((l) => ({ from: l.from.toISOString(), until: l.until.toISOString(), reason: l.reason }));
    const row = worked.get(officerId);
    if (!row && periods.length === 0) return [];
    return [{ officerId, shifts: row?.shifts ?? [], leave: periods, onCall: row?.onCall ?? false }];
  });
}

export async function listPairingRules(db: Queryable): Promise<PairingRule[]> {
  const rows = await db.select().from(pairingRules).orderBy(asc(pairingRules.position));
  return rows.map((r) => ({ id: r.ruleId, categories: r.categories, owners: r.owners, ...(r.note ? { note: r.note } : {}) }));
}

/** Shifts and on-call by officerId, as imported with the reference data (without leave). */
export async function loadShifts(db: Queryable): Promise<Map<string, Omit<Roster, 'leave'>>> {
  const rows = await db.select().from(rosters);
  return new Map(rows.map((r) => [r.officerId, { shifts: r.shifts, onCall: r.onCall }]));
}

/** Shifts, on-call and every leave period by officerId: who works when. */
export async function loadDuty(db: Queryable): Promise<Map<string, Roster>> {
  const [rosterRows, leaveRows] = await Promise.all([db.select().from(rosters), db.select().from(leave)]);
  type Entry = { shifts: Roster['shifts']; leave: { from: string; until: string }[]; onCall: boolean };
  const duty = new Map<string, Entry>();
  const entry = (officerId: string): Entry => {
    const found = duty.get(officerId);
    if (found) return found;
    const fresh: Entry = { shifts: [], leave: [], onCall: false };
    duty.set(officerId, fresh);
    return fresh;
  };
  for (const row of rosterRows) Object.assign(entry(row.officerId), { shifts: row.shifts, onCall: row.onCall });
  for (const row of leaveRows) entry(row.officerId).leave.push({ from: row.from.toISOString(), until: row.until.toISOString() });
  return duty;
}

/**
 * Who works when, of a few people only: their shifts and on-call as the reference version has them
 * (the routing cache's), with their leave read now (recorded any time). Escalation weighs the next
 * rungs' people this way instead of reading every roster and leave row per deadline.
 */
export async function dutyOf(db: Queryable, shifts: ReadonlyMap<string, Omit<Roster, 'leave'>>, officerIds: readonly string[]): Promise<Map<string, Roster>> {
  const away = await leaveOf(db, officerIds);
  const duty = new Map<string, Roster>();
  for (const officerId of officerIds) {
    const worked = shifts.get(officerId);
    const periods = away.get(officerId) ?? [];
    if (worked || periods.length > 0) duty.set(officerId, { shifts: worked?.shifts ?? [], onCall: worked?.onCall ?? false, leave: periods });
  }
  return duty;
}

/** The leave periods (imported and recorded) of a few people, by officerId: a reassign reads only those it names. */
export async function leaveOf(db: Queryable, officerIds: readonly string[]): Promise<Map<string, Roster['leave']>> {
  const found = new Map<string, { from: string; until: string }[]>();
  if (officerIds.length === 0) return found;
  const rows = await db.select({ officerId: leave.officerId, from: leave.from, until: leave.until }).from(leave).where(inArray(leave.officerId, [...officerIds]));
  for (const row of rows) found.set(row.officerId, [...(found.get(row.officerId) ?? []), { from: row.from.toISOString(), until: row.until.toISOString() }]);
  return found;
}

/**
 * How many cases not yet resolved the officer `o.id` owns, as a subquery: through the partial index
 * cases_open_assignees_idx, the status list as its predicate's literals so the planner can use it.
 */
export const OPEN_CASES_OF_O_ID = `(select count(*) from assignment.cases c
  where c.status in ('open', 'acknowledged', 'on-hold') and c.assignees @> jsonb_build_array(jsonb_build_object('officerId', o.id)))`;

const OPEN_CASES_OF: pg.QueryConfig = {
  name: 'assignment_open_cases_of',
  text: `select o.id as "officerId", ${OPEN_CASES_OF_O_ID}::int as n from unnest($1::text[]) o(id)`,
};

/** How many cases not yet resolved each of `officerIds` owns (a few people's, by the index). */
export async function openCaseCountsOf(tx: Tx, officerIds: readonly string[]): Promise<Map<string, number>> {
  if (officerIds.length === 0) return new Map();
  const { rows } = await clientOf(tx).query<{ officerId: string; n: number }>({ ...OPEN_CASES_OF, values: [officerIds] });
  return new Map(rows.map((r) => [r.officerId, Number(r.n)]));
}

/**
 * How many cases not yet resolved each person owns: reads every open case (fine for a rare pass such
 * as a redraw, 0.4 s at half a million open cases). Routing and escalating a case read only their
 * candidates' (OPEN_CASES_OF_O_ID).
 */
export async function openCaseCounts(db: Queryable): Promise<Map<string, number>> {
  const result = await db.execute<{ officer_id: string; n: number }>(sql`
    select a->>'officerId' as officer_id, count(*)::int as n
    from assignment.cases c, jsonb_array_elements(c.assignees) a
    where c.status in (${sql.join(
      OPEN_STATUSES.map((s) => sql`${s}`),
      sql`, `,
    )})
    group by 1`);
  return new Map(result.rows.map((r) => [r.officer_id, Number(r.n)]));
}

/** What routing needs beyond grids and officers: who works when, everyone's open-case counts, the pairing rules. */
export async function loadWhoData(db: Queryable) {
  const [duty, openCases, pairing] = await Promise.all([loadDuty(db), openCaseCounts(db), listPairingRules(db)]);
  return { duty, openCases, pairing: pairing.length > 0 ? pairing : undefined };
}

export interface LeaveRecord extends LeavePeriod {
  leaveId: string;
  officerId: string;
  source: 'import' | 'api';
  recordedBy: string | null;
  recordedAt: string;
}

/**
 * Records a leave period, unless the person already has one with the same from, until and reason
 * (recorded or imported): then that one, `created: false` (audit17 #7: a repeated POST made a second
 * record). One writer per person at a time, inside the caller's transaction, so two identical
 * requests cannot both insert.
 */
export async function recordLeave(
  tx: Queryable,
  officerId: string,
  period: LeavePeriod,
  recordedBy: string | null,
  now: Date,
): Promise<{ record: LeaveRecord; created: boolean }> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`assignment.leave:${officerId}`}))`);
  const [same] = await tx
    .select()
    .from(leave)
    .where(and(eq(leave.officerId, officerId), eq(leave.from, new Date(period.from)), eq(leave.until, new Date(period.until)), eq(leave.reason, period.reason)))
    .limit(1);
  if (same) return { record: toRecord(same), created: false };
  // The record as stored (instants in UTC), the same as a repeat or a list reads it.
  const [stored] = await tx
    .insert(leave)
    .values({
      leaveId: randomUUID(),
      officerId,
      from: new Date(period.from),
      until: new Date(period.until),
      reason: period.reason,
      source: 'api',
      recordedBy,
      recordedAt: now,
    })
    .returning();
  return { record: toRecord(stored!), created: true };
}

export async function listLeave(db: Queryable, officerId: string): Promise<LeaveRecord[]> {
  const rows = await db.select().from(leave).where(eq(leave.officerId, officerId)).orderBy(asc(leave.from));
  return rows.map(toRecord);
}

const toRecord = (r: typeof leave.$inferSelect): LeaveRecord => ({
  leaveId: r.leaveId,
  officerId: r.officerId,
  from: r.from.toISOString(),
  until: r.until.toISOString(),
  reason: r.reason,
  source: r.source as 'import' | 'api',
  recordedBy: r.recordedBy,
  recordedAt: r.recordedAt.toISOString(),
});
