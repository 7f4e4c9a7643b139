import { z } from 'zod';
import { isBlank, saysSomething, showsSomething, storableUrl, text, webUrl } from './text.ts';
import { findCategory, UNKNOWN_CATEGORY } from './categories.ts';
import { Assignee, CalendarInstant, CaseStatus, Instant, Kind, ReportLocation, Severity, SinceCalendarStart } from './common.ts';
import { withFieldsCheck } from './fields-check.ts';

/**
 * An email address as browsers check `<input type=email>` (WHATWG HTML's definition, which takes
 * `a@b.c`, `li.si+tag@example.com.cn`, a dotless host), widened to letters and digits of any script
 * (RFC 6531 addresses: `张三@例子.中国`). zod's default took neither a one-letter top-level domain nor
 * any non-ASCII (audit9 #19). Spaces, a missing or doubled `@`, empty or hyphen-edged labels, a
 * trailing dot: refused.
 */
const EMAIL_LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?`;
export const EMAIL_ADDRESS = new RegExp(String.raw`^[\p{L}\p{N}.!#$%&'*+/=?^_\x60{|}~-]+@${EMAIL_LABEL}(?:\.${EMAIL_LABEL})*$`, 'u');

export const Reporter = z.strictObject({
  name: text().max(100).optional(),
  phone: text().max(32).optional(),
  idNumber: text().max(32).optional(),
  anonymous: z.boolean().optional(),
  /** Added for Open311 (`email`); personal data like the rest. */
  email: z.email({ pattern: EMAIL_ADDRESS }).max(254).optional(),
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

const refuseFutureOccurredAt = (occurredAt: string, receivedAt: Date, ctx: z.RefinementCtx) => {
  const why = occurredAtProblem(occurredAt, receivedAt);
  if (why) ctx.addIssue({ code: 'custom', message: why });
};

/** The deadlines a sender may require (CONTRACT.md, Intake). */
type RequiredDeadlines = { respondBy?: string | undefined; resolveBy?: string | undefined };

/**
 * Why a sender's `resolveBy` cannot stand beside its `respondBy`: it is earlier (a case is acknowledged
 * before it is resolved, or at the same time). Undefined when either is absent or they are in order. Pure
 * and clock-free, so a body is judged the same on every path and every retry. Never quotes the values.
 */
export function deadlinesOrderProblem({ respondBy, resolveBy }: RequiredDeadlines): string | undefined {
  if (respondBy === undefined || resolveBy === undefined) return undefined;
  const [respond, resolve] = [instantMs(respondBy), instantMs(resolveBy)];
  if (respond === undefined || resolve === undefined || resolve >= respond) return undefined;
  return 'is before respondBy: a case is acknowledged before (or when) it is resolved, so resolveBy cannot be earlier';
}

const refuseCrossedDeadlines = (deadlines: RequiredDeadlines, ctx: z.RefinementCtx) => {
  const why = deadlinesOrderProblem(deadlines);
  if (why) ctx.addIssue({ code: 'custom', path: ['resolveBy'], message: why });
};

/** An optional free text that says nothing (empty, white space or invisible characters only) is no text: left out, as if not sent. */
const blankAsAbsent = (value: string) => (showsSomething(value) ? value : undefined);

type IsCategory = (code: string) => boolean | Promise<boolean>;

/** The fields of a report body; `now` as in reportBodyWith. */
const reportFields = (isCategory: IsCategory, now?: () => Date) =>
  z.strictObject({
    externalId: text()
      .min(1)
      .max(128)
      .refine((id) => id === '' || !isBlank(id), { message: 'is only white space or invisible characters: an externalId must identify the report' }),
    kind: Kind.optional(),
    category: z.string().refine(isCategory, { message: UNKNOWN_CATEGORY }).optional(),
    title: text().max(200).transform(blankAsAbsent).optional(),
    description: text().min(1).max(4000).refine(saysSomething, { message: 'says nothing (only white space, punctuation or invisible characters): a description must say what happened' }),
    occurredAt: (now ? SinceCalendarStart.superRefine((at, ctx) => refuseFutureOccurredAt(at, now(), ctx)) : SinceCalendarStart).optional(),
    location: ReportLocation,
    reporter: Reporter.optional(),
    respondBy: CalendarInstant.optional(),
    resolveBy: CalendarInstant.optional(),
    attachments: z.array(Attachment).max(10).optional(),
  });

/**
 * The body of POST /v1/reports, and the value of a record on gridcase.reports.inbound, with
 * `isCategory` deciding which category codes exist: the catalogue is data (triage's rules), so a
 * service passes its current copy (intake keeps one from gridcase.reference). With `now` (the
 * receiving service's clock), an `occurredAt` after the receipt beyond CLOCK_SKEW_MS is refused too.
 * An `occurredAt` before 2000-01-01 (Asia/Shanghai) is refused as a default date, and a `resolveBy`
 * before `respondBy` as a pair no case can keep (deadlinesOrderProblem), named beside every other bad
 * field. The sender's `respondBy`/`resolveBy` are otherwise taken as sent, past or not (the case keeps
 * the earlier of each and its policy, CONTRACT.md, so one already past opens the case overdue):
 * refusing a past one would answer a retry of a report accepted in time with 400 instead of 200. Only
 * one outside the calendar's years is refused: it can be no deadline of a case. An async `isCategory`
 * (one that reads the database) needs `safeParseAsync`, as the HTTP validation uses.
 */
export const reportBodyWith = (isCategory: IsCategory, now?: () => Date) =>
  withFieldsCheck(reportFields(isCategory, now), ['respondBy', 'resolveBy'], refuseCrossedDeadlines);

/**
 * The body of POST /v1/triage/explain: a report body (externalId optional) and the `receivedAt` its
 * deadlines are computed as of, checked as reportBodyWith checks a report (without a clock).
 */
export const explainBodyWith = (isCategory: IsCategory) =>
  withFieldsCheck(
    reportFields(isCategory).partial({ externalId: true }).extend({ receivedAt: CalendarInstant.optional() }),
    ['respondBy', 'resolveBy'],
    refuseCrossedDeadlines,
  );

/** The body checked against the built-in catalogue (packages/contracts `CATEGORIES`). */
export const ReportBody = reportBodyWith((code) => findCategory(code) !== undefined);
export type ReportBody = z.infer<typeof ReportBody>;

export const ReportStatus = z.enum(['received', 'triaged', 'assigned', 'merged']);
export type ReportStatus = z.infer<typeof ReportStatus>;

export const ReportAccepted = z.object({
  reportId: text(),
  /** `received` for a new report (202); for a repeat (200), the report's status now, as GET /v1/reports/{id} shows it. */
  status: ReportStatus,
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

/**
 * A report's reporter (personal data): whole for the desk, supervisors, admin and the officers who own
 * its case; masked for other officers, for the posting client and for an anonymous reporter. A report without a `reporter` whose text held phone or ID numbers has one too:
 * name and numbers null, `written` set.
 */
export const ReporterView = z.object({
  reportId: text(),
  name: text().nullable(),
  phone: text().nullable(),
  idNumber: text().nullable(),
  email: text().nullable(),
  anonymous: z.boolean(),
  /** True when the caller may see only a masked copy: an officer who does not own the case, the posting client, and anyone when the reporter is anonymous. */
  masked: z.boolean(),
  /**
   * The report's text as written, where intake masked phone or ID numbers in it before passing it on
   * (only the fields that changed; `address` is the location's; `attachments`, every attachment's URL as
   * sent, in order, when a URL's query was masked; `gridCode` and `communityCode`, the location's, when a name
   * or number was masked in them): whole or masked as the rest of this answer is.
   * Absent when the report held no such number.
   */
  written: z
    .object({ title: text().optional(), description: text().optional(), address: text().optional(), attachments: z.array(text()).optional(), gridCode: text().optional(), communityCode: text().optional() })
    .optional(),
});
export type ReporterView = z.infer<typeof ReporterView>;

/** How many reports one reporter lookup (intake's GET /v1/reporters) names at most: the desk asks for a case's first ones. */
export const MAX_REPORTERS_PER_LOOKUP = 20;

/**
 * GET /v1/reporters?reportIds=a,b: the reporters of up to MAX_REPORTERS_PER_LOOKUP reports in one request,
 * for the desk, which asks with the caller's token once per command or page instead of once per report
 * (a case of 16 merged reports spent 16 of the caller's requests a minute at intake per note: audit25 #1).
 * Report ids, comma-separated, each read as GET /v1/reports/{id}/reporter reads it.
 */
export const ReporterLookupQuery = z.strictObject({
  reportIds: text()
    .min(1)
    .max(MAX_REPORTERS_PER_LOOKUP * 201)
    .refine((ids) => ids.split(',').every((id) => id.length >= 1 && id.length <= 200), { message: 'must be report ids (1–200 characters each), comma-separated' })
    .refine((ids) => ids.split(',').length <= MAX_REPORTERS_PER_LOOKUP, { message: `names at most ${MAX_REPORTERS_PER_LOOKUP} reports` }),
});

/**
 * What GET /v1/reporters answers: the reporter of each report asked for that the caller may know, in the
 * order asked, whole or masked as GET /v1/reports/{id}/reporter would show it. A report the caller may not
 * see, without reporter data, or whose informant is withheld from the caller (a tip's) is left out and
 * named in `leftOut` with the status the one-report route answers for it (404 or 403).
 * Every read and every refusal is audited by intake, one entry per report.
 */
export const ReporterLookup = z.object({
  items: z.array(ReporterView),
  leftOut: z.array(z.object({ reportId: text(), status: z.union([z.literal(403), z.literal(404)]) })),
});
export type ReporterLookup = z.infer<typeof ReporterLookup>;

/**
 * The reporters of a case's reports, as intake shows them to the caller (desk's `GET
 * /v1/cases/{caseId}/reporters`, for the 回访 call). Reports without reporter data, or whose reporter
 * this caller may not know (a tip's informant), are left out. Every read is audited by intake.
 */
export const CaseReporters = z.object({ caseId: text(), items: z.array(ReporterView) });
export type CaseReporters = z.infer<typeof CaseReporters>;

/** A record of gridcase.reports.inbound that intake refused (dead-lettered), as its sender sees it: why and when. */
export const InboundRejection = z.object({
  reason: text().describe('why it was refused; never quotes the record'),
  rejectedAt: Instant,
});

/**
 * GET /v1/reports: a page of the client's reports, newest first; asked by externalId, also its records
 * refused on gridcase.reports.inbound under it.
 */
export const ReportList = z.object({
  items: z.array(ReportView),
  nextCursor: text().nullable().describe('pass as cursor for the next page; null on the last page'),
  rejected: z.array(InboundRejection).optional().describe('with ?externalId: records sent under it over Kafka and refused, newest first'),
});
