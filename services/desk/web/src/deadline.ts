import type { DeadlineKind, DeskCaseSummary } from '@gridcase/contracts';
import { RUNNING_CLOCKS } from '../../src/domain/deadlines.ts';

/**
 * The deadline the case must meet next: of the clocks that run in its status (the desk's own rule,
 * services/desk/src/domain/deadlines.ts), the earliest. None for a held or closed case.
 */
export function nextDeadline(c: Pick<DeskCaseSummary, 'status' | 'respondBy' | 'resolveBy' | 'verifyBy' | 'followUpBy'>): { kind: DeadlineKind; due: string } | undefined {
  let next: { kind: DeadlineKind; due: string } | undefined;
  for (const clock of RUNNING_CLOCKS) {
    const due = c[clock.field];
    if (!due || !(clock.statuses as readonly string[]).includes(c.status)) continue;
    if (!next || Date.parse(due) < Date.parse(next.due)) next = { kind: clock.kind, due };
  }
  return next;
}

/**
 * How a deadline shows: red once passed, or whenever the case is overdue (the server's `overdue`: it
 * also counts a deadline the case missed and was escalated for, whose next level has a fresh clock);
 * amber when due soon (催办).
 */
export const dueClass = (rel: { overdue: boolean; soon: boolean }, caseOverdue = false): string =>
  rel.overdue || caseOverdue ? 'due overdue' : rel.soon ? 'due soon' : 'due';

type Urgent = Pick<DeskCaseSummary, 'caseId' | 'status' | 'severity' | 'overdue' | 'openedAt' | 'respondBy' | 'resolveBy' | 'verifyBy' | 'followUpBy'>;

/** Overdue: the server says so (a passed or a missed clock), or its next deadline has passed since the list was read. */
export const isOverdue = (c: Urgent, now: number): boolean => {
  if (c.overdue) return true;
  const next = nextDeadline(c);
  return !!next && Date.parse(next.due) < now;
};

/**
 * The order of a list of cases still being worked, most urgent first: overdue red, overdue, red, then
 * the rest; within each, the nearest next deadline first (none last), then the newest. A stable copy:
 * the list's loaded pages are ordered on the page (the API lists newest first and has no sort).
 */
export function byUrgency<T extends Urgent>(cases: readonly T[], now: number): T[] {
  const rank = (c: T) => (isOverdue(c, now) ? 0 : 2) + (c.severity === 'red' ? 0 : 1);
  const due = (c: T) => {
    const next = nextDeadline(c);
    return next ? Date.parse(next.due) : Number.POSITIVE_INFINITY;
  };
  return cases
    .map((c) => ({ c, rank: rank(c), due: due(c), opened: Date.parse(c.openedAt) }))
    .sort((a, b) => a.rank - b.rank || a.due - b.due || b.opened - a.opened || (a.c.caseId < b.c.caseId ? -1 : a.c.caseId > b.c.caseId ? 1 : 0))
    .map((x) => x.c);
}
