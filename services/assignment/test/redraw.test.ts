import { describe, expect, it } from 'vitest';
import { openCase } from '../src/domain/case.ts';
import { DEMO_STATION } from '../src/domain/demo-station.ts';
import { OWNER_LEFT, OWNER_MOVED, rehome, whyRehome } from '../src/domain/redraw.ts';
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

describe('whyRehome: an owner who now serves another grid (audit5 #3)', () => {
  const inPlace = { lat: 38.265, lng: 101.931 };
  const routed = { ...open, policeGridCode: 'CG-01', routedBy: 'gridCode' };
  /** The import that swapped the two grid workers of CG-01-01 and CG-01-02. */
  const swapped = {
    grids: DEMO_STATION.grids,
    officers: DEMO_STATION.officers.map((o) =>
      o.officerId === 'worker-CG-01-01' ? { ...o, gridCode: 'CG-01-02' } : o.officerId === 'worker-CG-01-02' ? { ...o, gridCode: 'CG-01-01' } : o,
    ),
  };
  it('moves a case whose grid worker now serves another community grid, saying where', () => {
    expect(whyRehome(routed, inPlace, { grids: DEMO_STATION.grids, officers: DEMO_STATION.officers })).toBeUndefined();
    expect(whyRehome(routed, inPlace, swapped)).toBe(`${OWNER_MOVED}: the gridWorker now serves CG-01-02`);
    const { record } = openCase(opened(), DEMO_STATION, T0);
    const { record: after, events } = rehome(record, { gridCode: 'CG-01-01' }, swapped, OWNER_MOVED, minutes(5));
    expect(after.assignees.map((a) => a.officerId)).toEqual(['officer-CG-01', 'worker-CG-01-02']);
    expect(events[0]?.data).toMatchObject({ routedBy: 'redrawn', reason: OWNER_MOVED });
  });

  it('moves a case whose grid officer or lead now serves another police grid, at any level', () => {
    const officerMoved = { grids: DEMO_STATION.grids, officers: DEMO_STATION.officers.map((o) => (o.officerId === 'officer-CG-01' ? { ...o, policeGridCode: 'CG-02' } : o)) };
    expect(whyRehome(routed, inPlace, officerMoved)).toBe(`${OWNER_MOVED}: the officer now serves CG-02`);
    const atLead = { ...routed, routedBy: 'escalation', assignees: [{ officerId: 'lead-CG-01', role: 'lead' as const }] };
    const leadMoved = { grids: DEMO_STATION.grids, officers: DEMO_STATION.officers.map((o) => (o.officerId === 'lead-CG-01' ? { ...o, policeGridCode: 'CG-03' } : o)) };
    expect(whyRehome(atLead, inPlace, leadMoved)).toBe(`${OWNER_MOVED}: the lead now serves CG-03`);
    // Above level 0 it goes to the rung of its level in its police grid: CG-01 has no lead now, so up to the desk leader.
    const escalated = { ...openCase(opened(), DEMO_STATION, T0).record, level: 1, assignees: atLead.assignees };
    const { record: after } = rehome(escalated, { gridCode: 'CG-01-01' }, leadMoved, OWNER_MOVED, minutes(5));
    expect(after.assignees.map((a) => a.officerId)).toEqual(['desk-leader-CG']);
  });

  it('never for station-wide roles, a police owner the desk chose by hand, or a case at the desk', () => {
    const chiefs = { ...routed, assignees: [{ officerId: 'desk-leader-CG', role: 'deskLeader' as const }, { officerId: 'chief-CG', role: 'chief' as const }] };
    expect(whyRehome(chiefs, inPlace, swapped)).toBeUndefined();
    const calledIn = { ...routed, routedBy: 'reassign', assignees: [{ officerId: 'officer-CG-02', role: 'officer' as const }] };
    expect(whyRehome(calledIn, inPlace, swapped)).toBeUndefined();
    // A grid worker of another grid is never a hand-made choice: reassign refuses it.
    expect(whyRehome({ ...calledIn, assignees: pair }, inPlace, swapped)).toBe(`${OWNER_MOVED}: the gridWorker now serves CG-01-02`);
    const atDesk = { status: 'open' as const, gridCode: null, policeGridCode: null, routedBy: 'desk', assignees: [{ officerId: 'officer-CG-01', role: 'officer' as const }] };
    expect(whyRehome(atDesk, inPlace, swapped)).toBeUndefined();
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

  it('above level 0 never hands a case down below the rank its owners hold', () => {
    // Escalated from the desk (no police grid): level 1 is the desk leader's. Placed in CG-01 by the
    // redraw, its level-1 rung there is CG-01's lead, who is outranked by the desk leader holding it.
    const atDesk = openCase(opened({ location: { lat: 0, lng: 0 } }), DEMO_STATION, T0).record;
    const escalated = { ...atDesk, level: 1, assignees: [{ officerId: 'desk-leader-CG', role: 'deskLeader' as const, name: '董振林' }] };
    const gone = { grids: DEMO_STATION.grids, officers: DEMO_STATION.officers.filter((o) => o.officerId !== 'desk-leader-CG') };
    const { record: after, events } = rehome(escalated, { gridCode: 'CG-01-01' }, gone, OWNER_LEFT, minutes(5));
    expect(after.policeGridCode).toBe('CG-01');
    expect(after.assignees.map((a) => a.role)).toEqual(['deputyChief']);
    expect(events[0]?.data).toMatchObject({ decision: { fallback: expect.stringContaining("lead: the case's owners hold that rank or higher") } });
  });
});
