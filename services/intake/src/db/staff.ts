import type { StaffMap } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { eq, max, sql } from 'drizzle-orm';
import { staff, staffGrids } from './schema.ts';

/**
 * Replaces the staff map with `map` unless a newer version is stored (records may be replayed, and
 * assignment republishes the current version at start); true when stored.
 */
export async function storeStaffMap(db: Db, map: StaffMap): Promise<boolean> {
  return db.transaction(async (tx) => {
    // One writer at a time, so two replays cannot interleave their delete and insert.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('intake.staff'))`);
    const [head] = await tx.select({ version: max(staff.version) }).from(staff);
    if (head?.version != null && head.version >= map.version) return false;
    await tx.delete(staff);
    await tx.delete(staffGrids);
    if (map.grids?.length) await tx.insert(staffGrids).values(map.grids.map((gridCode) => ({ gridCode, version: map.version })));
    if (map.officers.length) {
      await tx.insert(staff).values(
        map.officers.map((o) => ({
          officerId: o.officerId,
          role: o.role,
          gridCode: o.gridCode ?? null,
          policeGridCode: o.policeGridCode ?? null,
          station: map.station,
          version: map.version,
        })),
      );
    }
    return true;
  });
}

/** A person as the staff map knows them: their post (role), community grid and station; undefined when it does not. */
export async function staffMember(db: Db, officerId: string): Promise<{ role: string; gridCode: string | null; station: string } | undefined> {
  const [row] = await db.select({ role: staff.role, gridCode: staff.gridCode, station: staff.station }).from(staff).where(eq(staff.officerId, officerId));
  return row;
}

/** The community grid a grid worker serves (undefined: not a known grid worker) and their station. */
export async function gridOfWorker(db: Db, officerId: string): Promise<{ gridCode: string; station: string } | undefined> {
  const row = await staffMember(db, officerId);
  return row?.gridCode && row.role === 'gridWorker' ? { gridCode: row.gridCode, station: row.station } : undefined;
}

/**
 * The staff map as intake holds it: the station, each officer's role and grid, and the station's
 * community grids (undefined from a map that did not carry them); undefined until assignment has published one.
 */
export async function loadStaff(db: Db): Promise<
  { station: string; officers: Map<string, { role: string; gridCode: string | null }>; grids: Set<string> | undefined } | undefined
> {
  const rows = await db.select({ officerId: staff.officerId, role: staff.role, gridCode: staff.gridCode, station: staff.station }).from(staff);
  const [first] = rows;
  if (!first) return undefined;
  const gridRows = await db.select({ gridCode: staffGrids.gridCode }).from(staffGrids);
  return {
    station: first.station,
    officers: new Map(rows.map((r) => [r.officerId, { role: r.role, gridCode: r.gridCode }])),
    grids: gridRows.length ? new Set(gridRows.map((g) => g.gridCode)) : undefined,
  };
}

/** How long the station read from the staff map is trusted: the station of an install hardly ever changes. */
const STATION_TTL_MS = 30_000;

/**
 * The station this install serves, as assignment's staff map names it, read from `intake.staff` at
 * most every 30 s once known (so a report costs no query for it), and on every ask while no map has
 * arrived yet (a fresh install), so it is known as soon as one is stored.
 */
export class InstallStation {
  readonly #db: Db;
  #known: { station: string; readAt: number } | undefined;
  #reading: Promise<string | undefined> | undefined;

  constructor(db: Db) {
    this.#db = db;
  }

  async current(): Promise<string | undefined> {
    const known = this.#known;
    if (known && performance.now() - known.readAt < STATION_TTL_MS) return known.station;
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #read(): Promise<string | undefined> {
    const [row] = await this.#db.select({ station: staff.station }).from(staff).limit(1);
    this.#known = row ? { station: row.station, readAt: performance.now() } : undefined;
    return row?.station;
  }
}
