import { describe, expect, it } from 'vitest';
import { DEMO_STATION } from '../src/domain/demo-station.ts';
import { buildGazetteer, lookupAddress, normalizeAddress } from '../src/domain/gazetteer.ts';
import { findGrid } from '../src/domain/locate.ts';

describe('normalizeAddress', () => {
  it.each([
    ['宝河苑小区3号楼', '宝河苑3栋'],
    ['宝河苑 3 栋', '宝河苑3栋'],
    ['宝河苑３幢', '宝河苑3栋'],
    ['宝河苑三号楼二单元', '宝河苑3栋2单元'],
    ['宝河苑十二号楼', '宝河苑12栋'],
    ['宝河苑二十三栋', '宝河苑23栋'],
    ['宝河苑3#楼', '宝河苑3栋'],
    ['宝河苑3-2-501', '宝河苑3栋2单元501室'],
    ['宝河苑社区3号栋２单元', '宝河苑3栋2单元'],
    ['北海子街１２号', '北海子街12号'],
  ])('%s → %s', (raw, normalized) => {
    expect(normalizeAddress(raw)).toBe(normalized);
  });
});

describe('lookupAddress', () => {
  const gazetteer = buildGazetteer([
    { address: '宝河苑小区', gridCode: 'CG-01-01' },
    { address: '宝河苑小区3号楼', gridCode: 'CG-01-02' },
    { address: '宝河苑小区13号楼', gridCode: 'CG-01-01' },
    { address: '北海子街12号', gridCode: 'CG-05-01' },
    { address: '文化巷1号', gridCode: 'CG-07-01' },
    { address: '文化巷1号', gridCode: 'CG-07-02' },
  ]);

  it('finds the most specific building a report names, in any of its spellings', () => {
    expect(lookupAddress('永昌县城关镇宝河苑3栋2单元501室门口有人吵架', gazetteer)).toEqual({ gridCode: 'CG-01-02', matched: '宝河苑小区3号楼' });
    expect(lookupAddress('宝河苑小区三号楼', gazetteer)).toMatchObject({ gridCode: 'CG-01-02' });
    expect(lookupAddress('宝河苑小区１３幢', gazetteer)).toMatchObject({ gridCode: 'CG-01-01' });
  });

  it('falls back to the compound when the building is unknown', () => {
    expect(lookupAddress('宝河苑小区7号楼', gazetteer)).toMatchObject({ gridCode: 'CG-01-01', matched: '宝河苑小区' });
  });

  it('does not cut a number in two', () => {
    const yards = buildGazetteer([{ address: '8号院', gridCode: 'CG-02-01' }]);
    expect(lookupAddress('18号院', yards)).toEqual({ miss: 'the address matches no building in the gazetteer' });
    expect(lookupAddress('88号院8号院', yards)).toMatchObject({ gridCode: 'CG-02-01' });
    expect(lookupAddress('北海子街112号', gazetteer)).toEqual({ miss: 'the address matches no building in the gazetteer' });
  });

  it('is a miss when equally specific addresses lie in different grids, without repeating the address', () => {
    const found = lookupAddress('文化巷1号', gazetteer);
    expect(found).toEqual({ miss: 'the address matches buildings in several grids (CG-07-01, CG-07-02)' });
  });

  it('says when the station has no gazetteer at all', () => {
    expect(lookupAddress('宝河苑3栋', [])).toEqual({ miss: 'the address cannot be placed: the station has no gazetteer' });
  });
});

describe('findGrid by address', () => {
  const gazetteer = buildGazetteer([{ address: '宝河苑小区3号楼', gridCode: 'CG-01-02' }]);

  it('routes an address-only location by the gazetteer', () => {
    const found = findGrid({ address: '宝河苑３号楼' }, DEMO_STATION.grids, gazetteer);
    expect(found).toMatchObject({ routedBy: 'address', grid: { code: 'CG-01-02' }, misses: [] });
  });

  it('tries the address after the grid, community and point, and names every miss', () => {
    expect(findGrid({ gridCode: 'CG-01-01', address: '宝河苑3号楼' }, DEMO_STATION.grids, gazetteer).routedBy).toBe('gridCode');
    const found = findGrid({ gridCode: 'XX', address: '某路1号' }, DEMO_STATION.grids, gazetteer);
    expect(found.grid).toBeUndefined();
    expect(found.misses).toEqual(['gridCode XX is not a known community or police grid', 'the address matches no building in the gazetteer']);
  });
});

describe('the demo gazetteer', () => {
  const gazetteer = buildGazetteer(DEMO_STATION.addresses ?? []);

  it('has 40+ addresses over every grid of the demo station, each routing to its own grid', () => {
    expect(gazetteer.length).toBeGreaterThanOrEqual(40);
    expect(new Set(gazetteer.map((e) => e.gridCode))).toEqual(new Set(DEMO_STATION.grids.map((g) => g.code)));
    for (const entry of gazetteer) expect(lookupAddress(`${entry.address}门口`, gazetteer), entry.address).toMatchObject({ gridCode: entry.gridCode });
  });

  it('reads the ways people write them', () => {
    expect(lookupAddress('宝河苑二期５号楼３单元', gazetteer)).toMatchObject({ gridCode: 'CG-01-02' });
    expect(lookupAddress('金川东村3组18号', gazetteer)).toMatchObject({ gridCode: 'CG-13-02' });
    expect(lookupAddress('紫金花园2区 9栋', gazetteer)).toMatchObject({ gridCode: 'CG-10-02' });
  });
});
