import { describe, expect, it } from 'vitest';
import { likePrefix, locationOf } from '../src/domain/location.ts';
import { redactData, redactSummary } from '../src/domain/redact.ts';

describe('redactData', () => {
  const opened = { caseId: 'c1', description: '有人组织非法集资', rule: 'tip.fundraising "非法集资" → tip.fundraising', reporter: { anonymous: false, hasContact: true }, category: 'tip.fundraising' };

  it('withholds a tip description and the rule line that quotes its words, and the reporter', () => {
    expect(redactData(opened, ['description', 'reporter'])).toEqual({ caseId: 'c1', description: null, rule: null, category: 'tip.fundraising' });
  });

  it("withholds a merged report's title and description with the tip's description", () => {
    const merged = { caseId: 'c1', reportId: 'r2', reason: 'same kind and place', title: '举报王五', description: '王五在302室放贷' };
    // Its reason too: a tip's free-text reasons are withheld whoever wrote them (only system codes stay).
    expect(redactData(merged, ['description', 'reporter'])).toEqual({ caseId: 'c1', reportId: 'r2', reason: null, title: null, description: null });
    expect(redactData(merged, ['reporter'])).toEqual(merged);
  });

  it('withholds only the reporter from other cases, and nothing from an unlimited token', () => {
    expect(redactData(opened, ['reporter'])).toEqual({ caseId: 'c1', description: '有人组织非法集资', rule: opened.rule, category: 'tip.fundraising' });
    expect(redactData(opened, [])).toBe(opened);
  });
});

describe('redactData: the free text of a tip goes with its description', () => {
  const by = { clientId: 'c-wang', name: '王彦军', officerId: 'o-wang' };

  it('withholds the title, every note, note text and written reason, keeping who, when and the codes', () => {
    expect(redactData({ caseId: 'c1', title: '举报李四在302室吸毒', description: '李四…' }, ['description', 'reporter'])).toEqual({ caseId: 'c1', title: null, description: null });
    expect(redactData({ caseId: 'c1', text: '线人赵六说302室晚上有人赌博', by, at: 't' }, ['description', 'reporter'])).toEqual({ caseId: 'c1', text: null, by, at: 't' });
    expect(redactData({ note: '已联系举报人赵六 13700003333', by }, ['description', 'reporter'])).toEqual({ note: null, by });
    for (const reason of ['等待司法鉴定', '本人明日休假，转李警官', 'same place']) expect(redactData({ reason }, ['description', 'reporter'])).toEqual({ reason: null });
    for (const reason of ['respond-overdue', 'verified', 'hold-expired']) expect(redactData({ reason }, ['description', 'reporter'])).toEqual({ reason });
  });

  it("masks the numbers in other cases' notes and reasons for a community token (written before the desk masked them as sent)", () => {
    const note = { note: '张三说还在吵，电话13800138000', text: '邮箱 zhang@example.com', reason: '等回电 0931-8123456', by };
    expect(redactData(note, ['reporter'])).toEqual({ note: '张三说还在吵，电话138****8000', text: '邮箱 z****@example.com', reason: '等回电 0931******56', by });
    expect(redactData(note, [])).toBe(note);
  });

  it('keeps them on other cases and for unlimited tokens', () => {
    const note = { title: '邻居吵架', note: '已到现场', text: '调解中', reason: '需协调物业' };
    expect(redactData(note, ['reporter'])).toEqual(note);
    expect(redactData(note, [])).toBe(note);
  });
});

describe('redactSummary', () => {
  const summary = {
    title: '举报李四在302室吸毒',
    hold: { since: 't0', reason: '等待线人赵六回电' },
    extension: { until: 't1', reason: '需约见举报人', status: 'pending' as const },
  } as unknown as Parameters<typeof redactSummary>[0];

  it('withholds a tip title and its hold and extension reasons, naming the contract list', () => {
    expect(redactSummary(summary, ['description', 'reporter'])).toMatchObject({
      title: null,
      hold: { since: 't0', reason: null },
      extension: { until: 't1', reason: null, status: 'pending' },
      redacted: ['description', 'reporter'],
    });
  });

  it('masks the numbers in the hold and extension reasons of other cases for a community token', () => {
    const numbers = { ...summary, title: '邻居吵架', hold: { since: 't0', reason: '等当事人13800138000回电' }, extension: { until: 't1', reason: '约见 13900001111', status: 'pending' } } as typeof summary;
    expect(redactSummary(numbers, ['reporter'])).toMatchObject({ hold: { since: 't0', reason: '等当事人138****8000回电' }, extension: { until: 't1', reason: '约见 139****1111', status: 'pending' } });
    expect(redactSummary(numbers, [])).toBe(numbers);
  });

  it('names only the reporter on other cases, and changes nothing for an unlimited token', () => {
    expect(redactSummary(summary, ['reporter'])).toEqual({ ...summary, redacted: ['reporter'] });
    expect(redactSummary(summary, [])).toBe(summary);
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
