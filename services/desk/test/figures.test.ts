import { describe, expect, it } from 'vitest';
import { type CaseFact, figures, groupBy, median, periodKey, periodStart, periods } from '../src/domain/figures.ts';
import { fiveNone, gradingRulesOf, troubleKinds } from '../src/domain/five-none.ts';

const T0 = new Date('2026-03-02T00:00:00Z'); // Monday 08:00 in Shanghai
const min = (m: number) => new Date(T0.getTime() + m * 60_000);

const fact = (over: Partial<CaseFact> = {}): CaseFact => ({
  caseId: over.caseId ?? 'c',
  kind: 'dispute',
  category: 'dispute.neighbour',
  severity: 'yellow',
  policeGridCode: 'PG-01',
  gridCode: 'G-01',
  status: 'open',
  openedAt: T0,
  acknowledgedAt: null,
  resolvedAt: null,
  outcome: null,
  resolveBy: min(600),
  escalations: 0,
  firstEscalatedAt: null,
  reworkCount: 0,
  relapse: false,
  gradedBy: [],
  ...over,
});

const resolvedAt = (m: number, outcome: CaseFact['outcome'] = 'mediated') => ({ status: 'closed' as const, resolvedAt: min(m), outcome });

describe('figures', () => {
  // Eight cases, hand-counted:
  //  a mediated at 100 (ack 10)            — needed, resolved, on time
  //  b resolved at 700 > resolveBy 600     — needed, resolved, late  (ack 20)
  //  c resolved at 200 but escalated once  — needed, resolved, not on time, escalated (ack 40)
  //  d unfounded at 50 (ack 5)             — not needed
  //  e duplicate at 30                     — not needed
  //  f open, relapse                       — needed, unresolved, relapse
  //  g acknowledged after rework, escalated— needed, unresolved, reworked, escalated (ack 30)
  //  h referred at 300, reworked once      — needed, resolved, on time, reworked
  const cases = [
    fact({ caseId: 'a', ...resolvedAt(100), acknowledgedAt: min(10) }),
    fact({ caseId: 'b', ...resolvedAt(700, 'resolved'), acknowledgedAt: min(20) }),
    fact({ caseId: 'c', ...resolvedAt(200), acknowledgedAt: min(40), escalations: 1, firstEscalatedAt: min(30) }),
    fact({ caseId: 'd', ...resolvedAt(50, 'unfounded'), acknowledgedAt: min(5) }),
    fact({ caseId: 'e', ...resolvedAt(30, 'duplicate') }),
    fact({ caseId: 'f', relapse: true }),
    fact({ caseId: 'g', status: 'acknowledged', acknowledgedAt: min(30), reworkCount: 1, escalations: 2, firstEscalatedAt: min(601) }),
    fact({ caseId: 'h', ...resolvedAt(300, 'referred'), reworkCount: 1 }),
  ];

  it('leaves unfounded and duplicate cases out of every rate (they were counted as resolved before)', () => {
    const f = figures(cases);
    expect(f).toMatchObject({ cases: 8, unfounded: 1, duplicates: 1, needed: 6, resolved: 4 });
    // 4 resolved (a, b, c, h) of 6 needed (a, b, c, f, g, h).
    expect(f.resolutionRate).toBeCloseTo(4 / 6);
  });

  it('on time: of the resolved, resolved by resolveBy and never escalated (a, h; not b late, not c escalated)', () => {
    const f = figures(cases);
    expect(f.onTime).toBe(2);
    expect(f.onTimeRate).toBe(0.5);
  });

  it('escalation (上交), rework and relapse rates', () => {
    const f = figures(cases);
    expect(f.escalated).toBe(2); // c, g
    expect(f.escalationRate).toBeCloseTo(2 / 6);
    // Reworked g and h, of the needed cases ever resolved: a, b, c, h resolved now, g resolved before its rework.
    expect(f.reworked).toBe(2);
    expect(f.reworkRate).toBeCloseTo(2 / 5);
    expect(f.relapses).toBe(1);
    expect(f.relapseRate).toBeCloseTo(1 / 6);
  });

  it('MTTA over every acknowledged case, MTTR over the resolved ones, in seconds', () => {
    const f = figures(cases);
    // Acknowledged: a 10, b 20, c 40, d 5, g 30 minutes → mean 21, median 20.
    expect(f.meanSecondsToAcknowledge).toBe(21 * 60);
    expect(f.medianSecondsToAcknowledge).toBe(20 * 60);
    // Resolved (needed): a 100, b 700, c 200, h 300 → mean 325, median (200 + 300) / 2 = 250.
    expect(f.meanSecondsToResolve).toBe(325 * 60);
    expect(f.medianSecondsToResolve).toBe(250 * 60);
  });

  it('answers null for a rate with nothing to divide by', () => {
    expect(figures([])).toMatchObject({ cases: 0, resolutionRate: null, onTimeRate: null, meanSecondsToAcknowledge: null });
    expect(figures([fact({ ...resolvedAt(5, 'unfounded') })])).toMatchObject({ cases: 1, needed: 0, resolutionRate: null, escalationRate: null });
  });

  it('median as percentile_cont(0.5): the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('groups by police grid or community grid, null (not routed) first', () => {
    const groups = groupBy([fact({ gridCode: 'G-02' }), fact({ gridCode: null }), fact({ gridCode: 'G-01' }), fact({ gridCode: 'G-02' })], (c) => c.gridCode);
    expect(groups.map(([k, list]) => [k, list.length])).toEqual([
      [null, 1],
      ['G-01', 1],
      ['G-02', 2],
    ]);
  });
});

describe('calendar periods (Asia/Shanghai)', () => {
  it('starts a week on Monday 00:00 Shanghai (Sunday 16:00 UTC) and names it by ISO week', () => {
    // Sunday 2026-03-01 23:30 Shanghai is still week 9; Monday 00:10 Shanghai is week 10.
    expect(periodStart('week', new Date('2026-03-01T15:30:00Z')).toISOString()).toBe('2026-02-22T16:00:00.000Z');
    expect(periodStart('week', new Date('2026-03-01T16:10:00Z')).toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(periodKey('week', new Date('2026-03-01T16:00:00Z'))).toBe('2026-W10');
    // 2027-01-01 is a Friday: its week is 2026's week 53.
    expect(periodKey('week', periodStart('week', new Date('2027-01-01T04:00:00Z')))).toBe('2026-W53');
    // 2026-01-01 is a Thursday: week 1 of 2026 starts Monday 2025-12-29.
    expect(periodKey('week', periodStart('week', new Date('2025-12-29T04:00:00Z')))).toBe('2026-W01');
  });

  it('starts a month on the 1st 00:00 Shanghai: 2026-03-31 20:00 UTC is already April', () => {
    expect(periodStart('month', new Date('2026-03-31T20:00:00Z')).toISOString()).toBe('2026-03-31T16:00:00.000Z');
    expect(periodKey('month', new Date('2026-03-31T16:00:00Z'))).toBe('2026-04');
  });

  it('lists the periods a range touches, clipped to it', () => {
    const list = periods('month', new Date('2026-01-15T00:00:00Z'), new Date('2026-03-10T00:00:00Z'));
    expect(list.map((p) => [p.key, p.from.toISOString(), p.to.toISOString()])).toEqual([
      ['2026-01', '2026-01-15T00:00:00.000Z', '2026-01-31T16:00:00.000Z'],
      ['2026-02', '2026-01-31T16:00:00.000Z', '2026-02-28T16:00:00.000Z'],
      ['2026-03', '2026-02-28T16:00:00.000Z', '2026-03-10T00:00:00.000Z'],
    ]);
    expect(periods('week', new Date('2026-03-02T00:00:00Z'), new Date('2026-03-16T00:00:00Z')).map((p) => p.key)).toEqual(['2026-W10', '2026-W11', '2026-W12']);
    // One more than the cap says the range is too long.
    expect(periods('week', new Date('2020-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'), 10)).toHaveLength(11);
  });
});

describe('五没有 (five nones)', () => {
  it('maps categories and grading rules to the five kinds', () => {
    expect(troubleKinds(fact({ kind: 'tip', category: 'tip.fraud' }))).toEqual(['criminal']);
    expect(troubleKinds(fact({ kind: 'tip', category: 'tip.vice' }))).toEqual(['publicOrder', 'drugs']);
    expect(troubleKinds(fact({ category: 'dispute.fight', severity: 'orange' }))).toEqual(['publicOrder']);
    expect(troubleKinds(fact({ severity: 'red', gradedBy: ['red.injury'] }))).toEqual(['publicOrder']);
    expect(troubleKinds(fact({ kind: 'hazard', category: 'hazard.fire', severity: 'red', gradedBy: ['red.fire-now'] }))).toEqual(['fire']);
    // A gas leak is red, but not a fire; a fire risk is orange and not a fire.
    expect(troubleKinds(fact({ kind: 'hazard', category: 'hazard.fire', severity: 'red', gradedBy: ['red.gas-leak'] }))).toEqual([]);
    expect(troubleKinds(fact({ kind: 'hazard', category: 'hazard.fire', severity: 'orange', gradedBy: ['orange.fire-risk'] }))).toEqual([]);
    // Red hazard.fire with no rule recorded: it may be a fire, so it counts.
    expect(troubleKinds(fact({ kind: 'hazard', category: 'hazard.fire', severity: 'red' }))).toEqual(['fire']);
    expect(troubleKinds(fact({ severity: 'red', gradedBy: ['red.mass-incident'] }))).toEqual(['massIncident']);
    // A knife threat at the gate that triage filed as a public-order hot spot is a public-order case; a hot spot with no weapon, injury or threat is not.
    expect(troubleKinds(fact({ kind: 'hazard', category: 'hazard.public-order', severity: 'red', gradedBy: ['red.weapon', 'red.threat'] }))).toEqual(['publicOrder']);
    expect(troubleKinds(fact({ kind: 'hazard', category: 'hazard.public-order', severity: 'orange', gradedBy: [] }))).toEqual([]);
    // An injury in a hazard (someone fell) is no public-order case.
    expect(troubleKinds(fact({ kind: 'hazard', category: 'hazard.facility', severity: 'red', gradedBy: ['red.injury'] }))).toEqual([]);
    expect(troubleKinds(fact({ category: 'dispute.neighbour' }))).toEqual([]);
  });

  it('counts nothing for an unfounded or duplicate case', () => {
    expect(troubleKinds(fact({ kind: 'tip', category: 'tip.fraud', ...resolvedAt(10, 'unfounded') }))).toEqual([]);
    expect(troubleKinds(fact({ kind: 'tip', category: 'tip.vice', ...resolvedAt(10, 'duplicate') }))).toEqual([]);
  });

  it('earns the mark only with none of the five', () => {
    expect(fiveNone([fact(), fact({ kind: 'service', category: 'service.lost-property' })])).toEqual({
      earned: true,
      counts: { criminal: 0, publicOrder: 0, fire: 0, massIncident: 0, drugs: 0 },
    });
    expect(fiveNone([fact({ kind: 'tip', category: 'tip.vice' }), fact({ kind: 'tip', category: 'tip.cult' })])).toEqual({
      earned: false,
      counts: { criminal: 1, publicOrder: 1, fire: 0, massIncident: 0, drugs: 1 },
    });
    expect(fiveNone([])).toMatchObject({ earned: true });
    expect(troubleKinds(fact({ kind: 'tip', category: 'tip.crime-against-person' }))).toEqual(['criminal']);
  });

  it("reads the grading rules from case.opened's rule line, never a quoted cue word", () => {
    const rule =
      'dispute.neighbour "吵架" → dispute.neighbour; red by red.mass-incident "围堵"; red.injury "red.fake"; deadlines: respondBy from policy, resolveBy from policy';
    expect(gradingRulesOf(rule)).toEqual(['red.mass-incident', 'red.injury']);
    expect(gradingRulesOf('category given by sender: tip.vice; orange by category default')).toEqual([]);
    expect(gradingRulesOf(null)).toEqual([]);
  });
});
