import { describe, expect, it } from 'vitest';
import { locationText } from '../../web/src/place.ts';
import { routingReasonZh, unroutableText } from '../../web/src/reasons.ts';

describe('desk page: why routing sent a case to the desk', () => {
  it("says each of routing's reasons in Chinese", () => {
    expect(routingReasonZh('the address matches no building in the gazetteer')).toEqual({ text: '地址在地址库中找不到对应楼栋', known: true });
    expect(routingReasonZh('gridCode XX-9 is not a known community or police grid; point 38.2,101.9 lies outside every grid').text).toBe(
      '网格代码 XX-9 不是本所的网格或警格；坐标 38.2,101.9 不在任何网格内',
    );
    expect(routingReasonZh('the address matches buildings in several grids (A-01, B-02)').text).toBe('地址对应多个网格的楼栋（A-01, B-02）');
    expect(routingReasonZh('grid CG-01-01 (police grid CG-01) has no grid officer or grid worker on the roster (off leave); and no desk leader is on the roster').text).toBe(
      '网格 CG-01-01（警格 CG-01）没有可派的警格员或网格员（不在休假的）；且名册上没有值班长',
    );
    expect(routingReasonZh('no gridCode, communityCode, lat/lng or address given').known).toBe(true);
  });

  it('sums up a reason it does not know, and keeps English as the case of record wrote it', () => {
    expect(routingReasonZh('the moon is in the wrong phase')).toEqual({ text: '无法定位网格，已转值班台', known: false });
    expect(routingReasonZh('the address matches no building in the gazetteer; something new').known).toBe(false);
    expect(unroutableText('zh', 'the address matches no building in the gazetteer')).toBe('无法定位网格，已转值班台：地址在地址库中找不到对应楼栋');
    expect(unroutableText('zh', 'something new')).toBe('无法定位网格，已转值班台');
    expect(unroutableText('zh', null)).toBe('无法定位网格，已转值班台');
    expect(unroutableText('en', 'something new')).toBe('No grid found; sent to the duty desk: something new');
  });
});

describe('desk page: where a case is', () => {
  const grids = new Map([['BHY-01', { code: 'BHY-01', name: '宝河苑第一网格', policeGridCode: 'PG-01', community: { code: 'baoheyuan', name: '宝河苑社区' } }]]);
  const desk = { lang: 'zh' as const, grids };

  it('names the address, the grid and community by name, and the point', () => {
    expect(locationText(desk, { address: '宝河苑3栋', gridCode: 'BHY-01', communityCode: 'baoheyuan', lat: 38.26, lng: 101.93 })).toBe(
      '宝河苑3栋 · 宝河苑第一网格 · 宝河苑社区 · 坐标 38.26, 101.93',
    );
    expect(locationText(desk, { address: '不存在的路99号', gridCode: null, communityCode: 'nowhere', lat: null, lng: null })).toBe('不存在的路99号 · nowhere');
  });

  it('is a dash with nothing to show', () => {
    expect(locationText(desk, null)).toBe('—');
    expect(locationText(desk, undefined)).toBe('—');
    expect(locationText(desk, { address: null, gridCode: null, communityCode: null, lat: null, lng: null })).toBe('—');
  });
});
