import { describe, expect, it } from 'vitest';
import { escalate } from '../src/domain/escalate.ts';
import { budgetFor, DEFAULT_LADDER, roleForLevel } from '../src/domain/ladder.ts';
import type { CaseState, Timer } from '../src/domain/timers.ts';

const NOW = new Date('2026-03-01T08:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

const openCase = (over: Partial<CaseState> = {}): CaseState => ({
  caseId: 'case-1',
  status: 'open',
  level: 0,
  round: 0,
  respondBy: minutes(-1),
  resolveBy: minutes(600),
  ...over,
});

const timer = (over: Partial<Timer> = {}): Timer => ({
  id: 't-respond',
  caseId: 'case-1',
  kind: 'respond',
  level: 0,
  round: 0,
  dueAt: minutes(-1),
  status: 'pending',
  ...over,
});

const resolveTimer = (over: Partial<Timer> = {}) => timer({ id: 't-resolve', kind: 'resolve', dueAt: minutes(600), ...over });

describe('escalate', () => {
  it('moves an unacknowledged case from level 0 to 1 when respondBy passes, with fresh budgets from now', () => {
    const respond = timer();
    const decision = escalate({ case: openCase(), timer: respond, pending: [respond, resolveTimer()], ladder: DEFAULT_LADDER, now: NOW });
    expect(decision.action).toBe('escalate');
    if (decision.action !== 'escalate') return;
    expect(decision.fire).toBe('t-respond');
    expect(decision.cancel).toEqual(['t-resolve']);
    expect(decision.case).toMatchObject({ level: 1, status: 'open', round: 0, respondBy: minutes(30), resolveBy: minutes(240) });
    expect(decision.create).toEqual([
      { caseId: 'case-1', kind: 'respond', level: 1, round: 0, dueAt: minutes(30) },
      { caseId: 'case-1', kind: 'resolve', level: 1, round: 0, dueAt: minutes(240) },
    ]);
    expect(decision.event).toEqual({
      caseId: 'case-1',
      fromLevel: 0,
      level: 1,
      reason: 'respond-overdue',
      deadline: minutes(-1).toISOString(),
      respondBy: minutes(30).toISOString(),
      resolveBy: minutes(240).toISOString(),
      at: NOW.toISOString(),
    });
  });

  it('gives an acknowledged case only a resolve deadline at the next level', () => {
    const due = resolveTimer({ dueAt: minutes(-5) });
    const c = openCase({ status: 'acknowledged', resolveBy: minutes(-5) });
    const decision = escalate({ case: c, timer: due, pending: [due], ladder: DEFAULT_LADDER, now: NOW });
    expect(decision.action).toBe('escalate');
    if (decision.action !== 'escalate') return;
    expect(decision.event.reason).toBe('resolve-overdue');
    expect(decision.event.deadline).toBe(minutes(-5).toISOString());
    expect(decision.event).not.toHaveProperty('respondBy');
    expect(decision.create).toEqual([{ caseId: 'case-1', kind: 'resolve', level: 1, round: 0, dueAt: minutes(240) }]);
    expect(decision.case.status).toBe('acknowledged');
    expect(decision.cancel).toEqual([]);
  });

  it('escalates an open case whose resolve deadline passes first, giving it both deadlines again', () => {
    const due = resolveTimer({ level: 2, dueAt: minutes(-1) });
    const respond = timer({ level: 2, dueAt: minutes(10) });
    const decision = escalate({ case: openCase({ level: 2 }), timer: due, pending: [respond, due], ladder: DEFAULT_LADDER, now: NOW });
    expect(decision.action).toBe('escalate');
    if (decision.action !== 'escalate') return;
    expect(decision.event).toMatchObject({ fromLevel: 2, level: 3, reason: 'resolve-overdue', respondBy: minutes(60).toISOString(), resolveBy: minutes(480).toISOString() });
    expect(decision.cancel).toEqual(['t-respond']);
    expect(decision.create.map((t) => [t.kind, t.level])).toEqual([['respond', 3], ['resolve', 3]]);
  });

  it('past the top of the ladder repeats the top budget while the level keeps counting', () => {
    const respond = timer({ level: 4 });
    const decision = escalate({ case: openCase({ level: 4 }), timer: respond, pending: [respond], ladder: DEFAULT_LADDER, now: NOW });
    expect(decision.action).toBe('escalate');
    if (decision.action !== 'escalate') return;
    expect(decision.event).toMatchObject({ fromLevel: 4, level: 5, respondBy: minutes(60).toISOString(), resolveBy: minutes(480).toISOString() });
    expect(roleForLevel(5)).toBe('chief');
    expect(roleForLevel(4)).toBe('chief');
  });

  it('uses the ladder it is given, not the defaults', () => {
    const ladder = [{ level: 1, respondMinutes: 5, resolveMinutes: 50 }];
    const respond = timer();
    const decision = escalate({ case: openCase(), timer: respond, pending: [respond], ladder, now: NOW });
    expect(decision.action === 'escalate' && decision.event).toMatchObject({ respondBy: minutes(5).toISOString(), resolveBy: minutes(50).toISOString() });
  });

  it('does nothing for a cancelled or fired timer', () => {
    for (const status of ['cancelled', 'fired'] as const) {
      const decision = escalate({ case: openCase(), timer: timer({ status }), pending: [], ladder: DEFAULT_LADDER, now: NOW });
      expect(decision).toEqual({ action: 'none', why: `timer already ${status}` });
    }
  });

  it('does nothing before the deadline', () => {
    const early = timer({ dueAt: minutes(1) });
    expect(escalate({ case: openCase(), timer: early, pending: [early], ladder: DEFAULT_LADDER, now: NOW }).action).toBe('none');
  });

  it('escalates exactly at the deadline', () => {
    const onTime = timer({ dueAt: NOW });
    expect(escalate({ case: openCase(), timer: onTime, pending: [onTime], ladder: DEFAULT_LADDER, now: NOW }).action).toBe('escalate');
  });

  it.each([
    ['a resolved case', openCase({ status: 'resolved' }), timer(), 'case is resolved'],
    ['an acknowledged case (respond timer)', openCase({ status: 'acknowledged' }), timer(), 'case was acknowledged'],
    ['a timer of an earlier level', openCase({ level: 1 }), timer({ level: 0 }), 'timer belongs to level 0, case is at level 1'],
    ['a timer of an earlier round', openCase({ round: 1 }), timer({ round: 0 }), 'timer belongs to round 0, case is in round 1'],
  ])('drops a due timer of %s without escalating', (_name, c, t, why) => {
    expect(escalate({ case: c, timer: t, pending: [t], ladder: DEFAULT_LADDER, now: NOW })).toEqual({ action: 'drop', why, cancel: [t.id] });
  });
});

describe('budgetFor', () => {
  it('takes the level row, the nearest lower row for gaps and past the top, and the defaults when empty', () => {
    const ladder = [
      { level: 1, respondMinutes: 10, resolveMinutes: 100 },
      { level: 3, respondMinutes: 30, resolveMinutes: 300 },
    ];
    expect(budgetFor(ladder, 1).respondMinutes).toBe(10);
    expect(budgetFor(ladder, 2).respondMinutes).toBe(10);
    expect(budgetFor(ladder, 9)).toEqual({ level: 9, respondMinutes: 30, resolveMinutes: 300 });
    expect(budgetFor([], 4)).toEqual({ level: 4, respondMinutes: 60, resolveMinutes: 480 });
  });
});
