import { CommunityGrid, GazetteerAddress, type GridGeometry, PoliceGrid, referenceDataWith, withFieldsCheck } from '@gridcase/contracts';
import { z } from 'zod';
import { area } from '@turf/area';
import { difference } from '@turf/difference';
import { feature, featureCollection } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { kinks } from '@turf/kinks';
import { union } from '@turf/union';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { normalizeAddress } from './gazetteer.ts';

/** One thing wrong with an imported document, in the shape of problem+json `errors`. */
export interface ImportProblem {
  path: string;
  message: string;
}

export interface ReferenceCheck {
  problems: ImportProblem[];
  /** What could not be checked, and why (not a reason to refuse the import). */
  notes: string[];
}

/** Below this many square metres, an overlap or a gap is floating-point noise on a shared border. */
export const AREA_TOLERANCE_M2 = 1;

const m2 = (n: number) => `${Math.round(n)} m²`;
const asFeature = (g: GridGeometry): Feature<Polygon | MultiPolygon> => feature(g as Polygon | MultiPolygon);
const areaOf = (f: ReturnType<typeof intersect>) => (f ? area(f) : 0);

/** The self-intersections of a geometry, as `lng,lat` points (at most three named). */
function selfIntersections(geometry: GridGeometry): string[] {
  return kinks(geometry).features.map((p) => p.geometry.coordinates.map((c) => c.toFixed(6)).join(','));
}

interface Area {
  code: string;
  path: string;
  geometry: GridGeometry;
}

/** Geometry that turf can work on: with area and without self-intersections; the rest are problems. */
function checkShape(item: Area, what: string, problems: ImportProblem[]): boolean {
  const crossings = selfIntersections(item.geometry);
  if (crossings.length > 0) {
    const where = crossings.slice(0, 3).join('; ');
    problems.push({ path: item.path, message: `${what} ${item.code}: a ring crosses itself at ${where}${crossings.length > 3 ? ' …' : ''}` });
    return false;
  }
  if (area(item.geometry) < AREA_TOLERANCE_M2) {
    problems.push({ path: item.path, message: `${what} ${item.code}: the polygon has no area` });
    return false;
  }
  return true;
}

/** What checkReferenceData reads: it runs whenever these parse, whatever else of the document is wrong. */
const Areas = z.object({
  policeGrids: z.array(PoliceGrid.pick({ code: true, geometry: true })),
  grids: z.array(CommunityGrid.pick({ code: true, policeGridCode: true, geometry: true })),
  addresses: z.array(GazetteerAddress).optional(),
});

/**
 * Checks what the schema cannot: each grid's and police grid's polygon is a proper area without
 * self-intersections (turf kinks); the community grids of one police grid do not overlap (named at the
 * later grid of an overlapping pair, with both codes); they cover
 * their police grid without gaps where the police grid has a polygon (else the gap check is skipped
 * and a note says so); every gazetteer address names an existing grid and no address is claimed by
 * two grids. Problems name the grid codes; the caller refuses the import when there are any.
 */
export function checkReferenceData(doc: z.output<typeof Areas>): ReferenceCheck {
  const problems: ImportProblem[] = [];
  const grids = doc.grids.map((g, i) => ({ code: g.code, path: `grids.${i}.geometry`, geometry: g.geometry, policeGridCode: g.policeGridCode }));
  const sound = grids.filter((g) => checkShape(g, 'grid', problems));
  const policeSound = new Map<string, Area>();
  doc.policeGrids.forEach((p, i) => {
    if (!p.geometry) return;
    const item = { code: p.code, path: `policeGrids.${i}.geometry`, geometry: p.geometry };
    if (checkShape(item, 'police grid', problems)) policeSound.set(p.code, item);
  });

  for (const police of doc.policeGrids) {
    const members = sound.filter((g) => g.policeGridCode === police.code);
    for (let a = 0; a < members.length; a++) {
      for (let b = a + 1; b < members.length; b++) {
        const [ga, gb] = [members[a] as (typeof members)[number], members[b] as (typeof members)[number]];
        const shared = areaOf(intersect(featureCollection([asFeature(ga.geometry), asFeature(gb.geometry)])));
        if (shared >= AREA_TOLERANCE_M2) {
          // The later grid of the pair is the one that overlaps an earlier one: the path names it, as
          // an edit usually adds the later grid or copies an earlier one's polygon into it.
          problems.push({ path: gb.path, message: `grid ${gb.code} overlaps grid ${ga.code} of police grid ${police.code} by ${m2(shared)}` });
        }
      }
    }
    const outline = policeSound.get(police.code);
    if (!outline) continue;
    const all = doc.grids.filter((g) => g.policeGridCode === police.code);
    // A gap is only meaningful when every member is a sound polygon; broken ones are reported above.
    if (members.length !== all.length || members.length === 0) continue;
    const covered: Feature<Polygon | MultiPolygon> | null =
      members.length === 1 ? asFeature((members[0] as Area).geometry) : union(featureCollection(members.map((g) => asFeature(g.geometry))));
    const gap = covered ? areaOf(difference(featureCollection([asFeature(outline.geometry), covered]))) : area(outline.geometry);
    if (gap >= AREA_TOLERANCE_M2) {
      problems.push({ path: outline.path, message: `police grid ${police.code}: ${m2(gap)} lie in none of its grids (${members.map((g) => g.code).join(', ')})` });
    }
  }

  const gridCodes = new Set(doc.grids.map((g) => g.code));
  const claimed = new Map<string, { gridCode: string; index: number }>();
  doc.addresses?.forEach((a, i) => {
    if (!gridCodes.has(a.gridCode)) problems.push({ path: `addresses.${i}.gridCode`, message: `address ${a.address}: unknown grid ${a.gridCode}` });
    const key = normalizeAddress(a.address);
    const before = claimed.get(key);
    if (before && before.gridCode !== a.gridCode) {
      problems.push({ path: `addresses.${i}.address`, message: `address ${a.address} is in grid ${a.gridCode} here and in grid ${before.gridCode} at addresses.${before.index}` });
    } else if (!before) claimed.set(key, { gridCode: a.gridCode, index: i });
  });
  return { problems, notes: referenceNotes(doc) };
}

/**
 * What the checks above could not check (gaps where a police grid has no polygon), read from the
 * document alone: the import answers with it, without computing any geometry again.
 */
export function referenceNotes(doc: Pick<z.output<typeof Areas>, 'policeGrids'>): string[] {
  const withoutGeometry = doc.policeGrids.filter((p) => !p.geometry).map((p) => p.code);
  return withoutGeometry.length > 0 ? [`gaps not checked for police grids without a polygon: ${withoutGeometry.join(', ')}`] : [];
}

/**
 * The body of `PUT /v1/reference-data`: the contract's document plus the geometry and gazetteer
 * checks above, so one 400 names the schema's problems (an officer of a missing grid, a field of the
 * wrong type) and these together. A malformed ring is named by the schema and stops these checks.
 * With `now`, a future `effectiveAt` is named with them (referenceDataWith).
 */
export const importDocumentWith = (now?: () => Date) =>
  withFieldsCheck(referenceDataWith(now), Areas, (doc, ctx) => {
    for (const p of checkReferenceData(doc).problems) ctx.addIssue({ code: 'custom', path: p.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)), message: p.message });
  });
export const ImportDocument = importDocumentWith();
