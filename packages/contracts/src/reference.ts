import { z } from 'zod';
import { nameText, text } from './text.ts';
import { Instant, OfficerRole } from './common.ts';
import { withFieldsCheck } from './fields-check.ts';

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

/**
 * The desk's police grid filter's word for "no police grid" (`GET /v1/cases?policeGrid=none`: the cases
 * no police grid took, the queues' `policeGridCode: null` row). Reserved: no police grid is coded so.
 */
export const NO_POLICE_GRID = 'none';

/** A police grid (警格 / 警务区), owned by its grid officer(s), with a lead above them. */
export const PoliceGrid = z.object({
  code: text()
    .min(1)
    .max(64)
    .refine((code) => code !== NO_POLICE_GRID, `"${NO_POLICE_GRID}" is reserved: the desk's policeGrid=${NO_POLICE_GRID} lists the cases no police grid took`),
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

/** Where a person stands by the rosters at a moment: inside a shift, outside every shift, or on leave (leave wins). */
export const DutyStatus = z.enum(['on-duty', 'off-duty', 'on-leave']);
export type DutyStatus = z.infer<typeof DutyStatus>;

/**
 * A person as `GET /v1/officers` answers: the roster entry with `onDuty` as the rosters have it now
 * (shifts, leave; the imported flag only for someone without shifts), `duty` saying why, and whether
 * they are on call (asked when nobody of their post is on duty).
 */
export const OfficerView = Officer.extend({ onDuty: z.boolean(), duty: DutyStatus, onCall: z.boolean() });
export type OfficerView = z.infer<typeof OfficerView>;

/** A local time of day, Asia/Shanghai, `HH:MM`. */
const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM (00:00–23:59)');

/**
 * A recurring shift, in Asia/Shanghai local time. `days` are the ISO weekdays (1 = Monday … 7 =
 * Sunday) on which the shift starts; one whose `end` is not after its `start` runs overnight into
 * the next day (a night shift 20:00–08:00 listed on Friday covers Saturday morning).
 */
export const Shift = withFieldsCheck(
  z.object({
    name: text().max(50).optional(),
    days: z.array(z.number().int().min(1).max(7)).min(1),
    start: LocalTime,
    end: LocalTime,
  }),
  ['start', 'end'],
  (s, ctx) => {
    if (s.start === s.end) ctx.addIssue({ code: 'custom', message: 'a shift needs different start and end times', path: ['end'] });
  },
);
export type Shift = z.infer<typeof Shift>;

/**
 * A period of leave or absence: the person gets no new cases and hands on the unacknowledged ones.
 * `until` is compared with `from` whenever both parse, beside a problem with the reason. Unknown
 * fields are refused (audit17 #7: a `to` for `until` was dropped without a word).
 */
export const LeavePeriod = withFieldsCheck(z.strictObject({ from: Instant, until: Instant, reason: text().min(1).max(200) }), ['from', 'until'], (l, ctx) => {
  if (Date.parse(l.until) <= Date.parse(l.from)) ctx.addIssue({ code: 'custom', message: 'until must be after from', path: ['until'] });
});
export type LeavePeriod = z.infer<typeof LeavePeriod>;

/**
 * When a person works. With `shifts` they are on duty only inside one (and not on leave); with none,
 * their `onDuty` flag decides as before. `onCall` people are asked when nobody of the post is on duty.
 */
export const RosterEntry = z.strictObject({
  officerId: text().min(1).max(64),
  shifts: z.array(Shift).default([]),
  leave: z.array(LeavePeriod).default([]),
  onCall: z.boolean().default(false),
});
export type RosterEntry = z.infer<typeof RosterEntry>;

/** Who of a grid's pair works a category: both, the police grid's officer only, or the grid worker only. */
export const PairingOwners = z.enum(['pair', 'police', 'worker']);
export type PairingOwners = z.infer<typeof PairingOwners>;

/**
 * One pairing rule; the first whose `categories` match a case's category decides. A pattern is a
 * category code (`hazard.fire`), a kind with `.*` (`tip.*`), or `*` for every category.
 */
export const PairingRule = z.object({
  id: text().min(1).max(64),
  categories: z.array(text().min(1).max(64)).min(1),
  owners: PairingOwners,
  note: text().max(200).optional(),
});
export type PairingRule = z.infer<typeof PairingRule>;

/**
 * A building address the station knows (小区/楼栋/门牌), as people write it, and the community grid
 * it lies in. Reports with only an address route by it (variants such as 号楼/栋/幢 and full-width
 * digits are normalised on both sides).
 */
export const GazetteerAddress = z.object({
  address: text().min(1).max(200),
  gridCode: text().min(1).max(64),
});
export type GazetteerAddress = z.infer<typeof GazetteerAddress>;

const duplicates = (values: string[]): string[] => [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];

// What each cross-check of the document reads: it runs whenever these parse, so a wrong field
// elsewhere (a name too long, onDuty sent as text, a shift) does not hide a broken cross-reference.
const Posts = z.object({
  station: Station.pick({ code: true }),
  policeGrids: z.array(PoliceGrid.pick({ code: true, stationCode: true })),
  grids: z.array(CommunityGrid.pick({ code: true, policeGridCode: true })),
  // Any role: an unknown one (named by the schema) does not hide the document's broken references.
  officers: z.array(Officer.pick({ officerId: true, policeGridCode: true, gridCode: true }).extend({ role: z.unknown() })),
});
const OfficerId = z.object({ officerId: RosterEntry.shape.officerId });
const Rosters = z.object({ officers: z.array(OfficerId), rosters: z.array(OfficerId).optional() });
const Pairing = z.object({ pairing: z.array(PairingRule.pick({ id: true, categories: true, owners: true })).optional() });

/** Every grid has its police grid, every officer's post exists, and there is a duty desk leader. */
function checkPosts(doc: z.output<typeof Posts>, ctx: z.RefinementCtx): void {
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
}

/** One roster entry a person, and only for people of the document. */
function checkRosters(doc: z.output<typeof Rosters>, ctx: z.RefinementCtx): void {
  const officerIds = new Set(doc.officers.map((o) => o.officerId));
  for (const id of duplicates((doc.rosters ?? []).map((r) => r.officerId))) {
    ctx.addIssue({ code: 'custom', path: ['rosters'], message: `officerId ${id} has more than one roster entry` });
  }
  doc.rosters?.forEach((r, i) => {
    if (!officerIds.has(r.officerId)) ctx.addIssue({ code: 'custom', path: ['rosters', i, 'officerId'], message: `unknown officer ${r.officerId}` });
  });
}

/** Pairing rule ids are unique, and tip.* never reaches a grid worker. */
function checkPairing(doc: z.output<typeof Pairing>, ctx: z.RefinementCtx): void {
  for (const id of duplicates((doc.pairing ?? []).map((r) => r.id))) {
    ctx.addIssue({ code: 'custom', path: ['pairing'], message: `pairing rule ${id} appears more than once` });
  }
  doc.pairing?.forEach((rule, i) => {
    // CONTRACT.md "Scope and roles": tip.* cases are never assigned to a grid worker.
    if (rule.owners !== 'police' && rule.categories.some((c) => c === 'tip.*' || c.startsWith('tip.'))) {
      ctx.addIssue({ code: 'custom', path: ['pairing', i, 'owners'], message: 'tip.* cases go to the police only, never to a grid worker' });
    }
  });
}

/**
 * The body of `PUT /v1/reference-data` on assignment: the whole station at once (its police grids,
 * community grids and officers with their posts and duty). Cross-references are checked, so a
 * document that loads can always route: every grid has its police grid, every officer's post exists,
 * and there is a duty desk leader for what cannot be routed. Each check runs whenever the fields it
 * reads parse, beside the document's other problems. With `now` (the importing service's clock), an
 * `effectiveAt` in the future is refused beside every other problem: scheduling a version would need
 * a timer to apply it, so a document is imported when it takes effect.
 */
export const referenceDataWith = (now?: () => Date) => {
  const fields = z.strictObject({
    // Names that say nothing are refused here, on import (audit26 #4); the shared schemas, which also
    // describe what the routes answer, keep taking what was stored before.
    station: Station.extend({ name: nameText(200) }),
    policeGrids: z.array(PoliceGrid.extend({ name: nameText(200) })).min(1),
    grids: z.array(CommunityGrid.extend({ name: nameText(200), community: CommunityGrid.shape.community.extend({ name: nameText(200) }) })).min(1),
    officers: z.array(Officer.extend({ name: nameText(100) })).min(1),
    /** Shifts, leave and on-call per person; a person without an entry is on duty by `onDuty`. */
    rosters: z.array(RosterEntry).optional(),
    /** Who of the pair works which category; without it the built-in rules apply. */
    pairing: z.array(PairingRule).optional(),
    /** The station's building addresses and their grids (the gazetteer); without it, none. */
    addresses: z.array(GazetteerAddress).optional(),
    /** When this version takes effect: now or earlier (the import time when absent). */
    effectiveAt: (now
      ? Instant.refine((at) => Date.parse(at) <= now().getTime(), 'must not be in the future: import the document when it takes effect')
      : Instant
    ).optional(),
  });
  return withFieldsCheck(withFieldsCheck(withFieldsCheck(fields, Posts, checkPosts), Rosters, checkRosters), Pairing, checkPairing);
};
export const ReferenceData = referenceDataWith();
export type ReferenceData = z.infer<typeof ReferenceData>;
