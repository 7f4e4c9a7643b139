import { z } from 'zod';
import { text } from './text.ts';
import { Assignee, CaseStatus, Instant, Outcome, Severity } from './common.ts';
import { Duration } from './http.ts';

/** The duty desk's HTTP answers (services/desk). Shared so other systems and end-to-end tests parse them. */

const list = (values: readonly string[], field: string) =>
  z
    .string()
    .regex(new RegExp(`^(${values.join('|')})(,(${values.join('|')}))*$`), `${field} must be one or more of ${values.join(', ')}, comma-separated`);

/** Query of GET /v1/cases. `status` and `severity` take a comma list (status=open,acknowledged). */
export const DeskCaseQuery = z.strictObject({
  status: list(CaseStatus.options, 'status').optional(),
  policeGrid: text().min(1).max(64).optional(),
  grid: text().min(1).max(64).optional(),
  assignee: text().min(1).max(128).optional(),
  category: text().min(1).max(64).optional(),
  severity: list(Severity.options, 'severity').optional(),
  level: z.coerce.number().int().min(0).max(100).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  dueWithin: Duration.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: text().min(1).max(512).optional(),
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
  hold: z.object({ since: Instant, reason: text(), until: Instant.optional() }).nullable().default(null),
  extension: z
    .object({ until: Instant, reason: text(), status: z.enum(['pending', 'approved', 'rejected']) })
    .nullable()
    .default(null),
  /** 催办 warnings received (75 % of a budget used). */
  warnings: z.number().int().default(0),
});
export type DeskCaseSummary = z.infer<typeof DeskCaseSummary>;

export const DeskCaseList = z.object({ items: z.array(DeskCaseSummary), nextCursor: text().nullable() });

/** GET /v1/cases/{caseId}: the case, its reports and its whole timeline, oldest first. */
export const DeskCaseView = DeskCaseSummary.extend({
  station: text().nullable(),
  description: text().nullable(),
  reports: z.array(text()),
  timeline: z.array(TimelineEntry),
});
export type DeskCaseView = z.infer<typeof DeskCaseView>;

const QueueCounts = {
  open: z.number().int(),
  acknowledged: z.number().int(),
  overdue: z.number().int(),
  /** Unresolved cases above level 0. */
  escalated: z.number().int(),
};

/** GET /v1/queues: unresolved work per police grid (null = not routed to one) and per officer. */
export const DeskQueues = z.object({
  policeGrids: z.array(z.object({ policeGridCode: text().nullable(), ...QueueCounts })),
  officers: z.array(z.object({ officerId: text(), name: text().nullable(), ...QueueCounts })),
});
export type DeskQueues = z.infer<typeof DeskQueues>;

export const DeskStatsQuery = z.strictObject({ from: Instant.optional(), to: Instant.optional() });

const StatsFigures = {
  /** Cases opened in [from, to). */
  cases: z.number().int(),
  resolved: z.number().int(),
  /** Rates are shares 0..1; null when there is nothing to divide by. */
  resolutionRate: z.number().nullable(),
  /** Of resolved cases: resolved by resolveBy without ever being escalated. */
  onTimeRate: z.number().nullable(),
  escalationRate: z.number().nullable(),
  medianSecondsToAcknowledge: z.number().nullable(),
  medianSecondsToResolve: z.number().nullable(),
};

export const DeskStats = z.object({
  from: Instant,
  to: Instant,
  overall: z.object(StatsFigures),
  policeGrids: z.array(z.object({ policeGridCode: text().nullable(), ...StatsFigures })),
});
export type DeskStats = z.infer<typeof DeskStats>;
