import type { Location } from '@gridcase/contracts';

/** Where a report is, reduced to what comparing two places needs. */
export interface Place {
  lat?: number | undefined;
  lng?: number | undefined;
  /** The address normalised by `normaliseAddress`. */
  addressKey?: string | undefined;
  gridCode?: string | undefined;
  communityCode?: string | undefined;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres between two WGS 84 points (haversine). */
export function distanceMetres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * An address as a key: full-width forms folded (３号楼 = 3号楼), case, spaces and punctuation dropped,
 * and the common spellings of a building, unit and room made one (3栋 = 3幢 = 3座 = 3号楼).
 */
export function normaliseAddress(address: string): string {
  return address
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .replace(/(\d+)(?:号楼|栋|幢|座)/g, '$1号楼')
    .replace(/(\d+)(?:号房|室)/g, '$1室');
}

/** A place to compare; lat 0, lng 0 (a GPS that gave nothing, taken beside another place: GPS_DEFAULT) is no point. */
export function placeOf(location: Location): Place {
  const address = location.address ? normaliseAddress(location.address) : '';
  const gpsDefault = location.lat === 0 && location.lng === 0;
  return {
    lat: gpsDefault ? undefined : location.lat,
    lng: gpsDefault ? undefined : location.lng,
    addressKey: address || undefined,
    gridCode: location.gridCode,
    communityCode: location.communityCode,
  };
}

const hasPoint = (p: Place): p is Place & { lat: number; lng: number } => p.lat !== undefined && p.lng !== undefined;

/**
 * Whether two places are the same for a radius. A grid is where a sender says the report is, and
 * what routes its case; a point may be a device's default or a stale fix, and triage has no grid map
 * to place it in (0,0 beside gridCode CG-01-01 joined an unrouted case at 0,0, so that grid never got
 * the report: audit17 #2). So two grids must agree; a grid named on one side only is the same place
 * only at the same address (points that agree do not say it is that grid, a community is wider); and
 * two points further apart than the radius are never the same place. Otherwise by distance when both
 * have a point, else by the finest key both have — address, then grid, then community (a grid or
 * community is what a reporter without a map gives, so it is all there is to compare).
 */
export function samePlace(a: Place, b: Place, radiusMetres: number): boolean {
  if (a.gridCode && b.gridCode && a.gridCode !== b.gridCode) return false;
  const points = hasPoint(a) && hasPoint(b);
  if (points && distanceMetres(a, b) > radiusMetres) return false;
  if (!a.gridCode !== !b.gridCode) return !!a.addressKey && a.addressKey === b.addressKey;
  if (points) return true;
  if (a.addressKey && b.addressKey) return a.addressKey === b.addressKey;
  if (a.gridCode && b.gridCode) return true;
  if (a.communityCode && b.communityCode) return a.communityCode === b.communityCode;
  return false;
}

/**
 * Whether a report is at the place of a settled case for a relapse (CONTRACT.md: "same address or
 * within 100 m"): both points within the radius, or the same address. A grid or community alone is
 * not the same place: a community grid is about half a kilometre across, and one closed case in it
 * would make every later report of its kind there a relapse.
 */
export function samePlaceForRelapse(a: Place, b: Place, radiusMetres: number): boolean {
  if (hasPoint(a) && hasPoint(b) && distanceMetres(a, b) <= radiusMetres) return true;
  return !!a.addressKey && a.addressKey === b.addressKey;
}

/** Lock cells are about 555 m tall; 250 m from a point is never further than the next cell. */
const CELL_DEG = 0.005;

/**
 * Above 60° a column of CELL_DEG is narrower than 277 m, so rows there are one cell wide. The
 * width is chosen by the row, so every report reads a neighbouring row's columns the same way.
 */
const columnDeg = (row: number) => (Math.abs((row + 0.5) * CELL_DEG) < 60 ? CELL_DEG : 360);

/**
 * Names of the advisory locks a report takes before reading candidates: the ~500 m cell of its
 * point and the eight around it, and each text key it has. Any two reports that `samePlace` can
 * match (at up to 250 m) share at least one name. Sorted, so locks are taken in one order.
 */
export function lockNames(scope: string, place: Place): string[] {
  const names = new Set<string>();
  if (hasPoint(place)) {
    const row = Math.floor(place.lat / CELL_DEG);
    for (let r = row - 1; r <= row + 1; r++) {
      const col = Math.floor(place.lng / columnDeg(r));
      for (let c = col - 1; c <= col + 1; c++) names.add(`${scope}|cell:${r}:${c}`);
    }
  }
  if (place.addressKey) names.add(`${scope}|addr:${place.addressKey}`);
  if (place.gridCode) names.add(`${scope}|grid:${place.gridCode}`);
  if (place.communityCode) names.add(`${scope}|community:${place.communityCode}`);
  return [...names].sort();
}

/** A latitude/longitude box around a point that holds every point within `radiusMetres`. */
export function boundingBox(lat: number, lng: number, radiusMetres: number) {
  const dLat = (radiusMetres / EARTH_RADIUS_M) * (180 / Math.PI);
  const dLng = dLat / Math.max(Math.cos(rad(lat)), 0.01);
  return { minLat: lat - dLat, maxLat: lat + dLat, minLng: lng - dLng, maxLng: lng + dLng };
}
