import type { CommunityGrid, Location } from '@gridcase/contracts';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { type GazetteerEntry, lookupAddress } from './gazetteer.ts';

/** How a location was matched to a community grid. */
export type FoundBy = 'gridCode' | 'communityCode' | 'point' | 'address';

const byCode = (a: CommunityGrid, b: CommunityGrid) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * Finds the community grid a location names, trying in order: `gridCode` (a community grid's code;
 * a police grid's code is accepted too and means that police grid's first community grid in code
 * order, whose grid worker pairs with its officer), `communityCode` (the community's first grid in
 * code order), then the point (`lat`/`lng`) inside a grid's polygon (first in code order when it sits
 * on a shared border), then the `address` in the station's gazetteer (its most specific building).
 * Returns the grid, how it was found, and what failed on the way.
 */
export function findGrid(
  location: Location,
  grids: readonly CommunityGrid[],
  gazetteer: readonly GazetteerEntry[] = [],
): { grid?: CommunityGrid; routedBy?: FoundBy; misses: string[] } {
  const sorted = [...grids].sort(byCode);
  const misses: string[] = [];
  if (location.gridCode) {
    const grid = sorted.find((g) => g.code === location.gridCode) ?? sorted.find((g) => g.policeGridCode === location.gridCode);
    if (grid) return { grid, routedBy: 'gridCode', misses };
    misses.push(`gridCode ${location.gridCode} is not a known community or police grid`);
  }
  if (location.communityCode) {
    const grid = sorted.find((g) => g.community.code === location.communityCode);
    if (grid) return { grid, routedBy: 'communityCode', misses };
    misses.push(`communityCode ${location.communityCode} is not a known community`);
  }
  if (location.lat !== undefined && location.lng !== undefined) {
    const point = [location.lng, location.lat];
    const grid = sorted.find((g) => booleanPointInPolygon(point, g.geometry));
    if (grid) return { grid, routedBy: 'point', misses };
    misses.push(`point ${location.lat},${location.lng} lies outside every grid`);
  }
  if (location.address) {
    const found = lookupAddress(location.address, gazetteer);
    const grid = 'gridCode' in found ? sorted.find((g) => g.code === found.gridCode) : undefined;
    if (grid) return { grid, routedBy: 'address', misses };
    misses.push('miss' in found ? found.miss : `the gazetteer names grid ${found.gridCode}, which does not exist`);
  }
  if (misses.length === 0) misses.push('no gridCode, communityCode, lat/lng or address given');
  return { misses };
}
