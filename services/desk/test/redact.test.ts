import { describe, expect, it } from 'vitest';
import { redactData } from '../src/domain/redact.ts';

describe('redactData', () => {
  const opened = { caseId: 'c1', description: '有人组织非法集资', rule: 'tip.fundraising "非法集资" → tip.fundraising', reporter: { anonymous: false, hasContact: true }, category: 'tip.fundraising' };

  it('withholds a tip description and the rule line that quotes its words, and the reporter', () => {
    expect(redactData(opened, ['description', 'reporter'])).toEqual({ caseId: 'c1', description: null, rule: null, category: 'tip.fundraising' });
  });

  it('withholds only the reporter from other cases, and nothing from an unlimited token', () => {
    expect(redactData(opened, ['reporter'])).toEqual({ caseId: 'c1', description: '有人组织非法集资', rule: opened.rule, category: 'tip.fundraising' });
    expect(redactData(opened, [])).toBe(opened);
  });
});
