import { z } from 'zod';
import { text } from './text.ts';
import {
  Assignee,
  Budget,
  CaseStatus,
  ClientRole,
  DeadlineKind,
  Instant,
  Kind,
  Location,
  OfficerRole,
  Outcome,
  Satisfaction,
  Severity,
  VerifyResult,
} from './common.ts';
import { ReceivedAttachment } from './reports.ts';
import { DeskSloBurn } from './alerts.ts';
import { CalendarData } from './calendar.ts';
import { CategoryCatalogue, StaffMap } from './catalogue.ts';
import { Problem } from './http.ts';

/**
 * Who issued a command: the API client, a person's name when the client is a person, the officer the
 * token names (so "an owner" and "not the requester" mean something), and the token's roles.
 */
export const Actor = z.object({
  clientId: text(),
  name: text().optional(),
  officerId: text().optional(),
  roles: z.array(ClientRole).optional(),
});
export type Actor = z.infer<typeof Actor>;

/** A report as it travels after intake. Personal data stays in intake; only whether it exists travels. */
export const ReportReceived = z.object({
  reportId: text(),
  clientId: text(),
  externalId: text(),
  receivedAt: Instant,
  occurredAt: Instant,
  kind: Kind.optional(),
  category: text().optional(),
  title: text().optional(),
  description: text(),
  location: Location,
  respondBy: Instant.optional(),
  resolveBy: Instant.optional(),
  attachments: z.array(ReceivedAttachment).default([]),
  /**
   * `absent`: the report named no reporter at all (no personal data, not marked anonymous); its
   * `anonymous` is then true only in that nobody can be called back, and is not shown as a wish.
   */
  reporter: z.object({ anonymous: z.boolean(), hasContact: z.boolean(), absent: z.boolean().optional() }),
});

/**
 * What chose a case's category in triage: the sender's code, a rule of the case's `ruleVersion`, the
 * learned model (its id names the method and the digest of the labelled reports it was trained on),
 * the sender's kind hint, or nothing (unclassified, for a person to route).
 */
export const CategoryDecision = z.object({
  by: z.enum(['sender', 'rule', 'learned', 'kind-hint', 'none']),
  /** The classification rule's id (by `rule`). */
  rule: text().optional(),
  /** The learned model's id, e.g. `naive-bayes-1@3f2a…` (by `learned`). */
  model: text().optional(),
  /** The learned model's probability for the category (by `learned`). */
  score: z.number().min(0).max(1).optional(),
});

export const CaseOpened = z.object({
  caseId: text(),
  caseNumber: text(),
  reportId: text(),
  station: text(),
  kind: z.union([Kind, z.literal('unclassified')]),
  category: text(),
  severity: Severity,
  title: text().optional(),
  description: text(),
  location: Location,
  respondBy: Instant,
  resolveBy: Instant,
  /** Which rule decided category, severity and deadlines, for the duty desk and audits. */
  rule: text(),
  openedAt: Instant,
  /** The policy's budgets; the case of record uses them for fresh deadlines after rework. */
  budgets: z.object({ respond: Budget, resolve: Budget }).optional(),
  /** Whether the first report names a reporter who is not anonymous (decides 回访 follow-up); absent when it named nobody. */
  reporter: z.object({ anonymous: z.boolean(), hasContact: z.boolean() }).optional(),
  relapse: z.boolean().optional(),
  relatedCaseIds: z.array(text()).optional(),
  /** The version of triage's rules (GET /v1/rules/{version}) that decided category and severity. */
  ruleVersion: z.number().int().min(1).optional(),
  /** What within that version chose the category: a rule, the learned model, the sender, … */
  decidedBy: CategoryDecision.optional(),
});

export const CaseReportMerged = z.object({
  caseId: text(),
  reportId: text(),
  reason: text(),
  mergedAt: Instant,
  /**
   * Whether the merged report has a named, reachable reporter: one owes the case its 回访 as the first
   * report's would. Absent when the report named no reporter at all.
   */
  reporter: z.object({ anonymous: z.boolean(), hasContact: z.boolean() }).optional(),
  /** What the merged report said (free text, withheld from community tokens on a tip as the case's description is). */
  title: text().optional(),
  description: text().optional(),
  /** Deadlines the merged report's sender required: the case keeps the earlier of each and its running one. */
  respondBy: Instant.optional(),
  resolveBy: Instant.optional(),
});

/** Why one person of a post was not the one chosen (never personal data: no names, no leave reasons). */
export const PassedOver = z.enum(['off-duty', 'on-leave', 'more-open-cases', 'later-in-roster', 'wrong-role', 'not-on-call', 'already-owner']);

/**
 * How a post was filled: on duty, else on call, else its off-duty owner anyway, else the desk leader.
 * `ladder-on-duty`: a red case's police post that nobody of the post could take on duty or on call,
 * given to the first on duty up the escalation ladder (the lead, then the duty desk leader, …).
 */
export const FilledBy = z.enum(['on-duty', 'on-call', 'off-duty-owner', 'desk-leader', 'kept', 'none', 'ladder-on-duty']);

/**
 * Why a case went where it did: the reference data and rule used, every person considered for each
 * post and why each not chosen was passed over, and the fallback taken if any.
 */
export const AssignmentDecision = z.object({
  /** The reference-data version routing read; null where versions are not recorded. */
  referenceVersion: z.number().int().min(1).nullable(),
  /** The pairing rule (or `desk`, `handover`) that decided which posts get the case. */
  rule: text(),
  posts: z.array(
    z.object({
      post: OfficerRole,
      chosen: text().nullable(),
      filledBy: FilledBy,
      candidates: z.array(
        z.object({ officerId: text(), role: OfficerRole, openCases: z.number().int().min(0), passedOver: PassedOver.optional() }),
      ),
    }),
  ),
  /** The fallback taken, in words; null when every post had someone on duty. */
  fallback: text().nullable(),
});

export const CaseAssigned = z.object({
  caseId: text(),
  level: z.number().int().min(0),
  assignees: z.array(Assignee),
  policeGridCode: text().optional(),
  gridCode: text().optional(),
  /** How the owners were found: by the report's grid, community, point, the ladder, or a person. */
  routedBy: z.enum(['gridCode', 'communityCode', 'point', 'address', 'desk', 'escalation', 'reassign', 'handover', 'redrawn']),
  /**
   * Why: set when the case went to the duty desk because it could not be routed (and on a handover or
   * redraw); on a reassign, the reason the person gave, if any (staff's words: kept inside the station).
   */
  reason: text().optional(),
  commandId: text().optional(),
  /** Who chose these owners: the command's actor on a reassign; absent when rules did (routing, the ladder, handover, redraw). */
  by: Actor.optional(),
  /** Why these owners: routing, handover, redraw, the ladder (escalation) and reassign all record it; absent on older events. */
  decision: AssignmentDecision.optional(),
  at: Instant,
});

export const CaseAcknowledged = z.object({ caseId: text(), commandId: text(), by: Actor, note: text().optional(), at: Instant });
export const CaseResolved = z.object({
  caseId: text(),
  commandId: text(),
  outcome: Outcome,
  note: text(),
  by: Actor,
  at: Instant,
});
export const CaseReopened = z.object({
  caseId: text(),
  commandId: text(),
  reason: text(),
  by: Actor,
  respondBy: Instant,
  resolveBy: Instant,
  /** The status the case is in now (acknowledged) and how often it went back (返工). */
  status: CaseStatus.optional(),
  reworkCount: z.number().int().min(0).optional(),
  at: Instant,
});
export const CaseNoteAdded = z.object({ caseId: text(), commandId: text(), text: text(), by: Actor, at: Instant });
export const CaseCommandRejected = z.object({
  caseId: text(),
  commandId: text(),
  command: text(),
  reason: text(),
  /**
   * forbidden: this actor may not (HTTP 403); conflict: the case's state forbids it (HTTP 409);
   * invalid: the command names something that does not exist, e.g. an unknown officer (HTTP 400).
   */
  code: z.enum(['forbidden', 'conflict', 'invalid']).optional(),
  /** For `invalid`: the command's bad fields, as a validation problem names them (`officerIds.0`). */
  errors: Problem.shape.errors,
  /** Who issued the command (absent on older events). */
  by: Actor.optional(),
  at: Instant,
});
export const CaseEscalated = z.object({
  caseId: text(),
  fromLevel: z.number().int().min(0),
  level: z.number().int().min(1),
  reason: z.enum(['respond-overdue', 'resolve-overdue', 'verify-overdue', 'follow-up-overdue']),
  /** The deadline that passed. */
  deadline: Instant,
  /** Which clock it was. */
  kind: DeadlineKind.optional(),
  /**
   * Other running clocks already past due when this one escalated (a respond deadline pulled in to a
   * sender's resolveBy passes with it): they start afresh at the new level instead of escalating it
   * again, so they are named here. Absent when none was.
   */
  alsoPassed: z.array(DeadlineKind).min(1).optional(),
  /** The fresh budget the new level gets. */
  respondBy: Instant.optional(),
  resolveBy: Instant,
  at: Instant,
});

const command = { caseId: text(), commandId: text(), by: Actor, at: Instant };

/** 核查: passed → follow-up or closed; failed → back to acknowledged with a fresh resolve budget. */
export const CaseVerified = z.object({
  ...command,
  result: VerifyResult,
  note: text(),
  status: CaseStatus,
  reworkCount: z.number().int().min(0),
});
/** 回访: unsatisfied → back to acknowledged; otherwise closed. */
export const CaseFollowedUp = z.object({
  ...command,
  satisfaction: Satisfaction,
  note: text(),
  status: CaseStatus,
  reworkCount: z.number().int().min(0),
});
/** 结案: the end of the case's life (after verification, and follow-up where there is a reporter). */
export const CaseClosed = z.object({ caseId: text(), reason: z.enum(['verified', 'followed-up']), at: Instant });
/** 延期: an owner asks for more time; a supervisor or the desk decides. */
export const CaseExtensionRequested = z.object({ ...command, until: Instant, reason: text() });
export const CaseExtensionApproved = z.object({ ...command, until: Instant, note: text().optional() });
export const CaseExtensionRejected = z.object({ ...command, reason: text() });
/** 挂账: no clock runs and nothing escalates until resumed. */
export const CaseHeld = z.object({ ...command, reason: text(), until: Instant.optional(), fromStatus: CaseStatus });
/**
 * A resume by a person's command, or by the case of record when the hold's `until` passed
 * (`reason: hold-expired`; then `by` is SYSTEM_ACTOR and `commandId` the hold-expired fact's id).
 */
export const CaseResumed = z.object({
  ...command,
  note: text().optional(),
  status: CaseStatus,
  heldMs: z.number().int().min(0),
  /** Why the case resumed when no person resumed it: its hold's `until` passed. Absent: a resume command. */
  reason: z.enum(['hold-expired']).optional(),
  /**
   * The approved or pending extension's `until` as the case of record moved it with the resolve clock
   * (later by the time held; an approved one stays equal to resolveBy). Absent: no such extension, a hold
   * that stopped no resolve clock (held after resolving), nothing held (heldMs 0), or an event from before this field.
   */
  extensionUntil: Instant.optional(),
});

/**
 * Who acts when no person does: the case of record resuming a hold whose `until` passed. Issued client
 * ids are UUIDv7 and the root token's is `admin`, so this one names no client.
 */
export const SYSTEM_ACTOR = { clientId: 'system' } as const satisfies Actor;

/** The share of a running budget after which its owners are warned (催办, CONTRACT.md "Deadlines"). */
export const WARNING_SHARE = 0.75;

export const RunningDeadline = z.object({
  kind: DeadlineKind,
  startedAt: Instant,
  dueAt: Instant,
  /**
   * When the warning (催办) of this clock falls, as the case of record computed it: for a working-day
   * budget, when WARNING_SHARE of its working time (office hours on working days) has passed, so it
   * reaches the owners in office hours. Between `startedAt` and `dueAt`; a resume moves it with the
   * clock. Absent (minute budgets, and sets from before this field): WARNING_SHARE of the clock time.
   */
  warnAt: Instant.optional(),
});
export type RunningDeadline = z.infer<typeof RunningDeadline>;

/**
 * The clocks running on a case after a change, as decided by the case of record. `version` grows by
 * one with every change, so a mirror (escalation's timers) keeps only the newest set and a fact about
 * an older version is known to be stale. An empty `running` means no clock runs (held or closed).
 */
export const CaseDeadlinesSet = z.object({
  caseId: text(),
  version: z.number().int().min(1),
  level: z.number().int().min(0),
  running: z.array(RunningDeadline),
  /**
   * Clocks the case no longer has at all (back to work after resolving: the verify and follow-up
   * rounds are over), so a reader shows them as none. A clock that stopped but is not listed here
   * (met, or held) keeps its last due time. Absent: none cleared.
   */
  cleared: z.array(DeadlineKind).optional(),
  at: Instant,
  /** The case's station, so the timer service can scope what it shows (CONTRACT.md "Scope and roles"). */
  station: text().optional(),
  /**
   * When the case is on hold with an `until`: the instant it resumes by itself (the timer service
   * answers with `case.hold-expired` of this version). Absent: not held, or held without an end.
   */
  holdUntil: Instant.optional(),
});

/** Facts from the timer service: 75 % of a budget used (催办), and a deadline passed. */
export const CaseDeadlineWarning = z.object({
  caseId: text(),
  kind: DeadlineKind,
  dueAt: Instant,
  version: z.number().int().min(1),
  at: Instant,
});
export const CaseDeadlinePassed = CaseDeadlineWarning;
/**
 * A fact from the timer service: the `holdUntil` of deadlines-set `version` passed. The case of
 * record resumes the case when that version is still its current one, else changes nothing.
 */
export const CaseHoldExpired = z.object({ caseId: text(), until: Instant, version: z.number().int().min(1), at: Instant });

/** Every event type and the schema of its `data`. The one place an event is defined. */
export const EVENT_SCHEMAS = {
  'gridcase.report.received.v1': ReportReceived,
  'gridcase.case.opened.v1': CaseOpened,
  'gridcase.case.report-merged.v1': CaseReportMerged,
  'gridcase.case.assigned.v1': CaseAssigned,
  'gridcase.case.acknowledged.v1': CaseAcknowledged,
  'gridcase.case.resolved.v1': CaseResolved,
  'gridcase.case.reopened.v1': CaseReopened,
  'gridcase.case.note-added.v1': CaseNoteAdded,
  'gridcase.case.command-rejected.v1': CaseCommandRejected,
  'gridcase.case.escalated.v1': CaseEscalated,
  'gridcase.case.verified.v1': CaseVerified,
  'gridcase.case.followed-up.v1': CaseFollowedUp,
  'gridcase.case.closed.v1': CaseClosed,
  'gridcase.case.extension-requested.v1': CaseExtensionRequested,
  'gridcase.case.extension-approved.v1': CaseExtensionApproved,
  'gridcase.case.extension-rejected.v1': CaseExtensionRejected,
  'gridcase.case.held.v1': CaseHeld,
  'gridcase.case.resumed.v1': CaseResumed,
  'gridcase.case.deadlines-set.v1': CaseDeadlinesSet,
  'gridcase.case.deadline-warning.v1': CaseDeadlineWarning,
  'gridcase.case.deadline-passed.v1': CaseDeadlinePassed,
  'gridcase.case.hold-expired.v1': CaseHoldExpired,
  'gridcase.calendar.updated.v1': CalendarData,
  'gridcase.categories.updated.v1': CategoryCatalogue,
  'gridcase.desk.slo-burn.v1': DeskSloBurn,
  'gridcase.staff.updated.v1': StaffMap,
} as const;
