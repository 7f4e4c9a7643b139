import type { CommunityGrid, Officer } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { DEMO_STATION } from '../src/domain/demo-station.ts';
import { type RoutingData, routeCase, routingCandidates } from '../src/domain/routing.ts';

const square = (west: number, south: number, size: number) => ({
  type: 'Polygon' as const,
  coordinates: [[[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]] as [number, number][]],
});

const grids: CommunityGrid[] = [
  { code: 'A-01-01', name: 'a1', policeGridCode: 'A-01', community: { code: 'alpha', name: '甲社区' }, geometry: square(100, 30, 1) },
  { code: 'A-01-02', name: 'a2', policeGridCode: 'A-01', community: { code: 'alpha', name: '甲社区' }, geometry: square(101, 30, 1) },
  { code: 'A-02-01', name: 'b1', policeGridCode: 'A-02', community: { code: 'beta', name: '乙村' }, geometry: square(102, 30, 1) },
];
const officers: Officer[] = [
  { officerId: 'o1', name: '警格员一', role: 'officer', policeGridCode: 'A-01', onDuty: true },
  { officerId: 'o2', name: '警格员二', role: 'officer', policeGridCode: 'A-02', onDuty: true },
  { officerId: 'w11', name: '小一', role: 'gridWorker', policeGridCode: 'A-01', gridCode: 'A-01-01', onDuty: true },
  { officerId: 'w12', name: '小二', role: 'gridWorker', policeGridCode: 'A-01', gridCode: 'A-01-02', onDuty: true },
  { officerId: 'w21', name: '小三', role: 'gridWorker', policeGridCode: 'A-02', gridCode: 'A-02-01', onDuty: true },
  { officerId: 'desk', name: '值班长', role: 'deskLeader', onDuty: true },
];
const data: RoutingData = { grids, officers };
const ids = (r: ReturnType<typeof routeCase>) => r.assignees.map((a) => `${a.role}:${a.officerId}`);

describe('routing a case to its grid officer and grid worker', () => {
  it('routes by a community grid code to the pair of that grid', () => {
    const route = routeCase({ gridCode: 'A-01-02' }, data);
    expect(route).toMatchObject({ routedBy: 'gridCode', policeGridCode: 'A-01', gridCode: 'A-01-02' });
    expect(ids(route)).toEqual(['officer:o1', 'gridWorker:w12']);
    expect(route.reason).toBeUndefined();
  });

  it('accepts a police grid code as gridCode and takes its first community grid', () => {
    const route = routeCase({ gridCode: 'A-01' }, data);
    expect(route).toMatchObject({ routedBy: 'gridCode', gridCode: 'A-01-01' });
    expect(ids(route)).toEqual(['officer:o1', 'gridWorker:w11']);
  });

  it('routes by community code to the community first grid', () => {
    const route = routeCase({ communityCode: 'beta' }, data);
    expect(route).toMatchObject({ routedBy: 'communityCode', policeGridCode: 'A-02', gridCode: 'A-02-01' });
    expect(ids(route)).toEqual(['officer:o2', 'gridWorker:w21']);
  });

  it('falls back to the community when the grid code is unknown', () => {
    const route = routeCase({ gridCode: 'NOPE', communityCode: 'alpha' }, data);
    expect(route).toMatchObject({ routedBy: 'communityCode', gridCode: 'A-01-01' });
  });

  it('routes a point to the grid whose polygon holds it', () => {
    const route = routeCase({ lat: 30.5, lng: 101.5 }, data);
    expect(route).toMatchObject({ routedBy: 'point', gridCode: 'A-01-02' });
    expect(ids(route)).toEqual(['officer:o1', 'gridWorker:w12']);
  });

  it('handles MultiPolygon grids', () => {
    const multi: CommunityGrid = {
      ...grids[2]!,
      geometry: { type: 'MultiPolygon', coordinates: [square(110, 30, 1).coordinates, square(120, 30, 1).coordinates] },
    };
    const route = routeCase({ lat: 30.5, lng: 120.5 }, { grids: [multi], officers });
    expect(route).toMatchObject({ routedBy: 'point', gridCode: 'A-02-01' });
  });

  it('sends a point outside every grid to the duty desk leader with the reason', () => {
    const route = routeCase({ lat: 10, lng: 10 }, data);
    expect(route.routedBy).toBe('desk');
    expect(ids(route)).toEqual(['deskLeader:desk']);
    expect(route.reason).toContain('outside every grid');
    expect(route.gridCode).toBeUndefined();
  });

  it('sends an address-only report to the desk, naming every miss', () => {
    expect(routeCase({ address: '永昌县城关镇某处' }, data).reason).toMatch(/the station has no gazetteer/);
    const route = routeCase({ gridCode: 'X-9', communityCode: 'nowhere', lat: 0, lng: 0 }, data);
    expect(route.routedBy).toBe('desk');
    expect(route.reason).toMatch(/gridCode X-9.*communityCode nowhere.*outside every grid/);
  });

  it('prefers the on-duty officer and still routes to an off-duty owner when nobody else serves', () => {
    const roster: Officer[] = [
      { officerId: 'off', name: '休', role: 'officer', policeGridCode: 'A-01', onDuty: false },
      { officerId: 'on', name: '班', role: 'officer', policeGridCode: 'A-01', onDuty: true },
      { officerId: 'w', name: '小', role: 'gridWorker', gridCode: 'A-01-01', onDuty: false },
    ];
    expect(ids(routeCase({ gridCode: 'A-01-01' }, { grids, officers: roster }))).toEqual(['officer:on', 'gridWorker:w']);
  });

  it('assigns the partner present when the roster lacks the other, and reports the gap', () => {
    const route = routeCase({ gridCode: 'A-01-01' }, { grids, officers: officers.filter((o) => o.officerId !== 'w11') });
    expect(ids(route)).toEqual(['officer:o1']);
    expect(route.gap).toContain('no grid worker');
  });
});

describe('the demo station', () => {
  it('routes the centre of every community grid to that grid and its pair', () => {
    for (const grid of DEMO_STATION.grids) {
      const ring = grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0]! : grid.geometry.coordinates[0]![0]!;
      const lngs = ring.map((p) => p[0]);
      const lats = ring.map((p) => p[1]);
      const lng = (Math.min(...lngs) + Math.max(...lngs)) / 2;
      const lat = (Math.min(...lats) + Math.max(...lats)) / 2;
      const route = routeCase({ lat, lng }, DEMO_STATION);
      expect(route.gridCode, `centre of ${grid.code}`).toBe(grid.code);
      expect(route.assignees.map((a) => a.role)).toEqual(['officer', 'gridWorker']);
    }
  });

  it('routes 宝河苑 by community code and a point just outside the county seat to the desk', () => {
    expect(routeCase({ communityCode: 'baoheyuan' }, DEMO_STATION)).toMatchObject({ gridCode: 'CG-01-01', routedBy: 'communityCode' });
    expect(routeCase({ lat: 38.265, lng: 101.933 }, DEMO_STATION)).toMatchObject({ gridCode: 'CG-01-01', routedBy: 'point' });
    expect(routeCase({ lat: 38.235, lng: 101.933 }, DEMO_STATION)).toMatchObject({ gridCode: 'CG-16-01', routedBy: 'point' });
    expect(routeCase({ lat: 38.3, lng: 101.96 }, DEMO_STATION).routedBy).toBe('desk');
  });
});

describe('routing candidates (whose open cases a new case needs counted)', () => {
  it('are the people of the case’s police grid and grid, and the station-wide roles; nobody of another grid', () => {
    expect(routingCandidates({ gridCode: 'A-01-02' }, data).sort()).toEqual(['desk', 'o1', 'w11', 'w12']);
    expect(routingCandidates({ lat: 30.5, lng: 102.5 }, data).sort()).toEqual(['desk', 'o2', 'w21']);
    // Unroutable: only the desk leader it falls back to.
    expect(routingCandidates({ gridCode: 'Z-99' }, data)).toEqual(['desk']);
  });

  it('route every case as everyone’s counts would: only candidates’ counts are ever weighed', () => {
    // Heavier loads on the first of each pair, so the counts decide who is picked.
    const everyone = new Map(officers.map((o, i) => [o.officerId, i % 2 === 0 ? 9 : 1]));
    const twins: Officer[] = officers.flatMap((o) => [o, { ...o, officerId: `${o.officerId}b`, name: `${o.name}乙` }]);
    const counts = new Map(twins.map((o, i) => [o.officerId, everyone.get(o.officerId) ?? i]));
    for (const location of [{ gridCode: 'A-01-01' }, { gridCode: 'A-01-02' }, { gridCode: 'A-02-01' }, { gridCode: 'Z-99' }]) {
      const full = { grids, officers: twins, openCases: counts };
      const only = new Set(routingCandidates(location, full));
      const restricted = { ...full, openCases: new Map([...counts].filter(([id]) => only.has(id))) };
      expect(routeCase(location, restricted), JSON.stringify(location)).toEqual(routeCase(location, full));
    }
  });
});
