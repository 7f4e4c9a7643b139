import type { CaseStatus, DeadlineKind } from '@gridcase/contracts';

/** What the deadline rules need of a case. */
export interface DeadlineView {
  status: CaseStatus;
  respondBy: Date | null;
  resolveBy: Date | null;
  verifyBy?: Date | null;
  followUpBy?: Date | null;
  /** Clocks the case was escalated for whose step is not done yet (project.ts keeps them). */
  missedDeadlines?: readonly DeadlineKind[];
}

/** The deadline field of each clock, and the statuses it runs in (CONTRACT.md "The life of a case"). */
export const RUNNING_CLOCKS = [
  { kind: 'respond', field: 'respondBy', statuses: ['open'] },
  { kind: 'resolve', field: 'resolveBy', statuses: ['open', 'acknowledged'] },
  { kind: 'verify', field: 'verifyBy', statuses: ['resolved'] },
  { kind: 'follow-up', field: 'followUpBy', statuses: ['follow-up'] },
] as const satisfies readonly { kind: DeadlineKind; field: keyof DeadlineView; statuses: readonly CaseStatus[] }[];

type Clock = (typeof RUNNING_CLOCKS)[number];

const runsIn = (clock: Clock, status: CaseStatus) => (clock.statuses as readonly CaseStatus[]).includes(status);
const missed = (c: DeadlineView, clock: Clock) => c.missedDeadlines?.includes(clock.kind) ?? false;

/**
 * The deadlines a case still has to meet: the clocks that run in its status (respondBy while open,
 * resolveBy until resolved, verifyBy while resolved, followUpBy in follow-up). A held or closed
 * case runs none, and a met deadline no longer counts.
 */
export function pendingDeadlines(c: DeadlineView): Date[] {
  const out: Date[] = [];
  for (const clock of RUNNING_CLOCKS) {
    const due = c[clock.field];
    if (due && runsIn(clock, c.status)) out.push(due);
  }
  return out;
}

/**
 * A running deadline has passed, or the case missed the deadline of a clock that runs in its status
 * (it was escalated for it) and that step is still not done: escalation gives the next level a fresh
 * clock, but the case stays 超时 until acknowledged, resolved, verified or followed up. A held or
 * closed case runs no clock, so it is never overdue. A deadline equal to now has not yet passed.
 */
export const isOverdue = (c: DeadlineView, now: Date): boolean =>
  RUNNING_CLOCKS.some((clock) => {
    if (!runsIn(clock, c.status)) return false;
    const due = c[clock.field];
    return missed(c, clock) || (due ? due.getTime() < now.getTime() : false);
  });

/**
 * A running deadline falls in (now, now + window]: the case needs action soon. A clock the case
 * missed counts too: escalation gave the new level a fresh deadline that runs, and missing it sends
 * the case another level up, so an escalated case is both overdue and due soon. Deadlines already
 * passed are left to "overdue".
 */
export const isDueWithin = (c: DeadlineView, now: Date, windowMs: number): boolean =>
  RUNNING_CLOCKS.some((clock) => {
    const due = c[clock.field];
    if (!due || !runsIn(clock, c.status)) return false;
    return due.getTime() > now.getTime() && due.getTime() <= now.getTime() + windowMs;
  });
