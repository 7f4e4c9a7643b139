import type { AnyMessage, Assignee, CaseStatus, ReportStatus, RunningDeadline, Severity } from '@gridcase/contracts';

/** What intake keeps about a case, to show a sender where its report went. */
export interface CaseSummary {
  caseId: string;
  caseNumber: string;
  /** Whose case it is: a desk token scoped to other stations does not see the report's case. */
  station: string | null;
  status: CaseStatus;
  level: number;
  category: string;
  severity: Severity;
  assignees: Assignee[];
  respondBy: Date;
  resolveBy: Date;
}

/**
 * A sender is told when to expect an answer and by when the case must be taken up: the respond and
 * resolve clocks that run now. Verify and follow-up clocks are internal; a stopped clock (on hold,
 * resolved) leaves the last due time shown.
 */
function withDeadlines(current: CaseSummary, running: RunningDeadline[]): CaseSummary {
  const due = (kind: RunningDeadline['kind']) => running.find((d) => d.kind === kind)?.dueAt;
  const respondBy = due('respond');
  const resolveBy = due('resolve');
  if (!respondBy && !resolveBy) return current;
  return {
    ...current,
    ...(respondBy ? { respondBy: new Date(respondBy) } : {}),
    ...(resolveBy ? { resolveBy: new Date(resolveBy) } : {}),
  };
}

/**
 * The case summary after a case event. case.opened starts it; later events change status, level,
 * owners and deadlines. Without a summary (its case.opened never came) there is nothing to change.
 */
export function applyCaseEvent(current: CaseSummary | undefined, message: AnyMessage): CaseSummary | undefined {
  switch (message.type) {
    case 'gridcase.case.opened.v1': {
      const d = message.data;
      // A redelivered case.opened must not wipe what later events changed.
      if (current) return current;
      return {
        caseId: d.caseId,
        caseNumber: d.caseNumber,
        station: d.station,
        status: 'open',
        level: 0,
        category: d.category,
        severity: d.severity,
        assignees: [],
        respondBy: new Date(d.respondBy),
        resolveBy: new Date(d.resolveBy),
      };
    }
    case 'gridcase.case.assigned.v1':
      return current && { ...current, level: message.data.level, assignees: message.data.assignees };
    case 'gridcase.case.acknowledged.v1':
      return current && { ...current, status: 'acknowledged' };
    case 'gridcase.case.resolved.v1':
      return current && { ...current, status: 'resolved' };
    case 'gridcase.case.closed.v1':
      return current && { ...current, status: 'closed' };
    case 'gridcase.case.held.v1':
      return current && { ...current, status: 'on-hold' };
    // The case of record says where each of these leaves the case.
    case 'gridcase.case.verified.v1':
    case 'gridcase.case.followed-up.v1':
    case 'gridcase.case.resumed.v1':
      return current && { ...current, status: message.data.status };
    case 'gridcase.case.reopened.v1':
      return (
        current && {
          ...current,
          // Before the life of a case had more steps, a reopened case went back to open.
          status: message.data.status ?? 'open',
          respondBy: new Date(message.data.respondBy),
          resolveBy: new Date(message.data.resolveBy),
        }
      );
    case 'gridcase.case.extension-approved.v1':
      return current && { ...current, resolveBy: new Date(message.data.until) };
    case 'gridcase.case.deadlines-set.v1':
      return current && withDeadlines(current, message.data.running);
    case 'gridcase.case.escalated.v1':
      return (
        current && {
          ...current,
          level: message.data.level,
          respondBy: message.data.respondBy ? new Date(message.data.respondBy) : current.respondBy,
          resolveBy: new Date(message.data.resolveBy),
        }
      );
    default:
      return current;
  }
}

/** How a case event moves a report: received → triaged → assigned, or (from any) → merged. */
export function nextReportStatus(current: ReportStatus, change: 'opened' | 'merged' | 'assigned'): ReportStatus {
  switch (change) {
    case 'opened':
      return current === 'received' ? 'triaged' : current;
    case 'merged':
      return 'merged';
    case 'assigned':
      return current === 'triaged' ? 'assigned' : current;
  }
}

/**
 * A report after case.opened or case.report-merged names it. Opening links a report that has no
 * case yet; a redelivered or late case.opened never re-links one. Merging always links.
 */
export function linkReport(
  current: { status: ReportStatus; caseId: string | null },
  change: 'opened' | 'merged',
  caseId: string,
): { status: ReportStatus; caseId: string | null } {
  if (change === 'opened' && current.caseId !== null) return current;
  return { status: nextReportStatus(current.status, change), caseId };
}
