import type { CaseStatus } from '@gridcase/contracts';

/** What the deadline rules need of a case. */
export interface DeadlineView {
  status: CaseStatus;
  respondBy: Date | null;
  resolveBy: Date | null;
  verifyBy?: Date | null;
  followUpBy?: Date | null;
}

/** The deadline field of each clock, and the statuses it runs in (CONTRACT.md "The life of a case"). */
export const RUNNING_CLOCKS = [
  { field: 'respondBy', statuses: ['open'] },
  { field: 'resolveBy', statuses: ['open', 'acknowledged'] },
  { field: 'verifyBy', statuses: ['resolved'] },
  { field: 'followUpBy', statuses: ['follow-up'] },
] as const satisfies readonly { field: keyof DeadlineView; statuses: readonly CaseStatus[] }[];

/**
 * The deadlines a case still has to meet: the clocks that run in its status (respondBy while open,
 * resolveBy until resolved, verifyBy while resolved, followUpBy in follow-up). A held or closed
 * case runs none, and a met deadline no longer counts.
 */
export function pendingDeadlines(c: DeadlineView): Date[] {
  const out: Date[] = [];
  for (const clock of RUNNING_CLOCKS) {
    const due = c[clock.field];
    if (due && (clock.statuses as readonly CaseStatus[]).includes(c.status)) out.push(due);
  }
  return out;
}

/** A running deadline has passed. A deadline equal to now has not yet passed. */
export const isOverdue = (c: DeadlineView, now: Date): boolean =>
  pendingDeadlines(c).some((d) => d.getTime() < now.getTime());

/**
 * A pending deadline falls in (now, now + window]: the case needs action soon. Deadlines already
 * passed are "overdue", a separate filter, so the two lists do not repeat each other.
 */
export const isDueWithin = (c: DeadlineView, now: Date, windowMs: number): boolean =>
  pendingDeadlines(c).some((d) => d.getTime() > now.getTime() && d.getTime() <= now.getTime() + windowMs);
