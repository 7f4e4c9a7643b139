import type { CommunityGrid, Officer, OfficerRole, PoliceGrid, ReferenceData, Station } from '@gridcase/contracts';
import type { Db, Tx } from '@gridcase/db';
import { asc, sql } from 'drizzle-orm';
import type { RoutingData } from '../domain/routing.ts';
import { writeRosterData } from './roster.ts';
import { grids, officers, policeGrids, stations } from './schema.ts';

type Queryable = Db | Tx;

/** Serialises replacing and seeding reference data across instances. */
const REFERENCE_LOCK = 727_303;

const orUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

export async function listStations(db: Queryable): Promise<Station[]> {
  const rows = await db.select().from(stations).orderBy(asc(stations.code));
  return rows.map((r) => ({ code: r.code, name: r.name, county: orUndefined(r.county), city: orUndefined(r.city), province: orUndefined(r.province) }));
}

export async function listPoliceGrids(db: Queryable): Promise<PoliceGrid[]> {
  const rows = await db.select().from(policeGrids).orderBy(asc(policeGrids.code));
  return rows.map((r) => ({ code: r.code, name: r.name, stationCode: r.stationCode, geometry: orUndefined(r.geometry) }));
}

export async function listGrids(db: Queryable): Promise<CommunityGrid[]> {
  const rows = await db.select().from(grids).orderBy(asc(grids.code));
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    policeGridCode: r.policeGridCode,
    community: { code: r.communityCode, name: r.communityName },
    geometry: r.geometry,
  }));
}

export async function listOfficers(db: Queryable): Promise<Officer[]> {
  const rows = await db.select().from(officers).orderBy(asc(officers.position));
  return rows.map((r) => ({
    officerId: r.officerId,
    name: r.name,
    role: r.role as OfficerRole,
    policeGridCode: orUndefined(r.policeGridCode),
    gridCode: orUndefined(r.gridCode),
    onDuty: r.onDuty,
  }));
}

export async function loadRoutingData(db: Queryable): Promise<RoutingData> {
  const [gridList, officerList] = await Promise.all([listGrids(db), listOfficers(db)]);
  return { grids: gridList, officers: officerList };
}

async function writeAll(tx: Tx, doc: ReferenceData): Promise<void> {
  await tx.insert(stations).values({ ...doc.station }).onConflictDoUpdate({
    target: stations.code,
    set: { name: doc.station.name, county: doc.station.county ?? null, city: doc.station.city ?? null, province: doc.station.province ?? null },
  });
  await tx.insert(policeGrids).values(doc.policeGrids.map((p) => ({ ...p, geometry: p.geometry ?? null })));
  await tx.insert(grids).values(
    doc.grids.map((g) => ({
      code: g.code,
      name: g.name,
      policeGridCode: g.policeGridCode,
      communityCode: g.community.code,
      communityName: g.community.name,
      geometry: g.geometry,
    })),
  );
  await tx.insert(officers).values(doc.officers.map((o, position) => ({ ...o, position })));
  // Rosters and pairing rules travel with the document (db/roster.ts); the time only stamps imported leave.
  await writeRosterData(tx, doc, new Date());
}

/**
 * Replaces the station's police grids, community grids and roster in one transaction, so routing
 * never sees half of it. Cases keep the owners they had; only new routing uses the new data.
 */
export async function replaceReferenceData(db: Db, doc: ReferenceData): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${REFERENCE_LOCK})`);
    await tx.delete(officers);
    await tx.delete(grids);
    await tx.delete(policeGrids);
    // One station per deployment: the document's station replaces any other.
    await tx.delete(stations).where(sql`${stations.code} <> ${doc.station.code}`);
    await writeAll(tx, doc);
  });
}

/** Loads `doc` only when no grids and no officers exist yet (a fresh install). Returns whether it did. */
export async function seedIfEmpty(db: Db, doc: ReferenceData): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${REFERENCE_LOCK})`);
    const [found] = await tx.execute<{ any: boolean }>(
      sql`select exists (select 1 from ${grids}) or exists (select 1 from ${officers}) as any`,
    ).then((r) => r.rows);
    if (found?.any) return false;
    await writeAll(tx, doc);
    return true;
  });
}
