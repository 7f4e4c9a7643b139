import { describe, expect, it } from 'vitest';
import { type DeadlinesSet, NO_VERSION, planMirror, timersOf, warningAt } from '../src/domain/timers.ts';

const set = (version: number, running: DeadlinesSet['running'], level = 0): DeadlinesSet => ({
  caseId: 'c1',
  version,
  level,
  running,
  at: '2026-03-01T08:00:00.000Z',
});

const respond = { kind: 'respond' as const, startedAt: '2026-03-01T08:00:00.000Z', dueAt: '2026-03-01T08:40:00.000Z' };
const resolve = { kind: 'resolve' as const, startedAt: '2026-03-01T08:00:00.000Z', dueAt: '2026-03-02T08:00:00.000Z' };

describe('warningAt', () => {
  it('is 75 % of the way from start to deadline', () => {
    expect(warningAt(new Date(respond.startedAt), new Date(respond.dueAt)).toISOString()).toBe('2026-03-01T08:30:00.000Z');
    expect(warningAt(new Date(resolve.startedAt), new Date(resolve.dueAt)).toISOString()).toBe('2026-03-02T02:00:00.000Z');
  });

  it('is the deadline itself when there is no budget, never after it', () => {
    const due = new Date('2026-03-01T08:00:00.000Z');
    expect(warningAt(due, due)).toEqual(due);
    expect(warningAt(new Date('2026-03-01T09:00:00.000Z'), due)).toEqual(due);
  });

  it('never lands after the deadline nor before the start, whatever the odd millisecond', () => {
    const start = new Date('2026-03-01T08:00:00.000Z');
    for (const ms of [1, 3, 7, 1001]) {
      const due = new Date(start.getTime() + ms);
      const w = warningAt(start, due).getTime();
      expect(w).toBeGreaterThanOrEqual(start.getTime());
      expect(w).toBeLessThanOrEqual(due.getTime());
    }
  });
});

describe('timersOf', () => {
  it('gives every running deadline a warning and a passed timer of the set version and level', () => {
    expect(timersOf(set(3, [respond, resolve], 2))).toEqual([
      { caseId: 'c1', kind: 'respond', fact: 'warning', version: 3, level: 2, dueAt: new Date(respond.dueAt), fireAt: new Date('2026-03-01T08:30:00.000Z') },
      { caseId: 'c1', kind: 'respond', fact: 'passed', version: 3, level: 2, dueAt: new Date(respond.dueAt), fireAt: new Date(respond.dueAt) },
      { caseId: 'c1', kind: 'resolve', fact: 'warning', version: 3, level: 2, dueAt: new Date(resolve.dueAt), fireAt: new Date('2026-03-02T02:00:00.000Z') },
      { caseId: 'c1', kind: 'resolve', fact: 'passed', version: 3, level: 2, dueAt: new Date(resolve.dueAt), fireAt: new Date(resolve.dueAt) },
    ]);
  });

  it('warns a working-day clock at the warnAt the case of record sent (office hours), not at 75 % of the clock time (audit 22 #2)', () => {
    // 2 working days from Thursday 20:15 Shanghai, due Monday 18:00: 75 % of the clock time is Sunday 18:36.
    const verify = { kind: 'verify' as const, startedAt: '2026-03-05T12:15:00.000Z', dueAt: '2026-03-09T10:00:00.000Z', warnAt: '2026-03-09T05:30:00.000Z' };
    expect(timersOf(set(2, [verify])).map((t) => [t.fact, t.fireAt.toISOString()])).toEqual([
      ['warning', '2026-03-09T05:30:00.000Z'],
      ['passed', '2026-03-09T10:00:00.000Z'],
    ]);
    // A warnAt after the deadline (never sent so) still warns no later than the deadline.
    expect(timersOf(set(2, [{ ...verify, warnAt: '2026-03-09T11:00:00.000Z' }]))[0]?.fireAt.toISOString()).toBe(verify.dueAt);
  });

  it('gives nothing when nothing runs (on hold, closed)', () => {
    expect(timersOf(set(4, []))).toEqual([]);
  });

  it('gives a hold’s end one timer of its own, due at holdUntil, and never a warning (催办 is for work budgets)', () => {
    const until = '2026-03-02T00:00:00.000Z';
    expect(timersOf({ ...set(4, [], 1), holdUntil: until })).toEqual([
      { caseId: 'c1', kind: 'hold', fact: 'passed', version: 4, level: 1, dueAt: new Date(until), fireAt: new Date(until) },
    ]);
  });
});

describe('planMirror', () => {
  it('applies the first set of a case', () => {
    const plan = planMirror(NO_VERSION, set(1, [respond, resolve]));
    expect(plan).toEqual({ apply: true, create: timersOf(set(1, [respond, resolve])) });
  });

  it('lets a newer version replace what is armed, even one that skips versions', () => {
    expect(planMirror(1, set(2, [resolve]))).toEqual({ apply: true, create: timersOf(set(2, [resolve])) });
    expect(planMirror(2, set(5, []))).toEqual({ apply: true, create: [] });
  });

  it('ignores an equal or older version: redelivered, replayed or overtaken', () => {
    expect(planMirror(2, set(2, [respond]))).toEqual({ apply: false, why: expect.stringContaining('version 2') });
    expect(planMirror(3, set(1, [respond, resolve]))).toMatchObject({ apply: false });
  });
});

describe('planMirror and a warning already sent', () => {
  // resolve ran 08:00 → next day 08:00 at level 0; its warning fired 6 h before the deadline.
  const lead = 6 * 3600_000;
  const warnedResolve = { kind: 'resolve' as const, level: 0, leadMs: lead, warned: true, passed: false };
  const shifted = { kind: 'resolve' as const, startedAt: '2026-03-01T10:00:00.000Z', dueAt: '2026-03-02T10:00:00.000Z' };
  const carried = (plan: ReturnType<typeof planMirror>) =>
    plan.apply ? plan.create.filter((t) => t.carried).map((t) => `${t.fact} ${t.kind}`) : [];

  it('is not repeated for the same deadline re-announced or shifted whole (acknowledge, resume)', () => {
    expect(carried(planMirror(3, set(4, [resolve]), [warnedResolve]))).toEqual(['warning resolve']);
    expect(carried(planMirror(3, set(4, [shifted]), [warnedResolve]))).toEqual(['warning resolve']);
  });

  it('is sent again for a new deadline: other budget, another level, after it passed, or never warned', () => {
    const extended = { ...resolve, dueAt: '2026-03-03T08:00:00.000Z' };
    expect(carried(planMirror(3, set(4, [extended]), [warnedResolve]))).toEqual([]);
    expect(carried(planMirror(3, set(4, [resolve], 1), [warnedResolve]))).toEqual([]);
    expect(carried(planMirror(3, set(4, [resolve]), [{ ...warnedResolve, passed: true }]))).toEqual([]);
    expect(carried(planMirror(3, set(4, [resolve]), [{ ...warnedResolve, warned: false }]))).toEqual([]);
    expect(carried(planMirror(3, set(4, [{ ...resolve, kind: 'verify' }]), [warnedResolve]))).toEqual([]);
  });

  it('knows a working-day clock resumed (shifted whole with its warnAt) as the same deadline, an extension of it as a new one', () => {
    // verify Thursday 20:15 → Monday 18:00 Shanghai, warned Monday 13:30: 4 h 30 min before its deadline.
    const verify = { kind: 'verify' as const, startedAt: '2026-03-05T12:15:00.000Z', dueAt: '2026-03-09T10:00:00.000Z', warnAt: '2026-03-09T05:30:00.000Z' };
    const warnedVerify = { kind: 'verify' as const, level: 0, leadMs: 4.5 * 3600_000, warned: true, passed: false };
    const held = 27 * 3600_000;
    const later = (iso: string) => new Date(Date.parse(iso) + held).toISOString();
    const resumed = { ...verify, startedAt: later(verify.startedAt), dueAt: later(verify.dueAt), warnAt: later(verify.warnAt) };
    expect(carried(planMirror(3, set(4, [verify]), [warnedVerify]))).toEqual(['warning verify']);
    expect(carried(planMirror(3, set(4, [resumed]), [warnedVerify]))).toEqual(['warning verify']);
    expect(carried(planMirror(3, set(4, [{ ...verify, warnAt: '2026-03-09T06:30:00.000Z' }]), [warnedVerify]))).toEqual([]);
  });

  it('never carries the passed timer: a passed deadline of the new version must still be reported', () => {
    const plan = planMirror(3, set(4, [resolve]), [{ ...warnedResolve }]);
    expect(plan.apply && plan.create.find((t) => t.fact === 'passed')?.carried).toBeUndefined();
  });
});
