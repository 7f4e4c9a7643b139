/** GeoJSON areas drawn as SVG without tiles: a local projection, paths, centres. Pure, for tests. */

export type Position = readonly number[];
export type Geometry =
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

export interface Bounds {
  minLng: number;
  maxLng: number;
  minLat: number;
  maxLat: number;
}

const polygonsOf = (g: Geometry): Position[][][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

/** The box around every position of the geometries; undefined for none. */
export function boundsOf(geometries: readonly Geometry[]): Bounds | undefined {
  let b: Bounds | undefined;
  for (const g of geometries) {
    for (const polygon of polygonsOf(g)) {
      for (const ring of polygon) {
        for (const [lng, lat] of ring) {
          if (lng === undefined || lat === undefined) continue;
          b = b
            ? { minLng: Math.min(b.minLng, lng), maxLng: Math.max(b.maxLng, lng), minLat: Math.min(b.minLat, lat), maxLat: Math.max(b.maxLat, lat) }
            : { minLng: lng, maxLng: lng, minLat: lat, maxLat: lat };
        }
      }
    }
  }
  return b;
}

export interface Projection {
  width: number;
  height: number;
  /** [lng, lat] → [x, y] in SVG units, north up. */
  project(p: Position): [number, number];
}

/**
 * Equirectangular around the middle latitude: a degree of longitude is cos(lat) of a degree of
 * latitude, which over a station's few kilometres keeps shapes true. `width` SVG units across,
 * with `pad` units of margin.
 */
export function projection(b: Bounds, width: number, pad = 10): Projection {
  const k = Math.cos((((b.minLat + b.maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((b.maxLng - b.minLng) * k, 1e-9);
  const spanY = Math.max(b.maxLat - b.minLat, 1e-9);
  const scale = (width - 2 * pad) / spanX;
  const height = Math.round(spanY * scale + 2 * pad);
  return {
    width,
    height,
    project: ([lng = 0, lat = 0]) => [pad + (lng - b.minLng) * k * scale, pad + (b.maxLat - lat) * scale],
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

/** An SVG path (`M … L … Z` per ring; holes follow the even-odd rule the page sets). */
export function pathOf(g: Geometry, p: Projection): string {
  return polygonsOf(g)
    .flatMap((polygon) =>
      polygon.map((ring) => ring.map((pos, i) => `${i ? 'L' : 'M'}${round(p.project(pos)[0])} ${round(p.project(pos)[1])}`).join('') + 'Z'),
    )
    .join('');
}

/** Signed area and centroid of a ring (shoelace), in degrees. */
function ringCentroid(ring: Position[]): { area: number; lng: number; lat: number } {
  let area = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0 = 0, y0 = 0] = ring[i]!;
    const [x1 = 0, y1 = 0] = ring[i + 1]!;
    const cross = x0 * y1 - x1 * y0;
    area += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  area /= 2;
  if (Math.abs(area) < 1e-15) {
    const [lng = 0, lat = 0] = ring[0] ?? [];
    return { area: 0, lng, lat };
  }
  return { area, lng: cx / (6 * area), lat: cy / (6 * area) };
}

/** The centre of the largest outer ring, [lng, lat]: where a case with only a grid is drawn. */
export function centreOf(g: Geometry): [number, number] {
  let best = { area: -1, lng: 0, lat: 0 };
  for (const polygon of polygonsOf(g)) {
    const outer = polygon[0];
    if (!outer) continue;
    const c = ringCentroid(outer);
    if (Math.abs(c.area) > best.area) best = { ...c, area: Math.abs(c.area) };
  }
  return [best.lng, best.lat];
}

/**
 * A small fixed offset for a case drawn at a grid's centre, from its id, so several such cases do
 * not sit on one another and each stays where it was on the next refresh.
 */
export function spread(id: string, radius: number): [number, number] {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  const angle = ((h >>> 0) % 360) * (Math.PI / 180);
  const r = radius * (0.35 + (((h >>> 9) % 1000) / 1000) * 0.65);
  return [Math.cos(angle) * r, Math.sin(angle) * r];
}
