import { describe, expect, it } from 'vitest';
import { openCase } from '../src/domain/case.ts';
import { DEMO_STATION } from '../src/domain/demo-station.ts';
import { OWNER_LEFT, rehome, whyRehome } from '../src/domain/redraw.ts';
import { DEMO_ROSTERED, minutes, NIGHT, opened, T0 } from './fixtures.ts';
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

describe('rehome', () => {
  it('routes a red case again with the grid officer among its owners, whatever its category', () => {
    const location = { gridCode: 'CG-10-01' };
    const { record } = openCase(opened({ category: 'service.general', severity: 'red', location }), DEMO_STATION, T0);
    // As a case routed before the rule: the grid worker alone.
    const workerAlone = { ...record, assignees: record.assignees.filter((a) => a.role === 'gridWorker') };
    const { record: after, events } = rehome(workerAlone, location, DEMO_STATION, OWNER_LEFT, minutes(5));
    expect(after.assignees.map((a) => a.officerId)).toEqual(['officer-CG-10', 'worker-CG-10-01']);
    expect(events[0]?.data).toMatchObject({ routedBy: 'redrawn', decision: { rule: 'service-worker+risk-needs-officer' } });
  });

  it('re-homes a red case at night, its grid officer off duty, to the lead on duty', () => {
    const location = { gridCode: 'CG-10-01' };
    const { record } = openCase(opened({ category: 'service.general', severity: 'red', location }), DEMO_ROSTERED, T0);
    const { record: after, events } = rehome(record, location, DEMO_ROSTERED, OWNER_LEFT, NIGHT);
    expect(after.assignees.map((a) => a.officerId)).toEqual(['lead-CG-10', 'worker-CG-10-01']);
    expect(events[0]?.data).toMatchObject({ routedBy: 'redrawn', decision: { rule: 'service-worker+risk-needs-officer+red-needs-on-duty' } });
  });
});
