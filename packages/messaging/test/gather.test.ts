import { describe, expect, it } from 'vitest';
import { gatherDelayMs } from '../src/relay.ts';

describe('the outbox relay gathers rows only under sustained load', () => {
  const o = { gatherMs: 25, gatherAfter: 8, batchSize: 500 };

  it('waits when each of the last two passes sent at least gatherAfter rows', () => {
    expect(gatherDelayMs([8, 8], o)).toBe(25);
    expect(gatherDelayMs([40, 120], o)).toBe(25);
  });

  it('never waits under light load: one row a pass keeps its latency', () => {
    expect(gatherDelayMs([0, 0], o)).toBe(0);
    expect(gatherDelayMs([1, 1], o)).toBe(0);
    expect(gatherDelayMs([7, 300], o)).toBe(0);
  });

  it('does not hold back the burst after a stall: one busy pass is not enough', () => {
    expect(gatherDelayMs([2, 60], o)).toBe(0);
    expect(gatherDelayMs([60, 2], o)).toBe(0);
  });

  it('does not wait after a full batch (more are certainly pending), nor when gathering is off', () => {
    expect(gatherDelayMs([500, 500], o)).toBe(0);
    expect(gatherDelayMs([100, 100], { ...o, gatherMs: 0 })).toBe(0);
  });
});
