import type { Location, PairingRule } from '@gridcase/contracts';
import { clientOf, onePerDatabase, type Tx } from '@gridcase/db';
import type pg from 'pg';
import type { Roster } from '../domain/roster.ts';
import { type RoutingData, routingCandidates } from '../domain/routing.ts';
import { listGrids, listOfficers, loadGazetteer } from './reference.ts';
import { listPairingRules, loadShifts, OPEN_CASES_OF_O_ID } from './roster.ts';

/** What one reference-data version holds for routing: it changes only with PUT /v1/reference-data (or the seed). */
export interface VersionedRouting extends Required<Pick<RoutingData, 'grids' | 'officers' | 'gazetteer'>> {
  referenceVersion: number | null;
  /** The version and the transaction that wrote it: a version number is taken again after a rollback. */
  marker: string | null;
  /** Shifts and on-call by officerId, without leave (leave is recorded any time: read per case). */
  shifts: ReadonlyMap<string, Omit<Roster, 'leave'>>;
  pairing: readonly PairingRule[] | undefined;
}

// Prepared statements (parsed once per connection): they run for every case.

// The newest version's row (a backward scan of the primary key) and its marker: the version with its
// xmin, the transaction that wrote it, so a number used by a replacement that rolled back (seen inside
// its own transaction) and then by another is still two markers.
const NEWEST_VERSION = 'from assignment.reference_versions order by version desc limit 1';
const MARKER = `version || '/' || xmin`;
const VERSION: pg.QueryConfig = { name: 'assignment_reference_version', text: `select version, ${MARKER} as marker ${NEWEST_VERSION}` };

/**
 * The current version's marker with, per candidate, open cases and the leave not yet over
 * at $2 (what has ended cannot keep anyone away): one round trip per case while the version holds.
 */
const CASE_STATE: pg.QueryConfig = {
  name: 'assignment_case_routing_state',
  text: `
    select (select ${MARKER} ${NEWEST_VERSION}) as marker,
      (select json_agg(json_build_array(o.id,
        ${OPEN_CASES_OF_O_ID},
        (select json_agg(json_build_array((extract(epoch from l."from") * 1000)::bigint, (extract(epoch from l."until") * 1000)::bigint))
          from assignment.leave l where l.officer_id = o.id and l."until" > $2)))
        from unnest($1::text[]) o(id)) as candidates`,
};

/** Per candidate: officerId, open cases, leave periods not yet over as [from, until] in epoch ms. */
type CandidateRow = [string, number, [number, number][] | null];

interface CaseState {
  marker: string | null;
  candidates: CandidateRow[] | null;
}

async function caseState(tx: Tx, candidates: readonly string[], at: Date): Promise<CaseState> {
  const { rows } = await clientOf(tx).query<CaseState>({ ...CASE_STATE, values: [candidates, at] });
  return rows[0] ?? { marker: null, candidates: null };
}

interface Version {
  version: number | null;
  marker: string | null;
}

async function versionOf(tx: Tx): Promise<Version> {
  const { rows } = await clientOf(tx).query<Version>(VERSION);
  return rows[0] ?? { version: null, marker: null };
}

async function loadVersioned(tx: Tx, { version, marker }: Version): Promise<VersionedRouting> {
  // One after another: inside a transaction they share one connection.
  const grids = await listGrids(tx);
  const officers = await listOfficers(tx);
  const gazetteer = await loadGazetteer(tx);
  const shifts = await loadShifts(tx);
  const pairing = await listPairingRules(tx);
  return { referenceVersion: version, marker, grids, officers, gazetteer, shifts, pairing: pairing.length > 0 ? pairing : undefined };
}

/**
 * Routing's reference data (grids with their polygons, officers, gazetteer, shifts, pairing rules),
 * read once per reference-data version and kept per process and database. Each case asks only for
 * the current version (the newest row by primary key); when it changed, everything is read again in the
 * case's transaction. So a new version is used from the next case on, by every instance, and a
 * transaction routes with the version it sees. Leave and open-case counts change between versions:
 * they are read for every case, for the people routing may weigh (routingCandidates), so leave
 * recorded a moment ago counts (routingData).
 */
export class RoutingCache {
  #cached: VersionedRouting | undefined;

  async current(tx: Tx): Promise<VersionedRouting> {
    let version = await versionOf(tx);
    if (version.marker !== null && this.#cached?.marker === version.marker) return this.#cached;
    for (;;) {
      const loaded = await loadVersioned(tx, version);
      // A replacement committed while reading (visible under read committed) could have mixed two
      // versions: read again until the version stayed put, so what is kept is one version.
      const after = await versionOf(tx);
      if (after.marker === version.marker) {
        // Before any version was recorded there is nothing to key on: read each time.
        if (version.marker !== null) this.#cached = loaded;
        return loaded;
      }
      version = after;
    }
  }

  /**
   * What routing a case at `location` at `at` needs (routeCase): the version's data and the
   * candidates' leave and open cases. While the version holds, one statement reads the version's
   * marker and the candidates' state together; when it changed, the version is read again first.
   */
  async routingData(tx: Tx, location: Location, at: Date): Promise<RoutingData> {
    const cached = this.#cached;
    if (cached) {
      const state = await caseState(tx, routingCandidates(location, cached), at);
      if (state.marker !== null && state.marker === cached.marker) return withCandidates(cached, state);
    }
    const versioned = await this.current(tx);
    return withCandidates(versioned, await caseState(tx, routingCandidates(location, versioned), at));
  }
}

/** The RoutingCache of a database handle (one per service instance). */
export const routingCache = onePerDatabase(() => new RoutingCache());

/**
 * The version's data with the candidates' open cases and a duty map of their shifts and leave, as
 * loadDuty would have it for them (an entry for whoever has shifts or leave).
 */
function withCandidates(versioned: VersionedRouting, state: CaseState): RoutingData {
  const duty = new Map<string, Roster>();
  const openCases = new Map<string, number>();
  for (const [officerId, open, periods] of state.candidates ?? []) {
    openCases.set(officerId, Number(open));
    const shifts = versioned.shifts.get(officerId);
    const leave = (periods ?? []).map(([from, until]) => ({ from: new Date(Number(from)).toISOString(), until: new Date(Number(until)).toISOString() }));
    if (shifts || leave.length > 0) duty.set(officerId, { shifts: shifts?.shifts ?? [], onCall: shifts?.onCall ?? false, leave });
  }
  const { grids, officers, gazetteer, referenceVersion, pairing } = versioned;
  return { grids, officers, gazetteer, referenceVersion: referenceVersion ?? undefined, duty, openCases, pairing };
}
