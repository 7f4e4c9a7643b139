import { describe, expect, it } from 'vitest';
import { countEscalation, escalations, escalationsUnstaffed, furthestFill, levelLabel } from '../src/metrics.ts';

const post = (filledBy: string) => ({ post: 'officer', chosen: null, filledBy, candidates: [] }) as never;
const route = (...fills: string[]) => ({ decision: { referenceVersion: null, rule: 'pair', posts: fills.map(post), fallback: null } });

describe('routing and escalation metrics', () => {
  it('label a route by the furthest fallback any post needed, and a route that filled no post as none', () => {
    expect(furthestFill(route('on-duty', 'on-duty'))).toBe('on-duty');
    expect(furthestFill(route('on-duty', 'off-duty-owner', 'on-call'))).toBe('off-duty-owner');
    expect(furthestFill(route('desk-leader', 'on-duty'))).toBe('desk-leader');
    expect(furthestFill(route())).toBe('none');
  });

  it('cap the level label at 4+, so a long ladder adds no series', () => {
    expect([1, 2, 3, 4, 9].map(levelLabel)).toEqual(['1', '2', '3', '4+', '4+']);
  });

  it('count an escalation that found nobody above also as unstaffed, for the operator to fill the rosters (audit19 #8)', async () => {
    const value = async (counter: typeof escalations, labels: Record<string, string>) =>
      (await counter.get()).values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k as never] === l))?.value ?? 0;
    const [all, unstaffed] = [await value(escalations, { reason: 'respond-overdue', level: '2' }), await value(escalationsUnstaffed, { level: '2' })];
    countEscalation('respond', 2, false);
    countEscalation('respond', 2, true);
    expect(await value(escalations, { reason: 'respond-overdue', level: '2' })).toBe(all + 2);
    expect(await value(escalationsUnstaffed, { level: '2' })).toBe(unstaffed + 1);
  });
});
