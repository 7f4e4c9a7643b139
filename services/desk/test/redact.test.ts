import { describe, expect, it } from 'vitest';
import { likePrefix, locationOf } from '../src/domain/location.ts';
import { redactData } from '../src/domain/redact.ts';

describe('redactData', () => {
  const opened = { caseId: 'c1', description: '有人组织非法集资', rule: 'tip.fundraising "非法集资" → tip.fundraising', reporter: { anonymous: false, hasContact: true }, category: 'tip.fundraising' };

  it('withholds a tip description and the rule line that quotes its words, and the reporter', () => {
    expect(redactData(opened, ['description', 'reporter'])).toEqual({ caseId: 'c1', description: null, rule: null, category: 'tip.fundraising' });
  });

  it("withholds a merged report's title and description with the tip's description", () => {
    const merged = { caseId: 'c1', reportId: 'r2', reason: 'same kind and place', title: '举报王五', description: '王五在302室放贷' };
    expect(redactData(merged, ['description', 'reporter'])).toEqual({ caseId: 'c1', reportId: 'r2', reason: 'same kind and place', title: null, description: null });
    expect(redactData(merged, ['reporter'])).toEqual(merged);
  });

  it('withholds only the reporter from other cases, and nothing from an unlimited token', () => {
    expect(redactData(opened, ['reporter'])).toEqual({ caseId: 'c1', description: '有人组织非法集资', rule: opened.rule, category: 'tip.fundraising' });
    expect(redactData(opened, [])).toBe(opened);
  });
});

describe('locationOf', () => {
  const location = { address: '宝河苑3栋', gridCode: 'BHY-01', communityCode: 'baoheyuan', lat: 38.26, lng: 101.93 };

  it('reads the case.opened location, a missing field as null', () => {
    expect(locationOf({ location }, [])).toEqual(location);
    expect(locationOf({ location: { address: '不存在的路99号' } }, ['reporter'])).toEqual({ address: '不存在的路99号', gridCode: null, communityCode: null, lat: null, lng: null });
    expect(locationOf({ location: { lat: 38.26 } }, [])).toMatchObject({ lat: null, lng: null });
  });

  it('is null without a case.opened or its location', () => {
    expect(locationOf(undefined, [])).toBeNull();
    expect(locationOf({ caseId: 'c1' }, [])).toBeNull();
  });

  it('withholds the address and the point with the description (a tip, to a community token), keeping the grid codes', () => {
    expect(locationOf({ location }, ['description', 'reporter'])).toEqual({ address: null, gridCode: 'BHY-01', communityCode: 'baoheyuan', lat: null, lng: null });
    expect(redactData({ location }, ['description', 'reporter'])).toEqual({ location: { gridCode: 'BHY-01', communityCode: 'baoheyuan' } });
    expect(redactData({ location }, ['reporter'])).toEqual({ location });
  });
});

describe('likePrefix', () => {
  it('matches LIKE wildcards as themselves', () => {
    expect(likePrefix('CG-2026_0%\\')).toBe('CG-2026\\_0\\%\\\\');
    expect(likePrefix('CG-2026-0001')).toBe('CG-2026-0001');
  });
});
