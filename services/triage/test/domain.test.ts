import { describe, expect, it } from 'vitest';
import { classify } from '../src/domain/classify.ts';
import { computeDeadlines, DEFAULT_POLICIES, pickPolicy } from '../src/domain/deadlines.ts';
import { findDuplicate, fingerprint, locationKey } from '../src/domain/duplicates.ts';

describe('classify', () => {
  it.each([
    ['楼上夫妻吵架一整夜', 'dispute.family'],
    ['两家因为车位发生纠纷', 'dispute.general'],
    ['广场上有人打架', 'dispute.fight'],
    ['楼道里闻到煤气味', 'hazard.fire'],
    ['消防通道被堵', 'hazard.fire'],
    ['单元门禁坏了，报警器响了一夜', 'hazard.facility'],
    ['孩子的滑板车在广场丢了', 'service.lost-property'],
    ['老人接到诈骗电话，说扫码送礼品', 'tip.fraud'],
    ['今天天气很好', 'unclassified'],
  ])('%s → %s', (description, category) => {
    expect(classify({ description }).category.code).toBe(category);
  });

  it("prefers the sender's category code, then keywords, then the kind hint", () => {
    expect(classify({ description: '有人吵架', category: 'hazard.fire' })).toMatchObject({ severity: 'red', rule: expect.stringContaining('sender') });
    expect(classify({ description: '无关内容', kind: 'service' }).category.code).toBe('service.general');
  });
});

describe('deadlines', () => {
  const receivedAt = new Date('2026-05-01T00:00:00Z');
  const red = pickPolicy(DEFAULT_POLICIES, 'hazard.fire', 'red');

  it('come from the policy for the severity', () => {
    const d = computeDeadlines(red, receivedAt, {});
    expect(d.respondBy.toISOString()).toBe('2026-05-01T00:05:00.000Z');
    expect(d.resolveBy.toISOString()).toBe('2026-05-01T02:00:00.000Z');
  });

  it("keep the earlier of policy and sender's deadline", () => {
    const d = computeDeadlines(red, receivedAt, { respondBy: '2026-05-01T00:01:00Z', resolveBy: '2026-05-09T00:00:00Z' });
    expect(d.respondBy.toISOString()).toBe('2026-05-01T00:01:00.000Z');
    expect(d.source).toEqual({ respondBy: 'sender', resolveBy: 'policy' });
  });

  it('prefer a category-specific policy over the severity default', () => {
    const custom = [...DEFAULT_POLICIES, { category: 'hazard.fire', severity: 'red' as const, respondMinutes: 2, resolveMinutes: 60 }];
    expect(pickPolicy(custom, 'hazard.fire', 'red').respondMinutes).toBe(2);
    expect(pickPolicy(custom, 'dispute.fight', 'red').respondMinutes).toBe(5);
  });
});

describe('duplicates', () => {
  it('ignore spacing and punctuation, Chinese or Latin', () => {
    expect(fingerprint('3号楼 门禁坏了，报警器响了一整夜！')).toBe(fingerprint('3号楼门禁坏了报警器响了一整夜'));
  });

  it('key places by grid, ~100 m cell, community, then address', () => {
    expect(locationKey({ gridCode: 'G1', lat: 1, lng: 2 })).toBe('grid:G1');
    expect(locationKey({ lat: 38.25012, lng: 101.95049 })).toBe(locationKey({ lat: 38.25031, lng: 101.95001 }));
    expect(locationKey({ communityCode: 'baoheyuan' })).toBe('community:baoheyuan');
  });

  it('match only the same category, place and words within a day', () => {
    const openedAt = new Date('2026-05-01T00:00:00Z');
    const open = [{ caseId: 'c1', category: 'hazard.facility', locationKey: 'grid:G1', fingerprint: 'abc', openedAt }];
    const report = { category: 'hazard.facility', locationKey: 'grid:G1', fingerprint: 'abc', receivedAt: new Date('2026-05-01T05:00:00Z') };
    expect(findDuplicate(open, report)?.caseId).toBe('c1');
    expect(findDuplicate(open, { ...report, category: 'hazard.fire' })).toBeUndefined();
    expect(findDuplicate(open, { ...report, receivedAt: new Date('2026-05-02T01:00:00Z') })).toBeUndefined();
  });
});
