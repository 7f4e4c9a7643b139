import { WorkingCalendar } from '@gridcase/calendar';
import {
  type Actor,
  type Assignee,
  type Budget,
  type CaseStatus,
  type CommandType,
  type DataOf,
  type EventType,
  type FieldIssue,
  EXTENSION_UNTIL_NOT_AFTER_NOW,
  overtakenExtension,
  HOLD_UNTIL_NOT_AFTER_NOW,
  type Officer,
  type Outcome,
  REASSIGN_REFUSALS,
  SYSTEM_ACTOR,
} from '@gridcase/contracts';
import {
  budgetClock,
  type Clock,
  clearedClocks,
  clockOf,
  clocksChanged,
  type Deadlines,
  deadlinesSetData,
  extendedClock,
  FOLLOW_UP_WORKING_DAYS,
  holdUntil,
  RUNNING,
  shiftClocks,
  VERIFY_WORKING_DAYS,
} from './deadlines.ts';
import { isTip, needsPolice } from './pairing.ts';
import { toAssignee } from './people.ts';
import { dutyStatus, leaveEnds, type Roster } from './roster.ts';
import { type RoutingData, routeCase } from './routing.ts';

/** 挂账: when the case was put on hold, why, until when (it then resumes by itself), and the status it returns to. */
export interface Hold {
  since: Date;
  reason: string;
  until: Date | null;
  fromStatus: CaseStatus;
}

/** The latest extension request (延期) and its fate; `requestedBy` decides "not the requester". */
export interface Extension {
  until: Date;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: Actor;
}

/** The case of record, as the domain sees it. */
export interface CaseRecord {
  caseId: string;
  caseNumber: string;
  station: string;
  status: CaseStatus;
  level: number;
  category: string;
  severity: string;
  assignees: Assignee[];
  policeGridCode: string | null;
  gridCode: string | null;
  /** How the current owners were found (routing, the ladder, or a person). */
  routedBy: string;
  /** Why the case sits with the duty desk, when it could not be routed. */
  unroutableReason: string | null;
  /** The reference-data version the current place and owners were routed with (absent: before versions). */
  referenceVersion?: number | null;
  openedAt: Date;
  deadlines: Deadlines;
  /** +1 with every change of the running clocks or the level; a deadline fact of another version is stale. */
  deadlineVersion: number;
  /** The policy's budgets from case.opened, for a fresh resolve budget after rework. */
  budgets: { respond: Budget; resolve: Budget } | null;
  /** The first resolve budget (resolveBy − openedAt), when case.opened carried no budgets. */
  resolveBudgetMs: number;
  reporter: { anonymous: boolean; hasContact: boolean } | null;
  relapse: boolean;
  relatedCaseIds: string[];
  reworkCount: number;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  resolvedBy: Actor | null;
  outcome: Outcome | null;
  hold: Hold | null;
  extension: Extension | null;
  extensionsApproved: number;
  updatedAt: Date;
}

type Emitted = Extract<
  EventType,
  | 'gridcase.case.assigned.v1'
  | 'gridcase.case.acknowledged.v1'
  | 'gridcase.case.resolved.v1'
  | 'gridcase.case.reopened.v1'
  | 'gridcase.case.note-added.v1'
  | 'gridcase.case.command-rejected.v1'
  | 'gridcase.case.escalated.v1'
  | 'gridcase.case.verified.v1'
  | 'gridcase.case.followed-up.v1'
  | 'gridcase.case.closed.v1'
  | 'gridcase.case.extension-requested.v1'
  | 'gridcase.case.extension-approved.v1'
  | 'gridcase.case.extension-rejected.v1'
  | 'gridcase.case.held.v1'
  | 'gridcase.case.resumed.v1'
  | 'gridcase.case.deadlines-set.v1'
>;
/** An event the case of record emits, before it is put in an envelope. */
export type CaseEvent = { [T in Emitted]: { type: T; data: DataOf<T> } }[Emitted];
export type CaseCommand = { [T in CommandType]: { type: T; data: DataOf<T> } }[CommandType];

/** What the case decides with besides itself: the time, the roster (reassign) and the working-day calendar. */
export interface DecideContext {
  now: Date;
  officers: readonly Officer[];
  calendar: WorkingCalendar;
  /** Shifts, on-call and leave by officerId (reassign: at least those of the people it names); absent: none has any. */
  duty?: ReadonlyMap<string, Roster>;
}

/**
 * `after` with a new deadline version and its `case.deadlines-set` when the running clocks or the
 * level changed, or a clock ended (named in `cleared`, so the desk shows it as none), so escalation's
 * timers and the desk follow every change in the same transaction. The set goes first: a reader that
 * waits for the command's own event (the desk's `?wait=true`) then already shows the new deadlines with it.
 */
export function withDeadlinesSet(before: CaseRecord, after: CaseRecord, events: CaseEvent[], now: Date): { record: CaseRecord; events: CaseEvent[] } {
  const cleared = clearedClocks(before.deadlines, after.deadlines);
  if (!clocksChanged(before, after) && cleared.length === 0) return { record: after, events };
  const record = { ...after, deadlineVersion: before.deadlineVersion + 1 };
  return { record, events: [{ type: 'gridcase.case.deadlines-set.v1', data: deadlinesSetData(record.caseId, record, now, cleared) }, ...events] };
}

/**
 * A new case from `case.opened`: routed, at level 0, deadline version 1, with its budgets remembered.
 * A working-day budget's clock warns at 75 % of its working time on `calendar` (absent: plain Monday–Friday).
 */
export function openCase(opened: DataOf<'gridcase.case.opened.v1'>, data: RoutingData, now: Date, calendar: WorkingCalendar = WorkingCalendar.of()) {
  const route = routeCase(opened.location, data, { category: opened.category, severity: opened.severity, at: now });
  const openedAt = new Date(opened.openedAt);
  const resolveBy = new Date(opened.resolveBy);
  const record: CaseRecord = {
    caseId: opened.caseId,
    caseNumber: opened.caseNumber,
    station: opened.station,
    status: 'open',
    level: 0,
    category: opened.category,
    severity: opened.severity,
    assignees: route.assignees,
    policeGridCode: route.policeGridCode ?? null,
    gridCode: route.gridCode ?? null,
    routedBy: route.routedBy,
    unroutableReason: route.reason ?? null,
    referenceVersion: data.referenceVersion ?? null,
    openedAt,
    deadlines: {
      respond: clockOf(openedAt, new Date(opened.respondBy), opened.budgets?.respond, calendar),
      resolve: clockOf(openedAt, resolveBy, opened.budgets?.resolve, calendar),
    },
    deadlineVersion: 1,
    budgets: opened.budgets ?? null,
    resolveBudgetMs: Math.max(0, resolveBy.getTime() - openedAt.getTime()),
    reporter: opened.reporter ?? null,
    relapse: opened.relapse ?? false,
    relatedCaseIds: opened.relatedCaseIds ?? [],
    reworkCount: 0,
    acknowledgedAt: null,
    resolvedAt: null,
    resolvedBy: null,
    outcome: null,
    hold: null,
    extension: null,
    extensionsApproved: 0,
    updatedAt: now,
  };
  const events: CaseEvent[] = [
    {
      type: 'gridcase.case.assigned.v1',
      data: {
        caseId: opened.caseId,
        level: 0,
        assignees: route.assignees,
        policeGridCode: route.policeGridCode,
        gridCode: route.gridCode,
        routedBy: route.routedBy,
        reason: route.reason,
        decision: route.decision,
        at: now.toISOString(),
      },
    },
    { type: 'gridcase.case.deadlines-set.v1', data: deadlinesSetData(record.caseId, record, now) },
  ];
  return { record, events, route };
}

export type CommandDecision =
  | { kind: 'accepted'; record: CaseRecord; events: CaseEvent[]; note?: { text: string } }
  | { kind: 'rejected'; code: 'forbidden' | 'conflict' | 'invalid'; reason: string; events: CaseEvent[] };

/** 'gridcase.case-command.extension-approve.v1' → 'extension-approve'. */
export const commandName = (type: CommandType): string => type.split('.')[2] ?? type;

// ── Who may ──

const hasRole = (by: Actor, ...roles: string[]): boolean => !!by.roles?.some((r) => r === 'admin' || roles.includes(r));
/** An owner: the token names an officer among the assignees (admin may do what an owner may). */
const isOwner = (record: CaseRecord, by: Actor): boolean =>
  hasRole(by) || (!!by.officerId && record.assignees.some((a) => a.officerId === by.officerId));
/** The same person: the same client, or tokens naming the same officer. */
const samePerson = (a: Actor, b: Actor): boolean => a.clientId === b.clientId || (!!a.officerId && a.officerId === b.officerId);

type Who = 'anyone' | 'owner' | 'owner, desk or supervisor' | 'officer owner, desk or supervisor' | 'desk or supervisor';
const allowed = (who: Who, record: CaseRecord, by: Actor): boolean => {
  switch (who) {
    case 'anyone':
      return true;
    case 'owner':
      return isOwner(record, by);
    case 'owner, desk or supervisor':
      return isOwner(record, by) || hasRole(by, 'desk', 'supervisor');
    case 'officer owner, desk or supervisor':
      return (hasRole(by, 'officer') && isOwner(record, by)) || hasRole(by, 'desk', 'supervisor');
    case 'desk or supervisor':
      return hasRole(by, 'desk', 'supervisor');
  }
};

const WHO_SAYS: Record<Who, string> = {
  anyone: 'anyone',
  owner: 'an owner of the case',
  'owner, desk or supervisor': 'an owner of the case, the desk or a supervisor',
  'officer owner, desk or supervisor': 'an officer who owns the case, the desk or a supervisor',
  'desk or supervisor': 'the desk or a supervisor',
};

type Name =
  | 'acknowledge'
  | 'resolve'
  | 'reassign'
  | 'note'
  | 'reopen'
  | 'verify'
  | 'follow-up'
  | 'extension'
  | 'extension-approve'
  | 'extension-reject'
  | 'hold'
  | 'resume';

/** Who may issue each command and from which statuses (CONTRACT.md, "The life of a case"). */
const RULES: Record<Name, { who: Who; from?: readonly CaseStatus[] }> = {
  acknowledge: { who: 'owner, desk or supervisor', from: ['open'] },
  resolve: { who: 'owner, desk or supervisor', from: ['open', 'acknowledged'] },
  // An officer gives away only a case it owns: never takes another's, nor one escalated above it.
  reassign: { who: 'officer owner, desk or supervisor', from: ['open', 'acknowledged'] },
  note: { who: 'anyone' },
  reopen: { who: 'desk or supervisor', from: ['resolved', 'follow-up', 'closed'] },
  verify: { who: 'desk or supervisor', from: ['resolved'] },
  'follow-up': { who: 'owner, desk or supervisor', from: ['follow-up'] },
  extension: { who: 'owner', from: ['open', 'acknowledged'] },
  'extension-approve': { who: 'desk or supervisor', from: ['open', 'acknowledged'] },
  'extension-reject': { who: 'desk or supervisor' },
  hold: { who: 'desk or supervisor', from: ['open', 'acknowledged', 'resolved', 'follow-up'] },
  resume: { who: 'desk or supervisor', from: ['on-hold'] },
};

type ReporterFlags = { anonymous: boolean; hasContact: boolean };
const named = (r: ReporterFlags | null | undefined): r is ReporterFlags => !!r && !r.anonymous;

/**
 * The reporter a case owes its follow-up (回访) to, once another report was merged into it: a named one
 * over an anonymous one or none, a reachable named one over one without contact. Never the reverse: a
 * merged anonymous report does not take back the call the first reporter is owed.
 */
export function reporterAfterMerge(current: ReporterFlags | null, merged: ReporterFlags | undefined): ReporterFlags | null {
  if (!named(merged)) return current;
  if (!named(current) || (merged.hasContact && !current.hasContact)) return merged;
  return current;
}

/**
 * What a report merged into the case (case.report-merged) changes: the reporter owed the follow-up
 * (reporterAfterMerge), and each deadline its sender required that is earlier than the case's running
 * one (CONTRACT.md: "the case keeps the earlier of this and its policy") but not already past: a
 * deadline that has passed asks nothing that can still be met, and would only make a case another
 * sender's report opened overdue at once and escalate it away from its owners. Only a running clock moves:
 * `respondBy` while the case is open, `resolveBy` while open or acknowledged; a held, resolved or
 * closed case keeps its clocks. The clock keeps its start (its 75 % warning falls within the shorter
 * budget). A moved clock is a new deadline version with its `case.deadlines-set`, so the desk and
 * escalation's timers follow, as after an extension. A running respond clock never ends after the
 * resolve clock the merge moved. Undefined when nothing changes.
 */
export function decideReportMerged(
  record: CaseRecord,
  merged: Pick<DataOf<'gridcase.case.report-merged.v1'>, 'reporter' | 'respondBy' | 'resolveBy'>,
  now: Date,
): { record: CaseRecord; events: CaseEvent[] } | undefined {
  const reporter = reporterAfterMerge(record.reporter, merged.reporter);
  const deadlines: Deadlines = { ...record.deadlines };
  const required = { respond: merged.respondBy, resolve: merged.resolveBy } as const;
  for (const kind of ['respond', 'resolve'] as const) {
    const due = required[kind] ? new Date(required[kind]) : undefined;
    const clock = deadlines[kind];
    if (!due || due.getTime() <= now.getTime() || !RUNNING[record.status].includes(kind) || due.getTime() >= clock.dueAt.getTime()) continue;
    deadlines[kind] = { startedAt: new Date(Math.min(due.getTime(), clock.startedAt.getTime())), dueAt: due };
  }
  // A case to be resolved by then must be acknowledged by then too, as triage has it for one report:
  // respondBy never falls after a resolveBy the merge pulled in (audit19 #4).
  const { respond, resolve } = deadlines;
  if (resolve !== record.deadlines.resolve && RUNNING[record.status].includes('respond') && respond.dueAt.getTime() > resolve.dueAt.getTime()) {
    deadlines.respond = { startedAt: new Date(Math.min(resolve.dueAt.getTime(), respond.startedAt.getTime())), dueAt: resolve.dueAt };
  }
  const moved = deadlines.respond !== record.deadlines.respond || deadlines.resolve !== record.deadlines.resolve;
  if (!moved && reporter === record.reporter) return undefined;
  return withDeadlinesSet(record, { ...record, reporter, deadlines, updatedAt: now }, [], now);
}

/**
 * Follow-up (回访) is owed where the report has a reporter who is not anonymous and the outcome is one to
 * ask about (CONTRACT.md "The life of a case"); one without a phone is still visited (or `unreachable`).
 */
const owesFollowUp = (record: CaseRecord): boolean =>
  !!record.reporter && !record.reporter.anonymous && (record.outcome === 'mediated' || record.outcome === 'resolved');

/** A fresh resolve budget from now (rework, 返工): the policy's, else the first one in minutes. */
function freshResolve(record: CaseRecord, now: Date, calendar: WorkingCalendar): Clock {
  return record.budgets ? budgetClock(now, record.budgets.resolve, calendar) : { startedAt: now, dueAt: new Date(now.getTime() + record.resolveBudgetMs) };
}

/**
 * Back to acknowledged with one more rework and a fresh resolve budget. The verify and follow-up
 * clocks are dropped, not kept: that round is over, and the next resolve starts a new one.
 */
function rework(record: CaseRecord, now: Date, calendar: WorkingCalendar): CaseRecord {
  return {
    ...record,
    status: 'acknowledged',
    reworkCount: record.reworkCount + 1,
    deadlines: { respond: record.deadlines.respond, resolve: freshResolve(record, now, calendar) },
    resolvedAt: null,
    resolvedBy: null,
    outcome: null,
  };
}

const iso = (d: Date) => d.toISOString();

/**
 * What a command does to the case of record. First who may (else `forbidden`), then whether the
 * status allows it (else `conflict`), then the command's own rules; each rejection says why. An
 * accepted command that changes the running clocks or the level gets a new deadline version.
 */
export function decideCommand(record: CaseRecord | undefined, command: CaseCommand, ctx: DecideContext): CommandDecision {
  const { caseId, commandId, by } = command.data;
  const name = commandName(command.type) as Name;
  const at = iso(ctx.now);
  const reject = (code: 'forbidden' | 'conflict' | 'invalid', reason: string, errors?: FieldIssue[]): CommandDecision => ({
    kind: 'rejected',
    code,
    reason,
    events: [{ type: 'gridcase.case.command-rejected.v1', data: { caseId, commandId, command: name, reason, code, ...(errors ? { errors } : {}), by, at } }],
  });
  if (!record) return reject('conflict', `unknown case ${caseId} (not opened here, or not yet)`);
  const rule = RULES[name];
  if (!allowed(rule.who, record, by)) {
    const owners = record.assignees.map((a) => a.officerId).join(', ') || 'nobody';
    const roles = by.roles?.join(', ') || 'no role';
    const detail = rule.who.includes('owner') ? ` (owners: ${owners}; this token is ${roles} and names ${by.officerId ? `officer ${by.officerId}` : 'no officer'})` : '';
    return reject('forbidden', `only ${WHO_SAYS[rule.who]} may ${name} this case${detail}`);
  }
  if (rule.from && !rule.from.includes(record.status)) {
    return reject('conflict', `case is ${record.status}; ${name} needs a case that is ${rule.from.join(' or ')}`);
  }
  const base: CaseRecord = { ...record, updatedAt: ctx.now };
  const accept = (next: CaseRecord, events: CaseEvent[], note?: { text: string }): CommandDecision => ({
    kind: 'accepted',
    ...withDeadlinesSet(record, next, events, ctx.now),
    ...(note ? { note } : {}),
  });
  const common = { caseId, commandId, by, at };

  switch (command.type) {
    case 'gridcase.case-command.acknowledge.v1':
      return accept({ ...base, status: 'acknowledged', acknowledgedAt: ctx.now }, [
        { type: 'gridcase.case.acknowledged.v1', data: { ...common, note: command.data.note } },
      ]);
    case 'gridcase.case-command.resolve.v1': {
      const { outcome, note } = command.data;
      const verify = budgetClock(ctx.now, { workingDays: VERIFY_WORKING_DAYS }, ctx.calendar);
      return accept(
        { ...base, status: 'resolved', resolvedAt: ctx.now, resolvedBy: { clientId: by.clientId, officerId: by.officerId }, outcome, deadlines: { ...base.deadlines, verify } },
        [{ type: 'gridcase.case.resolved.v1', data: { ...common, outcome, note } }],
      );
    }
    case 'gridcase.case-command.verify.v1': {
      if (record.resolvedBy && samePerson(by, record.resolvedBy)) return reject('forbidden', 'the one who resolved a case may not verify it (核查 needs another person)');
      const { result, note } = command.data;
      if (result === 'failed') {
        const next = rework(base, ctx.now, ctx.calendar);
        return accept(next, [{ type: 'gridcase.case.verified.v1', data: { ...common, result, note, status: next.status, reworkCount: next.reworkCount } }]);
      }
      if (owesFollowUp(record)) {
        const followUp = budgetClock(ctx.now, { workingDays: FOLLOW_UP_WORKING_DAYS }, ctx.calendar);
        const next: CaseRecord = { ...base, status: 'follow-up', deadlines: { ...base.deadlines, 'follow-up': followUp } };
        return accept(next, [{ type: 'gridcase.case.verified.v1', data: { ...common, result, note, status: next.status, reworkCount: next.reworkCount } }]);
      }
      return accept({ ...base, status: 'closed' }, [
        { type: 'gridcase.case.verified.v1', data: { ...common, result, note, status: 'closed', reworkCount: record.reworkCount } },
        { type: 'gridcase.case.closed.v1', data: { caseId, reason: 'verified', at } },
      ]);
    }
    case 'gridcase.case-command.follow-up.v1': {
      const { satisfaction, note } = command.data;
      if (satisfaction === 'unsatisfied') {
        const next = rework(base, ctx.now, ctx.calendar);
        return accept(next, [{ type: 'gridcase.case.followed-up.v1', data: { ...common, satisfaction, note, status: next.status, reworkCount: next.reworkCount } }]);
      }
      return accept({ ...base, status: 'closed' }, [
        { type: 'gridcase.case.followed-up.v1', data: { ...common, satisfaction, note, status: 'closed', reworkCount: record.reworkCount } },
        { type: 'gridcase.case.closed.v1', data: { caseId, reason: 'followed-up', at } },
      ]);
    }
    case 'gridcase.case-command.reopen.v1': {
      const next = rework(base, ctx.now, ctx.calendar);
      return accept(next, [
        {
          type: 'gridcase.case.reopened.v1',
          data: {
            ...common,
            reason: command.data.reason,
            respondBy: iso(next.deadlines.respond.dueAt),
            resolveBy: iso(next.deadlines.resolve.dueAt),
            status: next.status,
            reworkCount: next.reworkCount,
          },
        },
      ]);
    }
    case 'gridcase.case-command.extension.v1': {
      const until = new Date(command.data.until);
      // Judged at the command's issue, as a hold's until is: an overdue case's resolveBy is already past,
      // and an extension that ends before it was asked for would be overdue the moment it is approved.
      if (until.getTime() <= new Date(command.data.issuedAt).getTime()) {
        return reject('invalid', `until ${iso(until)} is not after the extension was asked for (${command.data.issuedAt})`, [
          { path: 'until', message: EXTENSION_UNTIL_NOT_AFTER_NOW },
        ]);
      }
      const resolveBy = record.deadlines.resolve.dueAt;
      if (until.getTime() <= resolveBy.getTime()) return reject('conflict', `until ${iso(until)}: an extension must end after the current resolveBy ${iso(resolveBy)}`);
      if (record.extension?.status === 'pending') return reject('conflict', `an extension until ${iso(record.extension.until)} is already pending`);
      if (record.extensionsApproved >= MAX_EXTENSIONS) return reject('conflict', `this case already had ${MAX_EXTENSIONS} extensions approved, the most it may have`);
      const extension: Extension = { until, reason: command.data.reason, status: 'pending', requestedBy: { clientId: by.clientId, officerId: by.officerId } };
      return accept({ ...base, extension }, [{ type: 'gridcase.case.extension-requested.v1', data: { ...common, until: iso(until), reason: command.data.reason } }]);
    }
    case 'gridcase.case-command.extension-approve.v1':
    case 'gridcase.case-command.extension-reject.v1': {
      const pending = record.extension?.status === 'pending' ? record.extension : undefined;
      if (!pending) return reject('conflict', 'no extension is pending on this case');
      if (samePerson(by, pending.requestedBy)) return reject('forbidden', `the one who asked for an extension may not ${name === 'extension-approve' ? 'approve' : 'reject'} it`);
      if (command.type === 'gridcase.case-command.extension-reject.v1') {
        return accept({ ...base, extension: { ...pending, status: 'rejected' } }, [
          { type: 'gridcase.case.extension-rejected.v1', data: { ...common, reason: command.data.reason } },
        ]);
      }
      // Judged at the command's issue, as the request was.
      const overtaken = overtakenExtension(pending.until, record.deadlines.resolve.dueAt, new Date(command.data.issuedAt));
      if (overtaken) return reject('conflict', overtaken);
      // The extension is a fresh grant from now: the warning falls at 75 % of the time granted (working time, for a working-day clock).
      const resolve = extendedClock(record.deadlines.resolve, ctx.now, pending.until, ctx.calendar);
      return accept(
        { ...base, extension: { ...pending, status: 'approved' }, extensionsApproved: record.extensionsApproved + 1, deadlines: { ...base.deadlines, resolve } },
        [{ type: 'gridcase.case.extension-approved.v1', data: { ...common, until: iso(pending.until), note: command.data.note } }],
      );
    }
    case 'gridcase.case-command.hold.v1': {
      const { reason } = command.data;
      const until = command.data.until ? new Date(command.data.until) : null;
      // Judged at the command's issue, as the desk judged it: a command that waited (the database away)
      // is not refused for the time it waited.
      if (until && until.getTime() <= new Date(command.data.issuedAt).getTime()) {
        return reject('invalid', `until ${iso(until)} is not after the hold begins (${at})`, [{ path: 'until', message: HOLD_UNTIL_NOT_AFTER_NOW }]);
      }
      const hold: Hold = { since: ctx.now, reason, until, fromStatus: record.status };
      // Echoed normalised, as every other instant (the client's string may carry any offset).
      const echo = until ? { until: iso(until) } : {};
      return accept({ ...base, status: 'on-hold', hold }, [{ type: 'gridcase.case.held.v1', data: { ...common, reason, ...echo, fromStatus: record.status } }]);
    }
    case 'gridcase.case-command.resume.v1': {
      const { next, event } = resume(base, ctx.now, { commandId, by, note: command.data.note });
      return accept(next, [event]);
    }
    case 'gridcase.case-command.note.v1':
      return accept(base, [{ type: 'gridcase.case.note-added.v1', data: { ...common, text: command.data.text } }], { text: command.data.text });
    case 'gridcase.case-command.reassign.v1': {
      const ids = [...new Set(command.data.officerIds)];
      const byId = new Map(ctx.officers.map((o) => [o.officerId, o]));
      // Every id that may not own the case, named by position at once (unknown, a grid worker out of place,
      // on leave), as a validation problem names fields: the desk answers 400 with them, without the id.
      const misfits = command.data.officerIds.flatMap((id, i) => {
        const officer = byId.get(id);
        const why = officer ? (gridWorkerMisfit(record, officer) ?? onLeaveMisfit(ctx.duty?.get(id)?.leave, ctx.now)) : UNKNOWN_OFFICER;
        return why ? [{ id, path: `officerIds.${i}`, why }] : [];
      });
      if (misfits.length) {
        // A station's officer by id; an id the station does not have by its place, never quoted (it may be
        // anything typed into the field: a phone number), as errors never quote the input.
        const named = (m: (typeof misfits)[number]) => (byId.has(m.id) ? m.id : m.path);
        const reason = [...new Map(misfits.map((m) => [named(m), `${named(m)}: ${m.why.reason}`])).values()].join('; ');
        return reject('invalid', `may not own this case: ${reason}`, misfits.map((m) => ({ path: m.path, message: m.why.message })));
      }
      // As routing does (pairing.ts): a red or orange case is never left to civilian grid workers alone.
      if (needsPolice(record.severity) && ids.every((id) => byId.get(id)?.role === 'gridWorker')) {
        return reject('invalid', `a ${record.severity} case needs a police officer among its owners; only grid workers were named`, [
          { path: 'officerIds', message: NEEDS_POLICE },
        ]);
      }
      const assignees = ids.map((id) => toAssignee(byId.get(id) as Officer));
      return accept({ ...base, assignees, routedBy: 'reassign' }, [
        {
          type: 'gridcase.case.assigned.v1',
          data: {
            caseId,
            level: record.level,
            assignees,
            policeGridCode: record.policeGridCode ?? undefined,
            gridCode: record.gridCode ?? undefined,
            routedBy: 'reassign',
            ...(command.data.reason ? { reason: command.data.reason } : {}),
            commandId,
            by,
            // Chosen by a person, not by rules: the posts are who they named; nobody else was considered.
            decision: {
              referenceVersion: record.referenceVersion ?? null,
              rule: 'reassign',
              posts: ids.map((id) => {
                const officer = byId.get(id) as Officer;
                // On duty by the rosters now, as routing weighs it, not the stored flag (audit22 #4).
                const onDuty = dutyStatus(officer, ctx.duty?.get(id), ctx.now) === 'on-duty';
                return { post: officer.role, chosen: id, filledBy: onDuty ? ('on-duty' as const) : ('off-duty-owner' as const), candidates: [] };
              }),
              fallback: null,
            },
            at,
          },
        },
      ]);
    }
  }
}

/**
 * Back to the status before the hold, every clock of that status moved later by the time held, and an
 * approved or pending extension's `until` with them (an approved one stays equal to resolveBy: audit18 #5); the event names
 * that until (`extensionUntil`) for the desk to show; by a person's resume command, or by the case of record when the hold's `until` passed.
 */
function resume(
  record: CaseRecord,
  now: Date,
  how: { commandId: string; by: Actor; note?: string | undefined; reason?: 'hold-expired' },
): { next: CaseRecord; event: CaseEvent } {
  const hold = record.hold as Hold;
  const heldMs = Math.max(0, now.getTime() - hold.since.getTime());
  const deadlines = shiftClocks(record.deadlines, RUNNING[hold.fromStatus], heldMs);
  const { extension } = record;
  // A pending request's until moves too: it was asked for against the resolveBy the hold has moved, and
  // kept where it was it could fall before it, and no longer be approvable (audit19 #2). Only where the
  // hold stopped the resolve clock: a case held after it was resolved had no resolveBy running to move.
  const resolveHeld = RUNNING[hold.fromStatus].includes('resolve');
  const moved = extension && extension.status !== 'rejected' && resolveHeld && heldMs > 0 ? { ...extension, until: new Date(extension.until.getTime() + heldMs) } : undefined;
  const { commandId, by, note, reason } = how;
  return {
    next: { ...record, status: hold.fromStatus, hold: null, deadlines, extension: moved ?? extension, updatedAt: now },
    event: {
      type: 'gridcase.case.resumed.v1',
      // The moved until is named, so a reader shows it rather than working it out again.
      data: {
        caseId: record.caseId,
        commandId,
        by,
        at: iso(now),
        note,
        status: hold.fromStatus,
        heldMs,
        ...(reason ? { reason } : {}),
        ...(moved ? { extensionUntil: iso(moved.until) } : {}),
      },
    },
  };
}

export type HoldExpiredDecision = { kind: 'ignored'; reason: string } | { kind: 'resumed'; record: CaseRecord; events: CaseEvent[] };

/**
 * A hold's `until` passed (the timer service's fact, whose envelope id is `factId`): the case resumes
 * exactly as a resume command would, by SYSTEM_ACTOR with `reason: hold-expired` and the fact's id as
 * its command id. Only when the fact is about the hold the case has now: its deadline version is the
 * case's current one (a resume by hand, a new hold or any other change of the clocks makes it stale)
 * and that hold ends at the fact's `until`. Otherwise nothing changes.
 */
export function decideHoldExpired(record: CaseRecord, fact: DataOf<'gridcase.case.hold-expired.v1'>, factId: string, now: Date): HoldExpiredDecision {
  if (fact.version !== record.deadlineVersion) {
    return { kind: 'ignored', reason: `stale: the fact is about deadline version ${fact.version}, the case is at version ${record.deadlineVersion}` };
  }
  const until = holdUntil(record);
  if (!until) return { kind: 'ignored', reason: `the case is ${record.status}${record.status === 'on-hold' ? ' without an until' : ''}, not held until ${fact.until}` };
  if (until.getTime() !== Date.parse(fact.until)) return { kind: 'ignored', reason: `the hold ends ${iso(until)}, not ${fact.until}` };
  const { next, event } = resume(record, now, { commandId: factId, by: SYSTEM_ACTOR, reason: 'hold-expired' });
  return { kind: 'resumed', ...withDeadlinesSet(record, next, [event], now) };
}

/** Why a reassign names an officer it may not: said of the field, without quoting the id. */
const UNKNOWN_OFFICER = { message: 'no officer of the station has this id', reason: 'unknown officer' };
/** Why a reassign of a red or orange case to grid workers alone is refused. */
const NEEDS_POLICE = REASSIGN_REFUSALS.needsPolice;

/**
 * Why this officer may not own this case, or undefined. A grid worker is never on a tip (CONTRACT.md
 * "Scope and roles", as routing's tip-police-only) and owns only cases of their own community grid:
 * their community token sees nothing else, so elsewhere they would own a case they cannot act on.
 * `message` is for the field (no id, no name); `reason` for the rejection event and the log.
 */
export function gridWorkerMisfit(record: Pick<CaseRecord, 'category' | 'gridCode'>, officer: Officer): { message: string; reason: string } | undefined {
  if (officer.role !== 'gridWorker') return undefined;
  if (isTip(record.category)) {
    return { message: REASSIGN_REFUSALS.gridWorkerTip, reason: `a grid worker, and the case is a tip (${record.category})` };
  }
  if (!record.gridCode || officer.gridCode !== record.gridCode) {
    return {
      message: REASSIGN_REFUSALS.gridWorkerOtherGrid,
      reason: `a grid worker of ${officer.gridCode ?? 'no grid'}, and the case is in ${record.gridCode ?? 'no community grid'}`,
    };
  }
  return undefined;
}

/**
 * Why a person on leave at `now` may not be given a case (routing never picks them either): the desk
 * may call in someone off shift, but not someone away. Said with the day the leave ends, no reason.
 */
export function onLeaveMisfit(leave: Roster['leave'] | undefined, now: Date): { message: string; reason: string } | undefined {
  const until = leave && leaveEnds(leave, now);
  if (!until) return undefined;
  return { message: `this person is on leave until ${iso(until)} and cannot take a case now`, reason: `on leave until ${iso(until)}` };
}

/** At most this many extensions are approved per case. */
export const MAX_EXTENSIONS = 2;
