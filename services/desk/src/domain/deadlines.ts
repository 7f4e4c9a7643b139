import type { CaseStatus } from '@gridcase/contracts';

/** What the deadline rules need of a case. */
export interface DeadlineView {
  status: CaseStatus;
  respondBy: Date | null;
  resolveBy: Date | null;
}

const unresolved = (status: CaseStatus) => status === 'open' || status === 'acknowledged';

/**
 * The deadlines a case still has to meet: respondBy while it is open (not yet acknowledged),
 * resolveBy while it is unresolved. A met deadline no longer counts.
 */
export function pendingDeadlines(c: DeadlineView): Date[] {
  const out: Date[] = [];
  if (c.status === 'open' && c.respondBy) out.push(c.respondBy);
  if (unresolved(c.status) && c.resolveBy) out.push(c.resolveBy);
  return out;
}

/** Open past respondBy, or unresolved past resolveBy. A deadline equal to now has not yet passed. */
export const isOverdue = (c: DeadlineView, now: Date): boolean =>
  pendingDeadlines(c).some((d) => d.getTime() < now.getTime());

/**
 * A pending deadline falls in (now, now + window]: the case needs action soon. Deadlines already
 * passed are "overdue", a separate filter, so the two lists do not repeat each other.
 */
export const isDueWithin = (c: DeadlineView, now: Date, windowMs: number): boolean =>
  pendingDeadlines(c).some((d) => d.getTime() > now.getTime() && d.getTime() <= now.getTime() + windowMs);
