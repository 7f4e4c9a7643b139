import type { Assignee, CaseStatus, DataOf, EventType, Outcome, Severity } from '@gridcase/contracts';

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
  };
}

const withReport = (reports: string[], reportId: string) => (reports.includes(reportId) ? reports : [...reports, reportId]);

/**
 * Case state + event → new case state. Pure: the projection handler calls it inside its transaction.
 * Events from the case of record (assignment, escalation) are facts: they are applied as they come,
 * not re-checked against the desk's picture.
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
        gridCode: base.gridCode ?? d.location.gridCode ?? null,
        openedAt: new Date(d.openedAt),
        reports: withReport(base.reports, d.reportId),
      };
      // A case already moved on by later events keeps its status, level and deadlines; only description was missing.
      if (state) return { ...described, respondBy: base.respondBy ?? new Date(d.respondBy), resolveBy: base.resolveBy ?? new Date(d.resolveBy) };
      return { ...described, status: 'open', respondBy: new Date(d.respondBy), resolveBy: new Date(d.resolveBy) };
    }
    case 'gridcase.case.report-merged.v1':
      return { ...base, reports: withReport(base.reports, event.data.reportId) };
    case 'gridcase.case.assigned.v1': {
      const d = event.data;
      return {
        ...base,
        level: d.level,
        assignees: d.assignees,
        // Escalation and reassignment may name people without a grid; the case stays in its grid.
        policeGridCode: d.policeGridCode ?? base.policeGridCode,
        gridCode: d.gridCode ?? base.gridCode,
      };
    }
    case 'gridcase.case.acknowledged.v1': {
      const at = new Date(event.data.at);
      return { ...base, status: 'acknowledged', acknowledgedAt: base.acknowledgedAt ?? at };
    }
    case 'gridcase.case.resolved.v1':
      return { ...base, status: 'resolved', resolvedAt: new Date(event.data.at), outcome: event.data.outcome };
    case 'gridcase.case.reopened.v1':
      return {
        ...base,
        status: 'open',
        resolvedAt: null,
        outcome: null,
        respondBy: new Date(event.data.respondBy),
        resolveBy: new Date(event.data.resolveBy),
      };
    case 'gridcase.case.escalated.v1': {
      const d = event.data;
      return {
        ...base,
        level: d.level,
        escalations: base.escalations + 1,
        respondBy: d.respondBy ? new Date(d.respondBy) : base.respondBy,
        resolveBy: new Date(d.resolveBy),
      };
    }
    case 'gridcase.case.note-added.v1':
    case 'gridcase.case.command-rejected.v1':
      // History only: they live in the timeline.
      return base;
  }
}

/** What an event says about a desk command: applied (the event carries its id) or rejected. */
export type CommandOutcome = { commandId: string; status: 'applied' } | { commandId: string; status: 'rejected'; reason: string };

export function commandOutcome(event: CaseEvent): CommandOutcome | undefined {
  if (event.type === 'gridcase.case.command-rejected.v1') {
    return { commandId: event.data.commandId, status: 'rejected', reason: event.data.reason };
  }
  const commandId = 'commandId' in event.data ? event.data.commandId : undefined;
  return commandId ? { commandId, status: 'applied' } : undefined;
}
