import { describe, expect, it } from 'vitest';
import { DEMO_STATION } from '../src/domain/demo-station.ts';
import { OWNER_LEFT, whyRehome } from '../src/domain/redraw.ts';
import { box } from './geometry.ts';

const pair = [
  { officerId: 'officer-CG-01', role: 'officer' as const, name: '王彦军' },
  { officerId: 'worker-CG-01-01', role: 'gridWorker' as const, name: '小李' },
];
const nearBorder = { lat: 38.265, lng: 101.9355 };
const open = { status: 'acknowledged' as const, gridCode: 'CG-01-01', assignees: pair };

/** The demo station with the CG-01-01/CG-01-02 border moved from 101.936 to 101.935 E. */
const redrawn = {
  grids: DEMO_STATION.grids.map((g) =>
    g.code === 'CG-01-01' ? { ...g, geometry: box(101.93, 38.26, 101.935, 38.27) } : g.code === 'CG-01-02' ? { ...g, geometry: box(101.935, 38.26, 101.942, 38.27) } : g,
  ),
  officers: DEMO_STATION.officers,
};

describe('whyRehome', () => {
  it('moves a case whose place now lies in another grid', () => {
    expect(whyRehome(open, nearBorder, { grids: DEMO_STATION.grids, officers: DEMO_STATION.officers })).toBeUndefined();
    expect(whyRehome(open, nearBorder, redrawn)).toBe('the grids were redrawn: the place now lies in grid CG-01-02, not CG-01-01');
  });

  it('leaves closed cases, cases still in their grid, and desk cases with owners on the roster', () => {
    expect(whyRehome({ ...open, status: 'closed' }, nearBorder, redrawn)).toBeUndefined();
    expect(whyRehome(open, { lat: 38.265, lng: 101.931 }, redrawn)).toBeUndefined();
    const atDesk = { status: 'open' as const, gridCode: null, assignees: [{ officerId: 'desk-leader-CG', role: 'deskLeader' as const, name: '董振林' }] };
    expect(whyRehome(atDesk, nearBorder, redrawn)).toBeUndefined();
  });

  it('moves a case whose place lies in no grid now, and one whose owner left the roster', () => {
    const withoutCG01 = { ...redrawn, grids: redrawn.grids.filter((g) => g.policeGridCode !== 'CG-01') };
    expect(whyRehome(open, nearBorder, withoutCG01)).toBe('the grids were redrawn: the place lies in no grid now, not CG-01-01');
    const withoutWorker = { grids: DEMO_STATION.grids, officers: DEMO_STATION.officers.filter((o) => o.officerId !== 'worker-CG-01-01') };
    expect(whyRehome(open, { lat: 38.265, lng: 101.931 }, withoutWorker)).toBe(OWNER_LEFT);
  });
});
