import { describe, expect, it } from 'vitest';
import { furthestFill, levelLabel } from '../src/metrics.ts';

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
});
