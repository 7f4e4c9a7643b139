import type { DataOf } from '@gridcase/contracts';
import { budgetFor, type LadderStep } from './ladder.ts';
import { type CaseChange, type CaseState, deadlineTimers, type Timer } from './timers.ts';

export type EscalatedData = DataOf<'gridcase.case.escalated.v1'>;

export interface EscalationInput {
  case: CaseState;
  /** The due timer under consideration. */
  timer: Timer;
  /** Every timer of the case that is still pending (may include `timer`). */
  pending: readonly Timer[];
  ladder: readonly LadderStep[];
  now: Date;
}

export type EscalationDecision =
  /** Leave everything as it is: the timer already fired or was cancelled, or is not due yet. */
  | { action: 'none'; why: string }
  /** The timer no longer guards anything the case is short of; cancel it without escalating. */
  | { action: 'drop'; why: string; cancel: string[] }
  | ({ action: 'escalate'; fire: string; event: EscalatedData } & CaseChange);

const MINUTE = 60_000;

/**
 * Decides what a due deadline does. A respond deadline matters while the case is open (not yet
 * acknowledged), a resolve deadline while it is not resolved, and only for the level and round
 * the case is at now. Escalating moves the case one level up with fresh budgets from the ladder,
 * counted from `now`: a respond deadline only when the case still awaits acknowledgement, a
 * resolve deadline always; every other pending timer of the case is cancelled.
 */
export function escalate(input: EscalationInput): EscalationDecision {
  const { case: c, timer, pending, ladder, now } = input;
  if (timer.status !== 'pending') return { action: 'none', why: `timer already ${timer.status}` };
  if (timer.dueAt.getTime() > now.getTime()) return { action: 'none', why: 'timer not due yet' };

  const stale =
    c.status === 'resolved'
      ? 'case is resolved'
      : timer.round !== c.round
        ? `timer belongs to round ${timer.round}, case is in round ${c.round}`
        : timer.level !== c.level
          ? `timer belongs to level ${timer.level}, case is at level ${c.level}`
          : timer.kind === 'respond' && c.status !== 'open'
            ? 'case was acknowledged'
            : undefined;
  if (stale) return { action: 'drop', why: stale, cancel: [timer.id] };

  const level = c.level + 1;
  const budget = budgetFor(ladder, level);
  const respondBy = c.status === 'open' ? new Date(now.getTime() + budget.respondMinutes * MINUTE) : undefined;
  const resolveBy = new Date(now.getTime() + budget.resolveMinutes * MINUTE);
  const next: CaseState = { ...c, level, respondBy: respondBy ?? c.respondBy, resolveBy };

  return {
    action: 'escalate',
    fire: timer.id,
    case: next,
    cancel: pending.filter((t) => t.id !== timer.id && t.status === 'pending').map((t) => t.id),
    create: deadlineTimers(next, respondBy, resolveBy),
    event: {
      caseId: c.caseId,
      fromLevel: c.level,
      level,
      reason: timer.kind === 'respond' ? 'respond-overdue' : 'resolve-overdue',
      deadline: timer.dueAt.toISOString(),
      ...(respondBy ? { respondBy: respondBy.toISOString() } : {}),
      resolveBy: resolveBy.toISOString(),
      at: now.toISOString(),
    },
  };
}
