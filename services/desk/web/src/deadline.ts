import type { DeadlineKind, DeskCaseSummary } from '@gridcase/contracts';
import { RUNNING_CLOCKS } from '../../src/domain/deadlines.ts';

const KIND_OF_FIELD: Record<(typeof RUNNING_CLOCKS)[number]['field'], DeadlineKind> = {
  respondBy: 'respond',
  resolveBy: 'resolve',
  verifyBy: 'verify',
  followUpBy: 'follow-up',
};

/**
 * The deadline the case must meet next: of the clocks that run in its status (the desk's own rule,
 * services/desk/src/domain/deadlines.ts), the earliest. None for a held or closed case.
 */
export function nextDeadline(c: Pick<DeskCaseSummary, 'status' | 'respondBy' | 'resolveBy' | 'verifyBy' | 'followUpBy'>): { kind: DeadlineKind; due: string } | undefined {
  let next: { kind: DeadlineKind; due: string } | undefined;
  for (const clock of RUNNING_CLOCKS) {
    const due = c[clock.field];
    if (!due || !(clock.statuses as readonly string[]).includes(c.status)) continue;
    if (!next || Date.parse(due) < Date.parse(next.due)) next = { kind: KIND_OF_FIELD[clock.field], due };
  }
  return next;
}
