import { z } from 'zod';
import { text } from './text.ts';
import { OfficerRole } from './common.ts';

/** A GeoJSON position in [lng, lat] order (WGS 84); an altitude, if sent, is kept and ignored. */
export const GeoPosition = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number());

/** A closed ring: at least four positions, the last equal to the first (RFC 7946 §3.1.6). */
export const GeoLinearRing = z
  .array(GeoPosition)
  .min(4, 'a ring needs at least 4 positions')
  .refine((ring) => {
    const first = ring[0];
    const last = ring[ring.length - 1];
    return !!first && !!last && first[0] === last[0] && first[1] === last[1];
  }, 'a ring must be closed: its last position must equal its first');

export const PolygonGeometry = z.object({ type: z.literal('Polygon'), coordinates: z.array(GeoLinearRing).min(1) });
export const MultiPolygonGeometry = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(GeoLinearRing).min(1)).min(1),
});
/** A grid's area as GeoJSON: Polygon or MultiPolygon, [lng, lat]. */
export const GridGeometry = z.discriminatedUnion('type', [PolygonGeometry, MultiPolygonGeometry]);
export type GridGeometry = z.infer<typeof GridGeometry>;

/** A police station (派出所). */
export const Station = z.object({
  code: text().min(1).max(32),
  name: text().min(1).max(200),
  county: text().max(200).optional(),
  city: text().max(200).optional(),
  province: text().max(200).optional(),
});
export type Station = z.infer<typeof Station>;

/** A police grid (警格 / 警务区), owned by its grid officer(s), with a lead above them. */
export const PoliceGrid = z.object({
  code: text().min(1).max(64),
  name: text().min(1).max(200),
  stationCode: text().min(1).max(32),
  geometry: GridGeometry.optional(),
});
export type PoliceGrid = z.infer<typeof PoliceGrid>;

/** A community grid (网格) inside a community or village, mapped onto one police grid. */
export const CommunityGrid = z.object({
  code: text().min(1).max(64),
  name: text().min(1).max(200),
  policeGridCode: text().min(1).max(64),
  /** The community (社区) or village (村); `code` is what reports send as `location.communityCode`. */
  community: z.object({ code: text().min(1).max(64), name: text().min(1).max(200) }),
  geometry: GridGeometry,
});
export type CommunityGrid = z.infer<typeof CommunityGrid>;

/** A person cases can be assigned to. The roster is who serves where and who is on duty. */
export const Officer = z.object({
  officerId: text().min(1).max(64),
  name: text().min(1).max(100),
  role: OfficerRole,
  policeGridCode: text().min(1).max(64).optional(),
  gridCode: text().min(1).max(64).optional(),
  onDuty: z.boolean().default(true),
});
export type Officer = z.infer<typeof Officer>;

const duplicates = (values: string[]): string[] => [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];

/**
 * The body of `PUT /v1/reference-data` on assignment: the whole station at once (its police grids,
 * community grids and officers with their posts and duty). Cross-references are checked, so a
 * document that loads can always route: every grid has its police grid, every officer's post exists,
 * and there is a duty desk leader for what cannot be routed.
 */
export const ReferenceData = z
  .strictObject({
    station: Station,
    policeGrids: z.array(PoliceGrid).min(1),
    grids: z.array(CommunityGrid).min(1),
    officers: z.array(Officer).min(1),
  })
  .superRefine((doc, ctx) => {
    const policeCodes = new Set(doc.policeGrids.map((p) => p.code));
    const gridCodes = new Set(doc.grids.map((g) => g.code));
    const gridPolice = new Map(doc.grids.map((g) => [g.code, g.policeGridCode]));
    for (const code of duplicates(doc.policeGrids.map((p) => p.code))) {
      ctx.addIssue({ code: 'custom', path: ['policeGrids'], message: `police grid code ${code} appears more than once` });
    }
    for (const code of duplicates(doc.grids.map((g) => g.code))) {
      ctx.addIssue({ code: 'custom', path: ['grids'], message: `grid code ${code} appears more than once` });
    }
    for (const id of duplicates(doc.officers.map((o) => o.officerId))) {
      ctx.addIssue({ code: 'custom', path: ['officers'], message: `officerId ${id} appears more than once` });
    }
    doc.policeGrids.forEach((p, i) => {
      if (p.stationCode !== doc.station.code) {
        ctx.addIssue({ code: 'custom', path: ['policeGrids', i, 'stationCode'], message: `must be the station's code ${doc.station.code}` });
      }
    });
    doc.grids.forEach((g, i) => {
      if (!policeCodes.has(g.policeGridCode)) {
        ctx.addIssue({ code: 'custom', path: ['grids', i, 'policeGridCode'], message: `unknown police grid ${g.policeGridCode}` });
      }
    });
    doc.officers.forEach((o, i) => {
      if (o.policeGridCode !== undefined && !policeCodes.has(o.policeGridCode)) {
        ctx.addIssue({ code: 'custom', path: ['officers', i, 'policeGridCode'], message: `unknown police grid ${o.policeGridCode}` });
      }
      if (o.gridCode !== undefined && !gridCodes.has(o.gridCode)) {
        ctx.addIssue({ code: 'custom', path: ['officers', i, 'gridCode'], message: `unknown grid ${o.gridCode}` });
      }
      if (o.gridCode !== undefined && o.policeGridCode !== undefined && gridPolice.get(o.gridCode) !== o.policeGridCode) {
        ctx.addIssue({ code: 'custom', path: ['officers', i, 'policeGridCode'], message: `grid ${o.gridCode} is not in police grid ${o.policeGridCode}` });
      }
      if ((o.role === 'officer' || o.role === 'lead') && o.policeGridCode === undefined) {
        ctx.addIssue({ code: 'custom', path: ['officers', i, 'policeGridCode'], message: `a ${o.role} needs the police grid they serve` });
      }
      if (o.role === 'gridWorker' && o.gridCode === undefined) {
        ctx.addIssue({ code: 'custom', path: ['officers', i, 'gridCode'], message: 'a gridWorker needs the community grid they serve' });
      }
    });
    if (!doc.officers.some((o) => o.role === 'deskLeader')) {
      ctx.addIssue({ code: 'custom', path: ['officers'], message: 'needs a deskLeader: unroutable cases go to the duty desk' });
    }
  });
export type ReferenceData = z.infer<typeof ReferenceData>;
