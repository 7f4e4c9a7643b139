import { z } from 'zod';
import { storableUrl, text, webUrl } from './text.ts';
import { withFieldsCheck } from './fields-check.ts';
import { findCategory } from './categories.ts';
import { Assignee, CaseStatus, Instant, Kind, Location, Severity } from './common.ts';

export const Reporter = z.strictObject({
  name: text().max(100).optional(),
  phone: text().max(32).optional(),
  idNumber: text().max(32).optional(),
  anonymous: z.boolean().optional(),
  /** Added for Open311 (`email`); personal data like the rest. */
  email: z.email().max(254).optional(),
});
export type Reporter = z.infer<typeof Reporter>;

// RFC 6838 §4.2 names (type and subtype), RFC 9110 §5.6 tokens and quoted strings (parameters).
const RESTRICTED_NAME = /[A-Za-z0-9][\w!#$&^.+-]{0,126}/.source;
const TOKEN = /[\w!#$%&'*+.^`|~-]+/.source;
const QUOTED = /"(?:[\t\x20\x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t\x20-\x7e\x80-\xff])*"/.source;
const MEDIA_TYPE = new RegExp(`^${RESTRICTED_NAME}/${RESTRICTED_NAME}(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|${QUOTED}))*$`);

/** `type/subtype` with optional parameters, as in a Content-Type header (`image/jpeg`, `text/plain; charset=utf-8`). */
export const MediaType = text()
  .max(100)
  .regex(MEDIA_TYPE, { message: 'must be a media type: type/subtype (RFC 6838), e.g. image/jpeg, with optional ;name=value parameters' });

/** An attachment as a sender sends it: a link a browser may open, and what it links to. */
export const Attachment = z.strictObject({
  url: webUrl(),
  mediaType: MediaType,
});

/**
 * An attachment as report.received carries it. Read as loosely as it was first written: events
 * published before Attachment's checks stay readable on replay.
 */
export const ReceivedAttachment = z.object({
  url: storableUrl(),
  mediaType: text().min(1).max(100),
});

/** How far a sender's clock may be off from ours when we judge its instants against the time of receipt. */
export const CLOCK_SKEW_MS = 10 * 60_000;
const SKEW_MINUTES = CLOCK_SKEW_MS / 60_000;

/** Only values `Instant` accepts are judged against a time: `Date.parse` reads an instant without an offset as local time. */
const instantMs = (value: string) => (Instant.safeParse(value).success ? Date.parse(value) : undefined);

/**
 * Why a report received at `receivedAt` cannot have happened at `occurredAt` (later than its receipt
 * by more than the clock-skew allowance); undefined when it can, or when it is no instant at all
 * (`Instant` names that). Never quotes the value.
 */
export function occurredAtProblem(occurredAt: string, receivedAt: Date): string | undefined {
  const at = instantMs(occurredAt);
  if (at === undefined || at <= receivedAt.getTime() + CLOCK_SKEW_MS) return undefined;
  return `is after the time of receipt by more than the ${SKEW_MINUTES}-minute clock-skew allowance: a report tells what has happened`;
}

/**
 * Why a deadline the sender requires (`respondBy`, `resolveBy`) cannot hold for a report received at
 * `receivedAt`: one already past (beyond the clock-skew allowance) would escalate the case at once,
 * past its first owners. Undefined when it can, or when it is no instant at all. Never quotes the value.
 */
export function deadlineProblem(deadline: string, receivedAt: Date): string | undefined {
  const at = instantMs(deadline);
  if (at === undefined || at >= receivedAt.getTime() - CLOCK_SKEW_MS) return undefined;
  return `is before the time of receipt by more than the ${SKEW_MINUTES}-minute clock-skew allowance: a deadline must lie ahead`;
}

const refuseFutureOccurredAt = (occurredAt: string, receivedAt: Date, ctx: z.RefinementCtx) => {
  const why = occurredAtProblem(occurredAt, receivedAt);
  if (why) ctx.addIssue({ code: 'custom', message: why });
};

const refusePastDeadline = (deadline: string, receivedAt: Date, ctx: z.RefinementCtx) => {
  const why = deadlineProblem(deadline, receivedAt);
  if (why) ctx.addIssue({ code: 'custom', message: why });
};

type Deadlines = { respondBy?: string | undefined; resolveBy?: string | undefined };

const refuseResolveBeforeRespond = ({ respondBy, resolveBy }: Deadlines, ctx: z.RefinementCtx) => {
  if (respondBy === undefined || resolveBy === undefined || Date.parse(resolveBy) >= Date.parse(respondBy)) return;
  ctx.addIssue({ code: 'custom', path: ['resolveBy'], message: 'is before respondBy: a case is acknowledged before it is resolved' });
};

/** A description of white space only says nothing ('' is min(1)'s to name). */
const saysSomething = (s: string) => s === '' || /\S/.test(s);

/** An optional free text that says nothing (empty or white space only) is no text: left out, as if not sent. */
const blankAsAbsent = (value: string) => (value.trim() ? value : undefined);

type IsCategory = (code: string) => boolean | Promise<boolean>;

/** How a body's instants are judged against its receipt (reportBodyWith). */
interface Receipt {
  /** The receiving service's clock. */
  now: () => Date;
  /**
   * The body waited in a queue before it was handled (a record on gridcase.reports.inbound, perhaps
   * while intake was down, or replayed from the DLQ): a deadline that passed meanwhile is no fault of
   * the sender, so it is taken, and the case escalates as it should. Over HTTP the sender is told at once.
   */
  queued?: boolean;
}

/** The fields of a report body; with a receipt, instants are also judged against it (reportBodyWith). */
const reportFields = (isCategory: IsCategory, receipt?: Receipt) => {
  const now = receipt?.now;
  const deadline = now && !receipt.queued ? Instant.superRefine((at, ctx) => refusePastDeadline(at, now(), ctx)) : Instant;
  return z.strictObject({
    externalId: text().min(1).max(128),
    kind: Kind.optional(),
    category: z.string().refine(isCategory, { message: 'unknown category code; see GET /v1/categories' }).optional(),
    title: text().max(200).transform(blankAsAbsent).optional(),
    description: text().min(1).max(4000).refine(saysSomething, { message: 'is only white space: a description must say what happened' }),
    occurredAt: (now ? Instant.superRefine((at, ctx) => refuseFutureOccurredAt(at, now(), ctx)) : Instant).optional(),
    location: Location,
    reporter: Reporter.optional(),
    respondBy: deadline.optional(),
    resolveBy: deadline.optional(),
    attachments: z.array(Attachment).max(10).optional(),
  });
};

/**
 * The body of POST /v1/reports, and the value of a record on gridcase.reports.inbound, with
 * `isCategory` deciding which category codes exist: the catalogue is data (triage's rules), so a
 * service passes its current copy (intake keeps one from gridcase.reference). With a `receipt` (the
 * receiving service's clock), an `occurredAt` after the receipt beyond CLOCK_SKEW_MS is refused too,
 * and so is a `respondBy`/`resolveBy` before it unless the body was `queued`; a `resolveBy` before
 * `respondBy` always is. An async `isCategory` (one that reads the database) needs `safeParseAsync`,
 * as the HTTP validation uses.
 */
export const reportBodyWith = (isCategory: IsCategory, receipt?: Receipt) =>
  withFieldsCheck(reportFields(isCategory, receipt), ['respondBy', 'resolveBy'], refuseResolveBeforeRespond);

/** The body checked against the built-in catalogue (packages/contracts `CATEGORIES`). */
export const ReportBody = reportBodyWith((code) => findCategory(code) !== undefined);
export type ReportBody = z.infer<typeof ReportBody>;

/**
 * The body of POST /v1/triage/explain: a report body (externalId optional) and the `receivedAt` its
 * deadlines are computed as of (`now()` when absent). The sender's deadlines are judged against that
 * receipt as intake judges them against its own.
 */
export const explainBodyWith = (isCategory: IsCategory, now: () => Date) =>
  withFieldsCheck(
    reportFields(isCategory).partial({ externalId: true }).extend({ receivedAt: Instant.optional() }),
    ['receivedAt', 'respondBy', 'resolveBy'],
    ({ receivedAt, respondBy, resolveBy }, ctx) => {
      const at = receivedAt ? new Date(receivedAt) : now();
      let resolveByPast = false;
      for (const [field, value] of [['respondBy', respondBy], ['resolveBy', resolveBy]] as const) {
        const why = value === undefined ? undefined : deadlineProblem(value, at);
        if (why) ctx.addIssue({ code: 'custom', path: [field], message: why });
        resolveByPast ||= field === 'resolveBy' && why !== undefined;
      }
      // As in the report body: a resolveBy already past is named once.
      if (!resolveByPast) refuseResolveBeforeRespond({ respondBy, resolveBy }, ctx);
    },
  );

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
