import type { DataOf, Officer } from '@gridcase/contracts';
import { type CaseEvent, type CaseRecord, withDeadlinesSet } from './case.ts';
import { type Deadlines, minutesClock, runningClocks } from './deadlines.ts';
import { budgetFor, dutyByRoster, escalationFloor, type LevelBudget, ladderStep } from './ladder.ts';
import type { Roster } from './roster.ts';

export type EscalationDecision =
  | { kind: 'ignored'; reason: string }
  | { kind: 'escalated'; record: CaseRecord; events: CaseEvent[]; skipped: string[]; keptOwners: boolean };

/**
 * A passed deadline escalates only when it is about the clocks the case runs now: the fact's version
 * is the case's current one, and that clock still runs with that due time. Then the case goes one
 * level up the ladder with a fresh budget for the clock that passed, and for every other running clock
 * the sooner of a fresh budget and its due time (a sender's required resolveBy holds); otherwise the fact is stale
 * (the case moved on: acknowledged, resolved, held, extended, escalated already) and changes nothing.
 */
export function decideDeadlinePassed(
  record: CaseRecord,
  fact: DataOf<'gridcase.case.deadline-passed.v1'>,
  ctx: {
    now: Date;
    officers: readonly Officer[];
    ladder: readonly LevelBudget[];
    openCases?: ReadonlyMap<string, number>;
    /** Shifts, on-call and leave by officerId: who on the next rung is on duty now (absent: the `onDuty` flags). */
    duty?: ReadonlyMap<string, Roster>;
  },
): EscalationDecision {
  if (fact.version !== record.deadlineVersion) {
    return { kind: 'ignored', reason: `stale: the fact is about deadline version ${fact.version}, the case is at version ${record.deadlineVersion}` };
  }
  const running = runningClocks(record.status, record.deadlines);
  const clock = running.find((c) => c.kind === fact.kind);
  if (!clock) return { kind: 'ignored', reason: `the ${fact.kind} clock does not run while the case is ${record.status}` };
  if (clock.dueAt.getTime() !== Date.parse(fact.dueAt)) {
    return { kind: 'ignored', reason: `the ${fact.kind} clock is due ${clock.dueAt.toISOString()}, not ${fact.dueAt}` };
  }

  const level = record.level + 1;
  const owners = new Set(record.assignees.map((a) => a.officerId));
  // Up from the highest rank the owners hold (a desk leader who took a case at level 0 hands it on to the deputy chief, never down to a lead).
  const duty = dutyByRoster(ctx.duty, ctx.now, false, owners, escalationFloor(record.assignees));
  const step = ladderStep(level, { policeGridCode: record.policeGridCode ?? undefined }, ctx.officers, record.referenceVersion ?? null, ctx.openCases, duty);
  const keptOwners = step.assignees.length === 0;
  const assignees = keptOwners ? record.assignees : step.assignees;
  const budget = budgetFor(ctx.ladder, level);
  const deadlines: Deadlines = { ...record.deadlines };
  // Past due beside the one that passed: they restart below rather than escalate a second level.
  const alsoPassed = running.filter((c) => c.kind !== fact.kind && c.dueAt.getTime() <= ctx.now.getTime()).map((c) => c.kind);
  for (const clock of running) {
    const fresh = minutesClock(ctx.now, clock.kind === 'respond' ? budget.respondMinutes : budget.resolveMinutes);
    // The clock that passed starts afresh; another keeps its due time where that is still ahead and sooner
    // (a sender's required resolveBy is not pushed back by a respond-overdue escalation). One already past
    // starts afresh too, rather than escalating the case a second level at once.
    const keep = clock.kind !== fact.kind && clock.dueAt.getTime() > ctx.now.getTime() && clock.dueAt.getTime() < fresh.dueAt.getTime();
    deadlines[clock.kind] = keep ? { startedAt: clock.startedAt, dueAt: clock.dueAt, ...(clock.warnAt ? { warnAt: clock.warnAt } : {}) } : fresh;
  }
  // A case due to be resolved sooner must be acknowledged by then too.
  if (running.some((c) => c.kind === 'respond') && deadlines.resolve.dueAt.getTime() < deadlines.respond.dueAt.getTime()) {
    deadlines.respond = { startedAt: deadlines.respond.startedAt, dueAt: deadlines.resolve.dueAt };
  }
  const next: CaseRecord = { ...record, level, assignees, routedBy: 'escalation', deadlines, updatedAt: ctx.now };

  const at = ctx.now.toISOString();
  const events: CaseEvent[] = [
    {
      type: 'gridcase.case.escalated.v1',
      data: {
        caseId: record.caseId,
        fromLevel: record.level,
        level,
        reason: `${fact.kind}-overdue`,
        kind: fact.kind,
        ...(alsoPassed.length ? { alsoPassed } : {}),
        deadline: fact.dueAt,
        respondBy: running.some((c) => c.kind === 'respond') ? deadlines.respond.dueAt.toISOString() : undefined,
        resolveBy: deadlines.resolve.dueAt.toISOString(),
        at,
      },
    },
    {
      type: 'gridcase.case.assigned.v1',
      data: {
        caseId: record.caseId,
        level,
        assignees,
        policeGridCode: record.policeGridCode ?? undefined,
        gridCode: record.gridCode ?? undefined,
        routedBy: 'escalation',
        reason: keptOwners ? (step.decision.fallback ?? undefined) : undefined,
        decision: step.decision,
        at,
      },
    },
  ];
  return { kind: 'escalated', ...withDeadlinesSet(record, next, events, ctx.now), skipped: step.skipped, keptOwners };
}
