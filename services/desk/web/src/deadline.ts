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
