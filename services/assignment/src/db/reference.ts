import { type CommunityGrid, makeMessage, type Officer, type OfficerRole, type PoliceGrid, type ReferenceData, STAFF_KEY, type Station, TOPICS } from '@gridcase/contracts';
import { type Db, type Tx, writeOutbox } from '@gridcase/db';
import { inScope, type Scope } from '@gridcase/service-kit';
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { buildGazetteer, type GazetteerEntry } from '../domain/gazetteer.ts';
import type { RoutingData } from '../domain/routing.ts';
import { type DroppedLeave, listPairingRules, listRosterEntries, writeRosterData } from './roster.ts';
import { addresses, grids, leave, officers, outbox, pairingRules, policeGrids, referenceVersions, rosters, stations } from './schema.ts';

type Queryable = Db | Tx;

/** Serialises replacing and seeding reference data across instances. */
const REFERENCE_LOCK = 727_303;

const orUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

/**
 * The deployment's station when `scope` covers it (its grid limit aside: a community token still
 * belongs to the station), else undefined. One station per deployment (replaceReferenceData).
 */
export async function stationInScope(db: Queryable, scope: Scope): Promise<Station | undefined> {
  const [station] = await listStations(db);
  return station && inScope({ ...scope, grids: undefined }, { station: station.code }) ? station : undefined;
}

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

/** Whether the reference data lists an officer with this id (in any station: scope is the caller's to check). */
export async function officerExists(db: Queryable, officerId: string): Promise<boolean> {
  const [row] = await db.select({ id: officers.officerId }).from(officers).where(eq(officers.officerId, officerId));
  return row !== undefined;
}

/** The gazetteer as stored (already normalised), in address order. */
export async function loadGazetteer(db: Queryable): Promise<GazetteerEntry[]> {
  return db.select().from(addresses).orderBy(asc(addresses.address));
}

/**
 * The station as the tables hold it, in the shape `PUT /v1/reference-data` takes: sent back unchanged
 * it loads the same station (a new version, nothing else changed). Rosters carry every leave period,
 * imported or recorded through the API; `effectiveAt` is left out (a re-import takes effect when made).
 * Undefined before any station was loaded.
 */
export async function currentDocument(db: Queryable): Promise<ReferenceData | undefined> {
  // One after another: inside a transaction they share one connection.
  const [station] = await listStations(db);
  if (!station) return undefined;
  const staff = await listOfficers(db);
  const pairing = await listPairingRules(db);
  return {
    station,
    policeGrids: await listPoliceGrids(db),
    grids: await listGrids(db),
    officers: staff,
    rosters: await listRosterEntries(
      db,
      staff.map((o) => o.officerId),
    ),
    // Without rules the built-in ones apply; a document without `pairing` says the same.
    ...(pairing.length > 0 ? { pairing } : {}),
    addresses: (await loadGazetteer(db)).map(({ address, gridCode }) => ({ address, gridCode })),
  };
}

/** A reference-data version as `GET /v1/reference-data/versions` lists it (without the document). */
export interface ReferenceVersion {
  version: number;
  effectiveAt: string;
  importedAt: string;
  source: string;
}

export async function listVersions(db: Queryable): Promise<ReferenceVersion[]> {
  const rows = await db
    .select({ version: referenceVersions.version, effectiveAt: referenceVersions.effectiveAt, importedAt: referenceVersions.importedAt, source: referenceVersions.source })
    .from(referenceVersions)
    .orderBy(desc(referenceVersions.version));
  return rows.map((r) => ({ ...r, effectiveAt: r.effectiveAt.toISOString(), importedAt: r.importedAt.toISOString() }));
}

/** The newest version, which the tables hold; undefined before any was recorded. */
export async function currentVersion(db: Queryable): Promise<number | undefined> {
  const [row] = await db.select({ version: sql<number | null>`max(${referenceVersions.version})` }).from(referenceVersions);
  return row?.version ?? undefined;
}

/** What the reference tables hold, in codes and counts only (no names, no personal data): an audit entry's before and after. */
export interface ReferenceSummary {
  station: string;
  version: number;
  policeGrids: number;
  grids: number;
  officers: number;
  /** Gazetteer entries (the same address spelt twice for one grid is one). */
  addresses: number;
  /** Officers with imported shifts and on-call. */
  rosters: number;
  /** Leave periods, imported and recorded (an import may drop some: compare before and after). */
  leave: number;
  pairingRules: number;
}

/** The current version's summary; null before any station and version were recorded. */
export async function referenceSummary(db: Queryable): Promise<ReferenceSummary | null> {
  const version = await currentVersion(db);
  const [station] = await listStations(db);
  if (version === undefined || !station) return null;
  // One after another: inside a transaction they share one connection.
  const count = async (table: PgTable) => (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0]?.n ?? 0;
  return {
    station: station.code,
    version,
    policeGrids: await count(policeGrids),
    grids: await count(grids),
    officers: await count(officers),
    addresses: await count(addresses),
    rosters: await count(rosters),
    leave: await count(leave),
    pairingRules: await count(pairingRules),
  };
}

/**
 * Puts the staff map of the current version on gridcase.reference (via the outbox, in the caller's
 * transaction): intake scopes community tokens by it. Publishing the same version again is harmless.
 */
export async function publishStaffMap(tx: Queryable): Promise<void> {
  const version = await currentVersion(tx);
  const [station] = await listStations(tx);
  if (version === undefined || !station) return;
  const staff = await listOfficers(tx);
  const gridCodes = await tx.select({ code: grids.code }).from(grids).orderBy(asc(grids.code));
  const data = {
    version,
    station: station.code,
    grids: gridCodes.map((g) => g.code),
    officers: staff.map((o) => ({
      officerId: o.officerId,
      role: o.role,
      ...(o.gridCode ? { gridCode: o.gridCode } : {}),
      ...(o.policeGridCode ? { policeGridCode: o.policeGridCode } : {}),
    })),
    updatedAt: new Date().toISOString(),
  };
  const message = makeMessage('gridcase.staff.updated.v1', { source: '/gridcase/assignment', subject: STAFF_KEY, data });
  await writeOutbox(tx as Tx, outbox, 'assignment', [{ topic: TOPICS.reference, key: STAFF_KEY, message }]);
}

export async function loadRoutingData(db: Queryable): Promise<RoutingData> {
  // One after another: inside a transaction they share one connection.
  return { grids: await listGrids(db), officers: await listOfficers(db), gazetteer: await loadGazetteer(db), referenceVersion: await currentVersion(db) };
}

/** How a load of reference data is recorded as a version. */
export interface VersionMeta {
  source: 'seed' | 'import';
  importedAt: Date;
  importedBy?: string | undefined;
}

/** A version as just written, with the leave in force it dropped (imported, of people the document lists none for). */
export interface StoredVersion extends ReferenceVersion {
  droppedLeave: DroppedLeave[];
}

async function writeAll(tx: Tx, doc: ReferenceData, meta: VersionMeta): Promise<StoredVersion> {
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
  const droppedLeave = await writeRosterData(tx, doc, new Date());
  // The same address spelt twice for one grid is one entry (validation refuses it for two grids).
  const entries = new Map(buildGazetteer(doc.addresses ?? []).map((e) => [e.normalized, e]));
  if (entries.size > 0) await tx.insert(addresses).values([...entries.values()]);
  const version = ((await currentVersion(tx)) ?? 0) + 1;
  const effectiveAt = doc.effectiveAt ? new Date(doc.effectiveAt) : meta.importedAt;
  await tx.insert(referenceVersions).values({ version, effectiveAt, importedAt: meta.importedAt, source: meta.source, importedBy: meta.importedBy ?? null, document: doc });
  await publishStaffMap(tx);
  return { version, effectiveAt: effectiveAt.toISOString(), importedAt: meta.importedAt.toISOString(), source: meta.source, droppedLeave };
}

/** Takes the reference lock for the caller's transaction: a replace in it, and what it reads before, see one version. */
export async function lockReferenceData(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${REFERENCE_LOCK})`);
}

/**
 * Replaces the station's police grids, community grids, roster and gazetteer in the caller's
 * transaction, so routing never sees half of it, and records it as the next version. Open cases are
 * re-homed afterwards (handlers/redraw.ts), each in its own transaction.
 */
export async function replaceReferenceData(tx: Tx, doc: ReferenceData, meta: VersionMeta): Promise<StoredVersion> {
  await lockReferenceData(tx);
  await tx.delete(officers);
  await tx.delete(addresses);
  await tx.delete(grids);
  await tx.delete(policeGrids);
  // One station per deployment: the document's station replaces any other.
  await tx.delete(stations).where(sql`${stations.code} <> ${doc.station.code}`);
  return writeAll(tx, doc, meta);
}

/** Loads `doc` only when no grids and no officers exist yet (a fresh install). Returns whether it did. */
export async function seedIfEmpty(db: Db, doc: ReferenceData): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${REFERENCE_LOCK})`);
    const [found] = await tx.execute<{ any: boolean }>(
      sql`select exists (select 1 from ${grids}) or exists (select 1 from ${officers}) as any`,
    ).then((r) => r.rows);
    if (found?.any) return false;
    await writeAll(tx, doc, { source: 'seed', importedAt: new Date() });
    return true;
  });
}
