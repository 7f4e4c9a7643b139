import type { GridGeometry, ReferenceData } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { DEMO_STATION } from '../src/domain/demo-station.ts';
import { checkReferenceData, ImportDocument } from '../src/domain/reference-validation.ts';
import { box } from './geometry.ts';


/** One police grid P (0..2 × 0..1, in hundredths of a degree) split into A (west) and B (east). */
function station(a: GridGeometry, b: GridGeometry, police: GridGeometry | null = box(100, 30, 100.02, 30.01)): ReferenceData {
  return {
    station: { code: 'S', name: 'S' },
    policeGrids: [{ code: 'P', name: 'P', stationCode: 'S', geometry: police ?? undefined }],
    grids: [
      { code: 'P-A', name: 'A', policeGridCode: 'P', community: { code: 'c', name: 'c' }, geometry: a },
      { code: 'P-B', name: 'B', policeGridCode: 'P', community: { code: 'c', name: 'c' }, geometry: b },
    ],
    officers: [{ officerId: 'd', name: 'd', role: 'deskLeader', onDuty: true }],
  };
}
const A = box(100, 30, 100.01, 30.01);
const B = box(100.01, 30, 100.02, 30.01);

describe('checkReferenceData', () => {
  it('accepts the demo station and grids that tile their police grid', () => {
    expect(checkReferenceData(DEMO_STATION).problems).toEqual([]);
    expect(checkReferenceData(station(A, B))).toEqual({ problems: [], notes: [] });
  });

  it('names two grids of one police grid that overlap, at the later one of the pair', () => {
    const { problems } = checkReferenceData(station(box(100, 30, 100.012, 30.01), B));
    expect(problems).toEqual([{ path: 'grids.1.geometry', message: expect.stringMatching(/^grid P-B overlaps grid P-A of police grid P by \d+ m²$/) }]);
  });

  it("names the grid whose polygon was copied from an earlier one (audit 7 #10), not the earlier grid", () => {
    const { problems } = checkReferenceData(station(A, A, box(100, 30, 100.01, 30.01)));
    expect(problems).toEqual([{ path: 'grids.1.geometry', message: expect.stringMatching(/^grid P-B overlaps grid P-A of police grid P by \d+ m²$/) }]);
  });

  it('names each later grid once per earlier grid it overlaps', () => {
    const doc = station(A, B);
    doc.grids.push({ code: 'P-C', name: 'C', policeGridCode: 'P', community: { code: 'c', name: 'c' }, geometry: box(100.005, 30, 100.015, 30.01) });
    expect(checkReferenceData(doc).problems.map((p) => [p.path, p.message.replace(/ by \d+ m²$/, '')])).toEqual([
      ['grids.2.geometry', 'grid P-C overlaps grid P-A of police grid P'],
      ['grids.2.geometry', 'grid P-C overlaps grid P-B of police grid P'],
    ]);
  });

  it('names a grid whose ring crosses itself (a bow tie)', () => {
    const bowTie: GridGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [100, 30],
          [100.01, 30.01],
          [100.01, 30],
          [100, 30.01],
          [100, 30],
        ],
      ],
    };
    const { problems } = checkReferenceData(station(bowTie, B));
    expect(problems).toEqual([{ path: 'grids.0.geometry', message: 'grid P-A: a ring crosses itself at 100.005000,30.005000' }]);
  });

  it('names the police grid whose grids leave a gap', () => {
    const { problems } = checkReferenceData(station(box(100, 30, 100.009, 30.01), B));
    expect(problems).toEqual([{ path: 'policeGrids.0.geometry', message: expect.stringMatching(/^police grid P: \d+ m² lie in none of its grids \(P-A, P-B\)$/) }]);
  });

  it('skips the gap check where the police grid has no polygon, and says so', () => {
    expect(checkReferenceData(station(box(100, 30, 100.009, 30.01), B, null))).toEqual({
      problems: [],
      notes: ['gaps not checked for police grids without a polygon: P'],
    });
  });

  it('names addresses of missing grids and one address claimed by two grids', () => {
    const doc = {
      ...station(A, B),
      addresses: [
        { address: '宝河苑3号楼', gridCode: 'P-A' },
        { address: '宝河苑３栋', gridCode: 'P-B' },
        { address: '宝河苑4号楼', gridCode: 'P-X' },
      ],
    };
    expect(checkReferenceData(doc).problems).toEqual([
      { path: 'addresses.1.address', message: 'address 宝河苑３栋 is in grid P-B here and in grid P-A at addresses.0' },
      { path: 'addresses.2.gridCode', message: 'address 宝河苑4号楼: unknown grid P-X' },
    ]);
  });
});

describe('ImportDocument', () => {
  it('names the schema problems (an officer of a missing grid) and the geometry problems together', () => {
    const doc = {
      ...station(box(100, 30, 100.012, 30.01), B),
      officers: [
        { officerId: 'd', name: 'd', role: 'deskLeader' },
        { officerId: 'w', name: 'w', role: 'gridWorker', gridCode: 'P-Z' },
      ],
    };
    const result = ImportDocument.safeParse(doc);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))).toEqual([
      { path: 'officers.1.gridCode', message: 'unknown grid P-Z' },
      { path: 'grids.1.geometry', message: expect.stringMatching(/^grid P-B overlaps grid P-A of police grid P/) },
    ]);
  });

  it('names a station, police grid, grid, community or officer whose name says nothing, as it does an empty one (audit26 #4)', () => {
    const doc = station(A, B);
    doc.station.name = '   ';
    doc.policeGrids[0]!.name = '\u3000';
    doc.grids[0]!.name = '\u200b';
    doc.grids[1]!.community = { code: 'c', name: ' . ' };
    doc.officers[0]!.name = '';
    const result = ImportDocument.safeParse(doc);
    const SAYS_NOTHING = 'says nothing (only white space, punctuation or invisible characters): a name must tell one thing from another';
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['station.name', SAYS_NOTHING],
      ['policeGrids.0.name', SAYS_NOTHING],
      ['grids.0.name', SAYS_NOTHING],
      ['grids.1.community.name', SAYS_NOTHING],
      ['officers.0.name', expect.stringContaining('>=1')],
    ]);
  });

  it('names the geometry and gazetteer problems beside a field of the wrong type elsewhere', () => {
    const doc = {
      ...station(box(100, 30, 100.012, 30.01), B),
      officers: [{ officerId: 'd', name: 'd', role: 'deskLeader', onDuty: 'yes' }],
      addresses: [{ address: '幸福路1号', gridCode: 'P-Z' }],
    };
    const result = ImportDocument.safeParse(doc);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['officers.0.onDuty', 'grids.1.geometry', 'addresses.0.gridCode']);
  });
});
