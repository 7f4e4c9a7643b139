import { describe, expect, it } from 'vitest';
import type { CaseFact } from '../src/domain/figures.ts';
import { alertState, alertTransitions, BURN_ALERTS, disputeSliEvent, type SliEvent, windowBurn } from '../src/domain/slo.ts';

const NOW = new Date('2026-03-20T08:00:00Z');
const HOUR = 3_600_000;
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * HOUR);
const [FAST, SLOW] = BURN_ALERTS as [(typeof BURN_ALERTS)[0], (typeof BURN_ALERTS)[1]];

const good = (h: number): SliEvent => ({ at: hoursAgo(h), good: true });
const bad = (h: number): SliEvent => ({ at: hoursAgo(h), good: false });
/** n good events spread over the last `days` days, one every `days*24/n` hours. */
const steady = (n: number, days: number) => Array.from({ length: n }, (_, i) => good(((i + 0.5) * days * 24) / n));

const dispute = (over: Partial<CaseFact>): CaseFact => ({
  caseId: 'c',
  kind: 'dispute',
  category: 'dispute.neighbour',
  severity: 'yellow',
  policeGridCode: 'PG-01',
  gridCode: 'G-01',
  status: 'open',
  openedAt: hoursAgo(100),
  acknowledgedAt: null,
  resolvedAt: null,
  outcome: null,
  resolveBy: hoursAgo(10),
  escalations: 0,
  firstEscalatedAt: null,
  reworkCount: 0,
  relapse: false,
  gradedBy: [],
  ...over,
});

describe('dispute SLI events', () => {
  it('good when settled (mediated or resolved), bad when referred or escalated, none while worked or when nothing needed settling', () => {
    expect(disputeSliEvent(dispute({ resolvedAt: hoursAgo(5), outcome: 'mediated' }))).toEqual({ at: hoursAgo(5), good: true });
    expect(disputeSliEvent(dispute({ resolvedAt: hoursAgo(5), outcome: 'referred' }))).toEqual({ at: hoursAgo(5), good: false });
    // Escalated, then settled: it was 上交 when the deadline passed, whatever came after.
    expect(disputeSliEvent(dispute({ escalations: 1, firstEscalatedAt: hoursAgo(20), resolvedAt: hoursAgo(5), outcome: 'mediated' }))).toEqual({
      at: hoursAgo(20),
      good: false,
    });
    expect(disputeSliEvent(dispute({ status: 'acknowledged' }))).toBeUndefined();
    expect(disputeSliEvent(dispute({ resolvedAt: hoursAgo(5), outcome: 'unfounded' }))).toBeUndefined();
    expect(disputeSliEvent(dispute({ kind: 'hazard', resolvedAt: hoursAgo(5), outcome: 'resolved' }))).toBeUndefined();
  });
});

describe('burn rate', () => {
  it('is the bad share over the error budget (2 %): 1 bad of 10 burns at 5×', () => {
    const events = [...steady(9, 0.5), bad(1)];
    const w = windowBurn(events, NOW, 24 * HOUR);
    expect(w).toMatchObject({ good: 9, bad: 1 });
    expect(w.burnRate).toBeCloseTo(0.1 / 0.02);
    expect(windowBurn([], NOW, HOUR).burnRate).toBeNull();
  });

  it('counts an event in (end − window, end]: one exactly a window old has left it', () => {
    expect(windowBurn([bad(24)], NOW, 24 * HOUR).bad).toBe(0);
    expect(windowBurn([bad(23.99)], NOW, 24 * HOUR).bad).toBe(1);
  });
});

describe('multi-window burn-rate alert', () => {
  it('stays quiet on a healthy history: 99 % settled for a week (burn 0.5×)', () => {
    // 200 disputes over 7 days, two referred long ago and none recently.
    const history = [...steady(198, 7), bad(100), bad(150)];
    for (const alert of BURN_ALERTS) expect(alertState(history, NOW, alert).firing).toBe(false);
    expect(alertTransitions(history, FAST, hoursAgo(24), NOW)).toEqual([]);
  });

  it('fires both alerts on a bad history: a third of the last day unsettled, one in the last hour', () => {
    // Healthy week, then the last day: 8 good and 4 bad (burn 16.7× > 14.4), the last bad 1 h ago.
    const lastDay = [...steady(8, 1), bad(20), bad(12), bad(5), bad(1)];
    const history = [...steady(60, 7).filter((e) => e.at < hoursAgo(24)), ...lastDay];
    const fast = alertState(history, NOW, FAST);
    expect(fast.long.burnRate).toBeCloseTo(4 / 12 / 0.02);
    expect(fast.firing).toBe(true);
    // Over six days: 4 bad of 54 events is 7.4 % (3.7×) — below 6×, so the slow alert stays quiet.
    expect(alertState(history, NOW, SLOW).firing).toBe(false);
  });

  it('fires the slow alert on a steady 15 % failure over days, which the fast one misses in a quiet last day', () => {
    // 40 events over 6 days, 6 bad (15 % = 7.5×), the last bad 6 h ago: 1 of the last 12 h's 4 (12.5×).
    // The last day's 2 bad of 8 burn at 12.5×, under the fast alert's 14.4×.
    const bads = [130, 100, 70, 40, 20, 6].map(bad);
    const history = [...steady(34, 6), ...bads];
    expect(alertState(history, NOW, SLOW).firing).toBe(true);
    expect(alertState(history, NOW, FAST).firing).toBe(false);
  });

  it('fires at exactly the threshold: 3 bad of 25 is 12 %, 6× (1 − 0.98 is not exactly 0.02 in floating point)', () => {
    const history = [...steady(22, 5), bad(50), bad(30), bad(2)];
    expect(alertState(history, NOW, SLOW).long.burnRate).toBeCloseTo(6);
    expect(alertState(history, NOW, SLOW).firing).toBe(true);
  });

  it('needs both windows: a burst that ended stops the alert once the short window is clean', () => {
    // 3 bad of 3 between 4 and 3 h ago, nothing since: the long window burns at 50×, the short window is empty.
    const history = [bad(4), bad(3.5), bad(3)];
    expect(alertState(history, NOW, FAST).long.burnRate).toBeCloseTo(50);
    expect(alertState(history, NOW, FAST).firing).toBe(false);
    expect(alertState(history, hoursAgo(3), FAST).firing).toBe(true);
  });

  it('names when it started and stopped firing, the same instants whoever evaluates', () => {
    const history = [bad(4), bad(3.5), bad(3)];
    // Fires when the first bad event arrives (4 h ago) and stops 2 h (the short window) after the last one.
    expect(alertTransitions(history, FAST, hoursAgo(24), NOW)).toEqual([
      { at: hoursAgo(4), firing: true },
      { at: hoursAgo(1), firing: false },
    ]);
    // An evaluation an hour later, over another range, finds the same instants.
    expect(alertTransitions(history, FAST, hoursAgo(3.75), new Date(NOW.getTime() + HOUR))).toEqual([{ at: hoursAgo(1), firing: false }]);
  });
});
