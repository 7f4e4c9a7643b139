import type { DataOf } from '@gridcase/contracts';
import { type CaseChange, type CaseState, deadlineTimers, type Timer } from './timers.ts';

/** A case event either changes something, or says why it changes nothing. */
export type Outcome = ({ changed: true; summary: string } & CaseChange) | { changed: false; why: string };

const pendingIds = (pending: readonly Timer[], keep: (t: Timer) => boolean) =>
  pending.filter((t) => t.status === 'pending' && keep(t)).map((t) => t.id);

/** A new case starts at level 0, round 0, with both deadlines from triage. */
export function caseOpened(data: DataOf<'gridcase.case.opened.v1'>): CaseState & { create: CaseChange['create'] } {
  const c: CaseState = {
    caseId: data.caseId,
    status: 'open',
    level: 0,
    round: 0,
    respondBy: new Date(data.respondBy),
    resolveBy: new Date(data.resolveBy),
  };
  return { ...c, create: deadlineTimers(c, c.respondBy, c.resolveBy) };
}

/** Acknowledging meets the respond deadline: pending respond timers of any level go. */
export function caseAcknowledged(c: CaseState, pending: readonly Timer[]): Outcome {
  if (c.status !== 'open') return { changed: false, why: `case is already ${c.status}` };
  return {
    changed: true,
    summary: 'respond deadline met',
    case: { ...c, status: 'acknowledged' },
    cancel: pendingIds(pending, (t) => t.kind === 'respond'),
    create: [],
  };
}

/** Resolving meets every deadline. */
export function caseResolved(c: CaseState, pending: readonly Timer[]): Outcome {
  if (c.status === 'resolved') return { changed: false, why: 'case is already resolved' };
  return {
    changed: true,
    summary: 'all deadlines met',
    case: { ...c, status: 'resolved' },
    cancel: pendingIds(pending, () => true),
    create: [],
  };
}

/**
 * A reopened case starts a new round at the level it had reached, with the deadlines the
 * reopen set; whatever was still pending from the previous round is void.
 */
export function caseReopened(c: CaseState, pending: readonly Timer[], data: DataOf<'gridcase.case.reopened.v1'>): Outcome {
  const next: CaseState = {
    ...c,
    status: 'open',
    round: c.round + 1,
    respondBy: new Date(data.respondBy),
    resolveBy: new Date(data.resolveBy),
  };
  return {
    changed: true,
    summary: `deadlines reset for round ${next.round} at level ${next.level}`,
    case: next,
    cancel: pendingIds(pending, () => true),
    create: deadlineTimers(next, next.respondBy, next.resolveBy),
  };
}
