import { ReferenceData } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { DEMO_STATION } from '../src/domain/demo-station.ts';

describe('the demo station document', () => {
  it('is a valid reference-data document', () => {
    const parsed = ReferenceData.safeParse(DEMO_STATION);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('is Chengguan with 19 police grids, each with a grid officer, a lead and 1–3 community grids', () => {
    expect(DEMO_STATION.station).toMatchObject({ code: 'CG', name: '城关派出所', county: '永昌县' });
    expect(DEMO_STATION.policeGrids.map((p) => p.code)).toEqual(Array.from({ length: 19 }, (_, i) => `CG-${String(i + 1).padStart(2, '0')}`));
    expect(DEMO_STATION.policeGrids[0]!.name).toBe('第一警务区');
    for (const p of DEMO_STATION.policeGrids) {
      const staff = DEMO_STATION.officers.filter((o) => o.policeGridCode === p.code);
      // CG-13 has a second officer on the night shift (the demo roster).
      expect(staff.filter((o) => o.role === 'officer'), p.code).toHaveLength(p.code === 'CG-13' ? 2 : 1);
      expect(staff.filter((o) => o.role === 'lead'), p.code).toHaveLength(1);
      const grids = DEMO_STATION.grids.filter((g) => g.policeGridCode === p.code);
      expect(grids.length, p.code).toBeGreaterThanOrEqual(1);
      expect(grids.length, p.code).toBeLessThanOrEqual(3);
    }
    for (const g of DEMO_STATION.grids) {
      expect(g.code.startsWith(`${g.policeGridCode}-`)).toBe(true);
      expect(DEMO_STATION.officers.filter((o) => o.role === 'gridWorker' && o.gridCode === g.code), g.code).toHaveLength(1);
    }
  });

  it('names the people and community of the source', () => {
    const names = DEMO_STATION.officers.map((o) => o.name);
    for (const name of ['王彦军', '张明辉', '吴映蓉', '吴翠', '孙杰中', '小李']) expect(names).toContain(name);
    expect(DEMO_STATION.officers.find((o) => o.name === '孙杰中')?.role).toBe('deputyChief');
    expect(DEMO_STATION.grids.find((g) => g.code === 'CG-01-01')?.community).toEqual({ code: 'baoheyuan', name: '宝河苑社区' });
    for (const role of ['deskLeader', 'deputyChief', 'chief'] as const) {
      expect(DEMO_STATION.officers.filter((o) => o.role === role)).toHaveLength(1);
    }
  });

  it('keeps every polygon inside 38.23–38.27 N, 101.93–101.99 E, in [lng, lat] order', () => {
    for (const g of DEMO_STATION.grids) {
      const ring = g.geometry.type === 'Polygon' ? g.geometry.coordinates[0]! : [];
      for (const [lng, lat] of ring) {
        expect(lng).toBeGreaterThanOrEqual(101.93);
        expect(lng).toBeLessThanOrEqual(101.99);
        expect(lat).toBeGreaterThanOrEqual(38.23);
        expect(lat).toBeLessThanOrEqual(38.27);
      }
    }
  });
});
