import { describe, expect, it } from 'vitest';
import { ApiError } from '../../web/src/api.ts';
import { failed, type Held, sameQuery, shownFor, starting } from '../../web/src/held.ts';

describe('desk page: what a load shows while its query changes', () => {
  const unresolved = { quick: 'unresolved' };
  const overdue = { quick: 'overdue' };
  const rows = { items: ['CG-2026-000007', 'CG-2026-000013'] };
  const loaded: Held<typeof rows> = { query: ['token', unresolved], data: rows, error: undefined, loading: false };
  const stale = new ApiError(503, 'the revocation list is stale (it could not be refreshed lately)');

  it('keeps the rows on screen while the same query loads again, and beside a failure of that reload', () => {
    expect(starting(loaded, ['token', unresolved])).toEqual({ ...loaded, loading: false });
    expect(failed(loaded, ['token', unresolved], stale)).toEqual({ ...loaded, error: stale });
    expect(shownFor(loaded, ['token', unresolved], true)).toBe(loaded);
  });

  it("shows none of the previous filter's rows once the filter changed: loading, then the failure alone (audit20 #3)", () => {
    const asked = ['token', overdue];
    const start = starting(loaded, asked);
    expect(start).toEqual({ query: asked, data: undefined, error: undefined, loading: true });
    expect(failed(start, asked, stale)).toEqual({ query: asked, data: undefined, error: stale, loading: false });
    // Drawn before the new request even started: the old rows are already gone.
    expect(shownFor(loaded, asked, true)).toEqual({ query: asked, data: undefined, error: undefined, loading: true });
    // And an old failure does not stand for the new query either.
    expect(shownFor({ ...loaded, data: undefined, error: stale }, asked, false)).toEqual({ query: asked, data: undefined, error: undefined, loading: false });
  });

  it('compares a query part by part, as hooks compare their deps', () => {
    expect(sameQuery(['t', unresolved], ['t', unresolved])).toBe(true);
    expect(sameQuery(['t', unresolved], ['t', { quick: 'unresolved' }])).toBe(false);
    expect(sameQuery(['t'], ['t', unresolved])).toBe(false);
    expect(sameQuery([Number.NaN], [Number.NaN])).toBe(true);
  });
});
