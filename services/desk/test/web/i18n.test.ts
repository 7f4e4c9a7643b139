import { CaseStatus, CATEGORIES, ClientRole, DeadlineKind, EVENT_SCHEMAS, OfficerRole, Outcome, Satisfaction, Severity } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { codes, DICTIONARIES, eventName, noStationNotice, pageTitle, t, word } from '../../web/src/i18n.ts';

describe('desk page words', () => {
  it('has a Chinese and an English word for every code the API sends', () => {
    const sets = [
      ['status', CaseStatus.options],
      ['severity', Severity.options],
      ['outcome', Outcome.options],
      ['satisfaction', Satisfaction.options],
      ['officerRole', OfficerRole.options],
      ['clientRole', ClientRole.options],
      ['deadline', DeadlineKind.options],
    ] as const;
    for (const [set, values] of sets) expect(codes(set).sort(), set).toEqual([...values].sort());
    const caseEvents = Object.keys(EVENT_SCHEMAS).filter((type) => type.startsWith('gridcase.case.')).map(eventName);
    expect(codes('event').sort()).toEqual(caseEvents.sort());
  });

  it('speaks Chinese first: grades as 红/橙/黄, statuses in words, never a code', () => {
    expect(['red', 'orange', 'yellow'].map((s) => word('zh', 'severity', s))).toEqual(['红', '橙', '黄']);
    expect(word('zh', 'status', 'open')).toBe('待签收');
    expect(word('zh', 'status', 'on-hold')).toBe('挂账');
    expect(word('en', 'status', 'follow-up')).toBe('To follow up');
    expect(word('zh', 'event', eventName('gridcase.case.deadline-warning.v1'))).toBe('催办');
    // A hold that ran out: the fact, and the resume the system made of it, who and why.
    expect(word('zh', 'event', eventName('gridcase.case.hold-expired.v1'))).toBe('挂账到期');
    expect(word('zh', 'resumeReason', 'hold-expired')).toBe('挂账到期，自动恢复办理');
    expect(word('zh', 'actor', 'system')).toBe('系统');
    // An unknown code is shown as it is rather than dropped (a person's client id too).
    expect(word('zh', 'status', 'archived')).toBe('archived');
    expect(word('zh', 'actor', '01a22c88-0215-76c3-844b-3a98d3a6e9ae')).toBe('01a22c88-0215-76c3-844b-3a98d3a6e9ae');
    expect(CATEGORIES.every((c) => c.name.zh && c.name.en)).toBe(true);
  });

  it('names the station(s) the token sees in the title, else none: never a station it does not serve', () => {
    expect(pageTitle('zh', [{ name: '城关派出所' }])).toBe('城关派出所 · 值班台');
    expect(pageTitle('zh', [{ name: '东关派出所' }])).toBe('东关派出所 · 值班台');
    expect(pageTitle('en', [{ name: '东关派出所' }])).toBe('东关派出所 · Duty desk');
    expect(pageTitle('zh', [{ name: '城关派出所' }, { name: '东关派出所' }])).toBe('城关派出所、东关派出所 · 值班台');
    // Signed out, not loaded yet, or a token that sees no station: neutral.
    for (const none of [undefined, []]) {
      expect(pageTitle('zh', none)).toBe('值班台');
      expect(pageTitle('en', none)).toBe('Duty desk');
    }
  });

  it('says so when the token sees no station, rather than a calm empty desk (audit20 #5)', () => {
    expect(noStationNotice('zh', [])).toMatch(/^此令牌不属于任何派出所，看不到任何案件/);
    expect(noStationNotice('en', [])).toMatch(/^This token belongs to no police station and can see no cases/);
    // Not loaded yet, or a station seen: nothing to say.
    expect(noStationNotice('zh', undefined)).toBeUndefined();
    expect(noStationNotice('zh', [{ name: '城关派出所' }])).toBeUndefined();
  });

  it("says the server's refusals in the desk's words: a blocked command, a refused one, a rejection on the timeline", async () => {
    const { personRefusal } = await import('../../src/domain/commands.ts');
    expect(word('zh', 'blocked', 'verify')).toBe('核查须由办结人以外的人进行');
    // The English words are the desk's own reasons, as the API gives them.
    const resolver = { clientId: 'c1', name: 'x', roles: ['officer'] as const, officerId: 'o1' };
    expect(word('en', 'blocked', 'verify')).toBe(personRefusal('verify', resolver as never, { status: 'resolved', resolvedBy: resolver } as never));
    expect(['400', '403', '404', '409'].map((status) => word('zh', 'refusal', status))).toEqual([
      '填写的内容有误',
      '无权执行此操作',
      '找不到此案件（或无权查看）',
      '案件当前状态不允许此操作',
    ]);
  });

  it('has every phrase in both languages and fills in its values', () => {
    expect(Object.keys(DICTIONARIES.en).sort()).toEqual(Object.keys(DICTIONARIES.zh).sort());
    for (const lang of ['zh', 'en'] as const) for (const [key, text] of Object.entries(DICTIONARIES[lang])) expect(text, `${lang} ${key}`).not.toBe('');
    expect(t('zh', 'time.left', { d: '25 分钟' })).toBe('还剩 25 分钟');
    expect(t('en', 'list.count', { n: 3 })).toBe('3 shown');
  });
});
