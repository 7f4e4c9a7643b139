import type { Actor, Assignee, CaseStatus, DataOf, DeadlineKind, EventType, Outcome, Severity } from '@gridcase/contracts';

/** 挂账 as the desk shows it (ISO instants: the value is stored as JSON; older rows may lack `until`). */
export interface Hold {
  since: string;
  reason: string;
  until?: string | null;
}

/** A hold as answered: `until` normalised like every other instant, and absent when none was given (CONTRACT.md: `until?`). */
export const holdView = (h: Hold) => ({ since: h.since, reason: h.reason, ...(h.until ? { until: new Date(h.until).toISOString() } : {}) });

/** The latest 延期 request, with who asked (approve/reject may not be by the requester). */
export interface Extension {
  until: string;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: Actor | null;
}

/** The desk's picture of one case, as its events describe it. */
export interface CaseState {
  caseId: string;
  caseNumber: string | null;
  station: string | null;
  status: CaseStatus;
  level: number;
  category: string | null;
  severity: Severity | null;
  kind: string | null;
  title: string | null;
  description: string | null;
  assignees: Assignee[];
  policeGridCode: string | null;
  gridCode: string | null;
  respondBy: Date | null;
  resolveBy: Date | null;
  reports: string[];
  openedAt: Date;
  /** The first acknowledgement: time to acknowledge is measured to it, whatever reopens follow. */
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  outcome: Outcome | null;
  escalations: number;
  lastEventAt: Date;
  lastTraceparent: string | null;
  reworkCount: number;
  relapse: boolean;
  relatedCaseIds: string[];
  verifyBy: Date | null;
  followUpBy: Date | null;
  hold: Hold | null;
  extension: Extension | null;
  /** Approved extensions so far (the contract allows two per case). */
  extensionsApproved: number;
  warnings: number;
  /** The newest case.deadlines-set version applied; an older or equal one changes nothing. */
  deadlinesVersion: number;
  /** Who resolved it last (verification may not be by them). */
  resolvedBy: Actor | null;
  /**
   * Clocks the case was escalated for whose step is not done yet (respond until acknowledged, …):
   * the next level's fresh deadline does not make the case on time again (domain/deadlines.ts isOverdue).
   */
  missedDeadlines: DeadlineKind[];
}

export type CaseEventType = Extract<EventType, `gridcase.case.${string}`>;

/** A case event as the projection needs it: the envelope's id, type and time, and the data. */
export type CaseEvent = {
  [T in CaseEventType]: { id: string; type: T; time: Date; data: DataOf<T>; traceparent?: string | undefined };
}[CaseEventType];

export const isCaseEventType = (type: string): type is CaseEventType => type.startsWith('gridcase.case.');

/**
 * What the desk knows of a case first seen through an event other than case.opened (the opened
 * event was lost or dead-lettered): its id, and that it exists since then. case.opened fills in the rest.
 */
export function emptyCase(caseId: string, seenAt: Date): CaseState {
  return {
    caseId,
    caseNumber: null,
    station: null,
    status: 'open',
    level: 0,
    category: null,
    severity: null,
    kind: null,
    title: null,
    description: null,
    assignees: [],
    policeGridCode: null,
    gridCode: null,
    respondBy: null,
    resolveBy: null,
    reports: [],
    openedAt: seenAt,
    acknowledgedAt: null,
    resolvedAt: null,
    outcome: null,
    escalations: 0,
    lastEventAt: seenAt,
    lastTraceparent: null,
    reworkCount: 0,
    relapse: false,
    relatedCaseIds: [],
    verifyBy: null,
    followUpBy: null,
    hold: null,
    extension: null,
    extensionsApproved: 0,
    warnings: 0,
    deadlinesVersion: 0,
    resolvedBy: null,
    missedDeadlines: [],
  };
}

const withReport = (reports: string[], reportId: string) => (reports.includes(reportId) ? reports : [...reports, reportId]);

/** The deadline field each clock kind shows in. */
const DEADLINE_FIELD = { respond: 'respondBy', resolve: 'resolveBy', verify: 'verifyBy', 'follow-up': 'followUpBy' } as const;

/** The clocks a step meets: resolving also answers a case never acknowledged. */
const MET_BY = {
  acknowledged: ['respond'],
  resolved: ['respond', 'resolve'],
  verified: ['verify'],
  followedUp: ['follow-up'],
} as const satisfies Record<string, readonly DeadlineKind[]>;

const without = (missed: DeadlineKind[], met: readonly DeadlineKind[]) =>
  missed.some((k) => met.includes(k)) ? missed.filter((k) => !met.includes(k)) : missed;

/** The clock an escalation was for; events from before `kind` name it only in the reason. */
const escalatedFor = (d: DataOf<'gridcase.case.escalated.v1'>): DeadlineKind => d.kind ?? (d.reason.replace(/-overdue$/, '') as DeadlineKind);

/**
 * A rework (verify failed, follow-up unsatisfied, reopen) starts a new round with a fresh resolve
 * budget: an extension decided in the last round no longer says when this one is due, so it goes (a
 * pending request stays to be decided). The count of approved extensions stays: two per case.
 */
const newRound = (s: CaseState): Pick<CaseState, 'extension'> => ({ extension: s.extension?.status === 'pending' ? s.extension : null });

/** Back to work (failed verification, unsatisfied follow-up): the last resolution no longer stands. */
const rework = (s: CaseState, status: CaseStatus, reworkCount: number): CaseState =>
  status === 'acknowledged' ? { ...s, ...newRound(s), status, reworkCount, resolvedAt: null, outcome: null } : { ...s, status, reworkCount };

/** Assignments that choose people, not a place: the case stays in its grid. Any other routes it (routing, a redraw) and names its grid, or none. */
const KEEP_GRID: ReadonlySet<string> = new Set(['escalation', 'reassign', 'handover']);

/**
 * Case state + event → new case state. Pure: the projection handler calls it inside its transaction.
 * Events from the case of record (assignment, escalation) are facts: they are applied as they come,
 * not re-checked against the desk's picture. Status and rework come from the events' own fields;
 * deadlines from case.deadlines-set (newest version) and case.escalated.
 */
export function project(state: CaseState | undefined, event: CaseEvent): CaseState {
  const before = state ?? emptyCase(event.data.caseId, event.time);
  const base: CaseState = {
    ...before,
    lastEventAt: event.time,
    lastTraceparent: event.traceparent ?? before.lastTraceparent,
  };
  switch (event.type) {
    case 'gridcase.case.opened.v1': {
      const d = event.data;
      const described = {
        ...base,
        caseNumber: d.caseNumber,
        station: d.station,
        category: d.category,
        severity: d.severity,
        kind: d.kind,
        title: d.title ?? null,
        description: d.description,
        // The sender's grid until the case of record routes the case (case.assigned decides: it may be
        // a grid the station does not have), so community staff of that grid see the case open at once.
        gridCode: state ? base.gridCode : (d.location.gridCode ?? null),
        openedAt: new Date(d.openedAt),
        reports: withReport(base.reports, d.reportId),
        relapse: d.relapse ?? false,
        relatedCaseIds: d.relatedCaseIds ?? [],
      };
      // A case already moved on by later events keeps its status, level and deadlines; only description was missing.
      if (state) return { ...described, respondBy: base.respondBy ?? new Date(d.respondBy), resolveBy: base.resolveBy ?? new Date(d.resolveBy) };
      return { ...described, status: 'open', respondBy: new Date(d.respondBy), resolveBy: new Date(d.resolveBy) };
    }
    case 'gridcase.case.report-merged.v1':
      return { ...base, reports: withReport(base.reports, event.data.reportId) };
    case 'gridcase.case.assigned.v1': {
      const d = event.data;
      // Routing decides the case's grid, none when it found none (a grid the station does not have);
      // escalation, reassignment and handover may name people without a grid, and the case stays in its grid.
      const routed = !KEEP_GRID.has(d.routedBy);
      return {
        ...base,
        level: d.level,
        assignees: d.assignees,
        policeGridCode: routed ? (d.policeGridCode ?? null) : (d.policeGridCode ?? base.policeGridCode),
        gridCode: routed ? (d.gridCode ?? null) : (d.gridCode ?? base.gridCode),
      };
    }
    case 'gridcase.case.acknowledged.v1': {
      const at = new Date(event.data.at);
      return { ...base, status: 'acknowledged', acknowledgedAt: base.acknowledgedAt ?? at, missedDeadlines: without(base.missedDeadlines, MET_BY.acknowledged) };
    }
    case 'gridcase.case.resolved.v1':
      return {
        ...base,
        status: 'resolved',
        resolvedAt: new Date(event.data.at),
        outcome: event.data.outcome,
        resolvedBy: event.data.by,
        missedDeadlines: without(base.missedDeadlines, MET_BY.resolved),
      };
    case 'gridcase.case.reopened.v1': {
      const d = event.data;
      return {
        // Events from before the life of a case carry no status: a reopen then meant open again.
        ...rework(base, d.status ?? 'open', d.reworkCount ?? base.reworkCount + 1),
        ...newRound(base),
        resolvedAt: null,
        outcome: null,
        respondBy: new Date(d.respondBy),
        resolveBy: new Date(d.resolveBy),
        // A new round with fresh clocks: what the last round missed is behind it.
        missedDeadlines: [],
      };
    }
    case 'gridcase.case.verified.v1':
      return rework({ ...base, missedDeadlines: without(base.missedDeadlines, MET_BY.verified) }, event.data.status, event.data.reworkCount);
    case 'gridcase.case.followed-up.v1':
      return rework({ ...base, missedDeadlines: without(base.missedDeadlines, MET_BY.followedUp) }, event.data.status, event.data.reworkCount);
    case 'gridcase.case.closed.v1':
      return { ...base, status: 'closed', missedDeadlines: [] };
    case 'gridcase.case.extension-requested.v1': {
      const d = event.data;
      return { ...base, extension: { until: d.until, reason: d.reason, status: 'pending', requestedBy: d.by } };
    }
    case 'gridcase.case.extension-approved.v1': {
      const d = event.data;
      const asked = base.extension ?? { reason: d.note ?? '', requestedBy: null };
      // case.deadlines-set follows with the same resolveBy; showing it now keeps a waited answer current.
      return {
        ...base,
        extension: { ...asked, until: d.until, status: 'approved' },
        extensionsApproved: base.extensionsApproved + 1,
        resolveBy: new Date(d.until),
        // A supervisor moved the resolve deadline: a missed one no longer stands against the case.
        missedDeadlines: without(base.missedDeadlines, ['resolve']),
      };
    }
    case 'gridcase.case.extension-rejected.v1':
      return base.extension ? { ...base, extension: { ...base.extension, status: 'rejected' } } : base;
    case 'gridcase.case.held.v1': {
      const d = event.data;
      return { ...base, status: 'on-hold', hold: holdView({ since: d.at, reason: d.reason, until: d.until }) };
    }
    case 'gridcase.case.resumed.v1': {
      // The case of record moved an approved or pending extension's until with the clocks and names it here. An
      // event from before `extensionUntil` leaves the extension as it was: the desk does not work the
      // move out itself (resolveBy, from the deadlines-set that follows, still shows the moved due time).
      const { status, extensionUntil } = event.data;
      const extension = base.extension && extensionUntil ? { ...base.extension, until: extensionUntil } : base.extension;
      return { ...base, status, hold: null, extension };
    }
    case 'gridcase.case.deadlines-set.v1': {
      const d = event.data;
      if (d.version <= base.deadlinesVersion) return base;
      // Clocks not in the set keep their last value (a met or stopped deadline still shows); status says which run.
      // A cleared clock is gone (rework ended the verify and follow-up round): it shows as none.
      const next: CaseState = { ...base, deadlinesVersion: d.version, missedDeadlines: without(base.missedDeadlines, d.cleared ?? []) };
      for (const kind of d.cleared ?? []) next[DEADLINE_FIELD[kind]] = null;
      for (const r of d.running) next[DEADLINE_FIELD[r.kind]] = new Date(r.dueAt);
      return next;
    }
    case 'gridcase.case.deadline-warning.v1':
      return { ...base, warnings: base.warnings + 1 };
    case 'gridcase.case.escalated.v1': {
      const d = event.data;
      // The case of record decided these deadlines were missed (alsoPassed: others past due with it);
      // the case stays overdue until each step is done.
      const missed = [escalatedFor(d), ...(d.alsoPassed ?? [])];
      return {
        ...base,
        level: d.level,
        escalations: base.escalations + 1,
        missedDeadlines: [...base.missedDeadlines, ...missed.filter((k) => !base.missedDeadlines.includes(k))],
        respondBy: d.respondBy ? new Date(d.respondBy) : base.respondBy,
        resolveBy: new Date(d.resolveBy),
      };
    }
    case 'gridcase.case.note-added.v1':
    case 'gridcase.case.command-rejected.v1':
    case 'gridcase.case.deadline-passed.v1':
    case 'gridcase.case.hold-expired.v1':
      // History only: they live in the timeline (a passed deadline's effect, the missed clock, comes as
      // case.escalated; an expired hold's, the case back at work, as case.resumed).
      return base;
  }
}

/** What an event says about a desk command: applied (the event carries its id) or rejected. */
export type CommandOutcome =
  | { commandId: string; status: 'applied' }
  | { commandId: string; status: 'rejected'; reason: string; code: RejectionCode | null };

export type RejectionCode = NonNullable<DataOf<'gridcase.case.command-rejected.v1'>['code']>;

export function commandOutcome(event: CaseEvent): CommandOutcome | undefined {
  if (event.type === 'gridcase.case.command-rejected.v1') {
    return { commandId: event.data.commandId, status: 'rejected', reason: event.data.reason, code: event.data.code ?? null };
  }
  const commandId = 'commandId' in event.data ? event.data.commandId : undefined;
  return commandId ? { commandId, status: 'applied' } : undefined;
}
