import { z } from 'zod';
import { SloWindowBurn } from './alerts.ts';
import { text } from './text.ts';
import { Assignee, CaseStatus, Instant, Outcome, QueryInstant, Severity } from './common.ts';
import { Duration } from './http.ts';

/** The duty desk's HTTP answers (services/desk). Shared so other systems and end-to-end tests parse them. */

const list = (values: readonly string[], field: string) =>
  z
    .string()
    .regex(new RegExp(`^(${values.join('|')})(,(${values.join('|')}))*$`), `${field} must be one or more of ${values.join(', ')}, comma-separated`);

/** Codes, one or a comma list (dispute.neighbour,dispute.family): any of them. */
const commaCodes = (field: string, what: string) =>
  text()
    .min(1)
    .max(640)
    .regex(/^[^,]+(,[^,]+)*$/, `${field} must be one or more ${what}, comma-separated`);

const categoryList = () => commaCodes('category', 'category codes');

/**
 * A police grid's code, or `none` (NO_POLICE_GRID, which no police grid is coded) for the cases no police grid took; or a comma
 * list of them, any of them (CG-01,CG-02,none), as `status` and `category` take one.
 */
const policeGridFilter = () => commaCodes('policeGrid', 'police grid codes (or none)');

/** Ladder levels, one or a comma list (1,2): any of them. */
const levelList = () =>
  z
    .string()
    .max(400)
    .regex(/^(100|[1-9]?[0-9])(,(100|[1-9]?[0-9]))*$/, 'level must be one or more whole numbers from 0 to 100, comma-separated');

/** Query of GET /v1/cases. `status`, `severity`, `category`, `policeGrid` and `level` take a comma list (status=open,acknowledged). */
export const DeskCaseQuery = z.strictObject({
  status: list(CaseStatus.options, 'status').optional(),
  policeGrid: policeGridFilter().optional(),
  grid: text().min(1).max(64).optional(),
  assignee: text().min(1).max(128).optional(),
  category: categoryList().optional(),
  severity: list(Severity.options, 'severity').optional(),
  level: levelList().optional(),
  overdue: z.enum(['true', 'false']).optional(),
  dueWithin: Duration.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: text().min(1).max(512).optional(),
  /** Exactly this case number (CG-2026-000123), as reporters and callers quote it; letters in any case. */
  caseNumber: text().min(1).max(64).optional(),
  /** A case number or its start (`CG-2026-0001`, `000123` is not a start), a case id, or a report id of the case. */
  q: text().min(1).max(128).optional(),
});
export type DeskCaseQuery = z.infer<typeof DeskCaseQuery>;

/** One event in a case's history, as projected. */
export const TimelineEntry = z.object({
  eventId: text(),
  /** The CloudEvents type, e.g. gridcase.case.opened.v1. */
  type: text(),
  time: Instant,
  /** When it happened (the event's own time), who did it, and the note or reason they gave. */
  at: Instant.optional(),
  actor: z.object({ clientId: text(), name: text().optional(), officerId: text().optional() }).nullable().optional(),
  note: text().nullable().optional(),
  reason: text().nullable().optional(),
  data: z.record(text(), z.unknown()),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** A part of a case withheld from a community token (CONTRACT.md "Scope and roles"). */
export const Redaction = z.enum(['description', 'reporter']);
export type Redaction = z.infer<typeof Redaction>;

/**
 * A case in a list. No free text a reporter wrote (description) and no personal data: lists are
 * seen by many. Fields are null only for a case whose `case.opened` the desk has not seen.
 */
export const DeskCaseSummary = z.object({
  caseId: text(),
  caseNumber: text().nullable(),
  status: CaseStatus,
  level: z.number().int(),
  category: text().nullable(),
  severity: Severity.nullable(),
  kind: text().nullable(),
  title: text().nullable(),
  assignees: z.array(Assignee),
  policeGridCode: text().nullable(),
  gridCode: text().nullable(),
  respondBy: Instant.nullable(),
  resolveBy: Instant.nullable(),
  openedAt: Instant,
  /** First acknowledgement; time to acknowledge is measured to it. */
  acknowledgedAt: Instant.nullable(),
  resolvedAt: Instant.nullable(),
  outcome: Outcome.nullable(),
  escalations: z.number().int(),
  /** Open past respondBy, or unresolved past resolveBy, now. */
  overdue: z.boolean(),
  lastEventAt: Instant,
  /** How often it went back to work (failed verification, unsatisfied follow-up, reopen). */
  reworkCount: z.number().int().default(0),
  relapse: z.boolean().default(false),
  relatedCaseIds: z.array(text()).default([]),
  verifyBy: Instant.nullable().default(null),
  followUpBy: Instant.nullable().default(null),
  /** `reason` (like `title`) is null where a tip's description is withheld from a community token. */
  hold: z.object({ since: Instant, reason: text().nullable(), until: Instant.optional() }).nullable().default(null),
  extension: z
    .object({ until: Instant, reason: text().nullable(), status: z.enum(['pending', 'approved', 'rejected']) })
    .nullable()
    .default(null),
  /** 催办 warnings received (75 % of a budget used). */
  warnings: z.number().int().default(0),
  /**
   * What a community token is not shown: the reporter always, the description of a `tip.*` case (and
   * with it the tip's title, its hold and extension reasons, and every note, text and free-text reason
   * on its timeline: all null).
   */
  redacted: z.array(Redaction).optional(),
});
export type DeskCaseSummary = z.infer<typeof DeskCaseSummary>;

export const DeskCaseList = z.object({ items: z.array(DeskCaseSummary), nextCursor: text().nullable() });

/** GET /v1/cases/{caseId}: the case, its reports and its whole timeline, oldest first. */
/**
 * Where the case is, as its first report gave it (the case.opened `location`): the incident's place,
 * not the reporter's personal data. A field the report left out is null; the address and the point
 * are null too where the description is withheld (a tip, to a community token).
 */
export const DeskCaseLocation = z.object({
  address: text().nullable(),
  gridCode: text().nullable(),
  communityCode: text().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
});
export type DeskCaseLocation = z.infer<typeof DeskCaseLocation>;

export const DeskCaseView = DeskCaseSummary.extend({
  station: text().nullable(),
  /** null also when withheld from a community token (then named in `redacted`). */
  description: text().nullable(),
  /** null when the desk has not seen the case's case.opened. */
  location: DeskCaseLocation.nullable().optional(),
  reports: z.array(text()),
  timeline: z.array(TimelineEntry),
});
export type DeskCaseView = z.infer<typeof DeskCaseView>;

const QueueCounts = {
  open: z.number().int(),
  acknowledged: z.number().int(),
  /** Resolved, waiting for verification (核查). */
  resolved: z.number().int(),
  /** Verified, waiting for the follow-up call (回访). */
  followUp: z.number().int(),
  /** Held (挂账): no clock runs. */
  onHold: z.number().int(),
  /** Cases with a running deadline passed, or one missed and not yet met (as GET /v1/cases?overdue=true): a late 核查 or 回访 too. */
  overdue: z.number().int(),
  /** Cases above level 0 that a clock runs in (open, acknowledged, resolved, follow-up; not held). */
  escalated: z.number().int(),
};

/**
 * GET /v1/queues: the work not yet closed per police grid (null = not routed to one) and per officer.
 * open, acknowledged, resolved, followUp and onHold count each case once, by its status; overdue and
 * escalated count among those a clock runs in (a held case runs none).
 */
export const DeskQueues = z.object({
  policeGrids: z.array(z.object({ policeGridCode: text().nullable(), ...QueueCounts })),
  officers: z.array(z.object({ officerId: text(), name: text().nullable(), ...QueueCounts })),
});
export type DeskQueues = z.infer<typeof DeskQueues>;

/**
 * How often GET /v1/stream sends a `: heartbeat` comment while no event comes: a client that hears
 * nothing for a few of these has lost the connection, closed or not.
 */
export const STREAM_HEARTBEAT_MS = 15_000;

/**
 * The named SSE event GET /v1/stream sends, without an id, when it cannot replay what a client
 * resuming with Last-Event-ID missed: the client must reload its state (lists, the open case).
 */
export const STREAM_RESET_EVENT = 'gridcase.stream.reset';
export const StreamResetReason = z.enum(['too-many-missed', 'unknown-last-event-id', 'replay-failed']);
export type StreamResetReason = z.infer<typeof StreamResetReason>;
/** The data of a `gridcase.stream.reset` event. */
export const StreamReset = z.object({ reason: StreamResetReason });
export type StreamReset = z.infer<typeof StreamReset>;

/**
 * Query of GET /v1/stats (and /v1/stats/export): cases opened in [from, to), default the 30 days
 * before now. `groupBy=grid` adds figures per community grid (police grids are always there);
 * `period=week|month` adds the figures of each Asia/Shanghai week (ISO, Monday first) or month.
 */
export const DeskStatsQuery = z.strictObject({
  from: QueryInstant.optional(),
  to: QueryInstant.optional(),
  groupBy: z.enum(['policeGrid', 'grid']).optional(),
  period: z.enum(['week', 'month']).optional(),
});
export type DeskStatsQuery = z.infer<typeof DeskStatsQuery>;

/**
 * The figures of a set of cases, judged by each case's state now. A case whose standing outcome is
 * `unfounded` or `duplicate` needed no resolution: it is counted in `cases`, `unfounded`,
 * `duplicates` and the time to acknowledge, and left out of every rate.
 */
const StatsFigures = {
  /** Cases opened in [from, to). */
  cases: z.number().int(),
  /** Cases that needed resolving with a resolution that stands (mediated, resolved or referred). */
  resolved: z.number().int(),
  /** resolved / needed. Rates are shares 0..1; null when there is nothing to divide by. */
  resolutionRate: z.number().nullable(),
  /** Of resolved cases: resolved by resolveBy (as extended) without ever being escalated (按期办结率). */
  onTimeRate: z.number().nullable(),
  /** escalated / needed (上交率). */
  escalationRate: z.number().nullable(),
  /** Opening to first acknowledgement, over every acknowledged case. */
  medianSecondsToAcknowledge: z.number().nullable(),
  /** Opening to the standing resolution, over resolved cases (calendar time, holds included). */
  medianSecondsToResolve: z.number().nullable(),
  unfounded: z.number().int().optional(),
  duplicates: z.number().int().optional(),
  /** cases − unfounded − duplicates: the denominator of the rates. */
  needed: z.number().int().optional(),
  onTime: z.number().int().optional(),
  /** Needed cases escalated at least once. */
  escalated: z.number().int().optional(),
  /** Needed cases sent back to work at least once (failed verification, unsatisfied follow-up, reopen). */
  reworked: z.number().int().optional(),
  /** reworked / needed cases ever resolved (返工率). */
  reworkRate: z.number().nullable().optional(),
  /** Needed cases that are a relapse (回潮) of an earlier case at the same place. */
  relapses: z.number().int().optional(),
  /** relapses / needed (回潮率). */
  relapseRate: z.number().nullable().optional(),
  /** MTTA and MTTR: the means beside the medians above, over the same cases. */
  meanSecondsToAcknowledge: z.number().nullable().optional(),
  meanSecondsToResolve: z.number().nullable().optional(),
  /**
   * The 98 % objective (矛盾不上交): disputes whose fate is known — settled (mediated or resolved,
   * never escalated), or not (escalated, or referred elsewhere).
   */
  disputesDecided: z.number().int().optional(),
  disputesSettled: z.number().int().optional(),
  disputeSettlementRate: z.number().nullable().optional(),
  /** disputeSettlementRate ≥ 0.98; null when no dispute was decided. */
  disputeObjectiveMet: z.boolean().nullable().optional(),
};

const PoliceGridFigures = z.object({ policeGridCode: text().nullable(), ...StatsFigures });
const GridFigures = z.object({ gridCode: text().nullable(), policeGridCode: text().nullable(), ...StatsFigures });

/** Cases of the five kinds of trouble behind the "五没有" mark (services/desk/README.md has the mapping). */
export const FiveNoneCounts = z.object({
  criminal: z.number().int(),
  publicOrder: z.number().int(),
  fire: z.number().int(),
  massIncident: z.number().int(),
  drugs: z.number().int(),
});

/** One alert of the dispute objective's burn-rate watch, as of now. */
export const SloBurnState = z.object({
  policeGridCode: text().nullable(),
  alert: z.enum(['fast', 'slow']),
  firing: z.boolean(),
  threshold: z.number(),
  long: SloWindowBurn,
  short: SloWindowBurn,
});
export type SloBurnState = z.infer<typeof SloBurnState>;

export const DeskStats = z.object({
  from: Instant,
  to: Instant,
  overall: z.object(StatsFigures),
  policeGrids: z.array(PoliceGridFigures),
  /** When the figures were computed: each case is judged by its state then. */
  asOf: Instant.optional(),
  /** Per community grid, with `groupBy=grid`. */
  grids: z.array(GridFigures).optional(),
  /** With `period=`: each week or month (clipped to [from, to)), overall and per police grid or grid. */
  periods: z
    .array(
      z.object({
        period: text(),
        from: Instant,
        to: Instant,
        overall: z.object(StatsFigures),
        policeGrids: z.array(PoliceGridFigures).optional(),
        grids: z.array(GridFigures).optional(),
      }),
    )
    .optional(),
  /**
   * "五没有" per community grid for [from, to): every grid the desk has seen a case in (within the
   * token's scope), earned when none of its cases of the range is of the five kinds.
   */
  fiveNone: z.array(z.object({ gridCode: text(), policeGridCode: text().nullable(), earned: z.boolean(), counts: FiveNoneCounts })).optional(),
  /** The dispute objective's burn-rate alerts per police grid, as of now (not of [from, to)). */
  sloBurn: z.array(SloBurnState).optional(),
});
export type DeskStats = z.infer<typeof DeskStats>;

export const ExportFormat = z.enum(['csv', 'xlsx']);

/** GET /v1/stats/export: the figures of GET /v1/stats as a sheet for the monthly report. */
export const DeskStatsExportQuery = DeskStatsQuery.extend({ format: ExportFormat.default('csv') });
export type DeskStatsExportQuery = z.infer<typeof DeskStatsExportQuery>;

/**
 * GET /v1/cases/export: the cases opened in [from, to) (default the 30 days before now), oldest
 * first, with the filters of GET /v1/cases; the list's columns, so no description and no personal data.
 */
export const DeskCaseExportQuery = z.strictObject({
  format: ExportFormat.default('csv'),
  from: QueryInstant.optional(),
  to: QueryInstant.optional(),
  status: list(CaseStatus.options, 'status').optional(),
  policeGrid: policeGridFilter().optional(),
  grid: text().min(1).max(64).optional(),
  category: categoryList().optional(),
  severity: list(Severity.options, 'severity').optional(),
});
export type DeskCaseExportQuery = z.infer<typeof DeskCaseExportQuery>;
