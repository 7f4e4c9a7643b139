import { z } from 'zod';
import { storableUrl, text } from './text.ts';
import { findCategory } from './categories.ts';
import { Assignee, CaseStatus, Instant, Kind, Location, Severity } from './common.ts';

export const Reporter = z.object({
  name: text().max(100).optional(),
  phone: text().max(32).optional(),
  idNumber: text().max(32).optional(),
  anonymous: z.boolean().optional(),
  /** Added for Open311 (`email`); personal data like the rest. */
  email: z.email().max(254).optional(),
});
export type Reporter = z.infer<typeof Reporter>;

export const Attachment = z.object({
  url: storableUrl(),
  mediaType: text().min(1).max(100),
});

/** How far after its receipt a report's `occurredAt` may lie: a sender's clock may run a little fast, not years. */
export const OCCURRED_AT_SKEW_MS = 10 * 60_000;

/**
 * Why a report received at `receivedAt` cannot have happened at `occurredAt` (later than its receipt
 * by more than the clock-skew allowance); undefined when it can, or when it is no instant at all
 * (`Instant` names that). Never quotes the value.
 */
export function occurredAtProblem(occurredAt: string, receivedAt: Date): string | undefined {
  const at = Date.parse(occurredAt);
  if (Number.isNaN(at) || at <= receivedAt.getTime() + OCCURRED_AT_SKEW_MS) return undefined;
  return `is after the time of receipt by more than the ${OCCURRED_AT_SKEW_MS / 60_000}-minute clock-skew allowance: a report tells what has happened`;
}

const refuseFutureOccurredAt = (occurredAt: string, receivedAt: Date, ctx: z.RefinementCtx) => {
  const why = occurredAtProblem(occurredAt, receivedAt);
  if (why) ctx.addIssue({ code: 'custom', message: why });
};

/**
 * The body of POST /v1/reports, and the value of a record on gridcase.reports.inbound, with
 * `isCategory` deciding which category codes exist: the catalogue is data (triage's rules), so a
 * service passes its current copy (intake keeps one from gridcase.reference). With `now` (the
 * receiving service's clock), an `occurredAt` after the receipt beyond OCCURRED_AT_SKEW_MS is refused too.
 * An async `isCategory` (one that reads the database) needs `safeParseAsync`, as the HTTP validation uses.
 */
export const reportBodyWith = (isCategory: (code: string) => boolean | Promise<boolean>, now?: () => Date) =>
  z.strictObject({
    externalId: text().min(1).max(128),
    kind: Kind.optional(),
    category: z.string().refine(isCategory, { message: 'unknown category code; see GET /v1/categories' }).optional(),
    title: text().max(200).optional(),
    description: text().min(1).max(4000),
    occurredAt: (now ? Instant.superRefine((at, ctx) => refuseFutureOccurredAt(at, now(), ctx)) : Instant).optional(),
    location: Location,
    reporter: Reporter.optional(),
    respondBy: Instant.optional(),
    resolveBy: Instant.optional(),
    attachments: z.array(Attachment).max(10).optional(),
  });

/** The body checked against the built-in catalogue (packages/contracts `CATEGORIES`). */
export const ReportBody = reportBodyWith((code) => findCategory(code) !== undefined);
export type ReportBody = z.infer<typeof ReportBody>;

export const ReportStatus = z.enum(['received', 'triaged', 'assigned', 'merged']);
export type ReportStatus = z.infer<typeof ReportStatus>;

export const ReportAccepted = z.object({
  reportId: text(),
  status: z.literal('received'),
  links: z.object({ self: text() }),
});

export const ReportCaseSummary = z.object({
  caseNumber: text(),
  status: CaseStatus,
  level: z.number().int(),
  category: text(),
  severity: Severity,
  assignees: z.array(Assignee),
  respondBy: Instant,
  resolveBy: Instant,
});

export const ReportView = z.object({
  reportId: text(),
  externalId: text(),
  status: ReportStatus,
  receivedAt: Instant,
  caseId: text().optional(),
  case: ReportCaseSummary.optional(),
});
export type ReportView = z.infer<typeof ReportView>;
