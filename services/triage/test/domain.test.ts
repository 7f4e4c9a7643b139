import { describe, expect, it } from 'vitest';
import { classify } from '../src/domain/classify.ts';
import { PUBLISHED_CALENDARS, WorkingCalendar } from '@gridcase/calendar';
import { budgetColumns, budgetFields, computeDeadlines, DEFAULT_POLICIES, pickPolicy, policyOf, resolvesBeforeResponding } from '../src/domain/deadlines.ts';

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
    expect(classify({ description: '有人吵架', category: 'hazard.fire' })).toMatchObject({ severity: 'orange', rule: expect.stringContaining('sender') });
    expect(classify({ description: '无关内容', kind: 'service' }).category.code).toBe('service.general');
  });
});

describe('deadlines', () => {
  const calendar = WorkingCalendar.of(PUBLISHED_CALENDARS);
  const receivedAt = new Date('2026-05-01T00:00:00Z');
  const red = pickPolicy(DEFAULT_POLICIES, 'hazard.fire', 'red');

  it('come from the policy for the severity', () => {
    const d = computeDeadlines(red, receivedAt, {}, calendar);
    expect(d.respondBy.toISOString()).toBe('2026-05-01T00:10:00.000Z');
    expect(d.resolveBy.toISOString()).toBe('2026-05-02T00:00:00.000Z');
  });

  it('count working days on the calendar: 18:00 Asia/Shanghai, skipping the May Day holiday', () => {
    // Received 2026-04-30 (Thursday) 20:00 Shanghai; 05-01…05-05 are holidays, Saturday 05-09 is worked.
    const d = computeDeadlines(pickPolicy(DEFAULT_POLICIES, 'dispute.general', 'yellow'), new Date('2026-04-30T20:00:00+08:00'), {}, calendar);
    expect(d.respondBy.toISOString()).toBe(new Date('2026-04-30T22:00:00+08:00').toISOString());
    // 05-06, 05-07, 05-08, Saturday 05-09, then Monday 05-11 is the fifth.
    expect(d.resolveBy.toISOString()).toBe(new Date('2026-05-11T18:00:00+08:00').toISOString());
    const service = computeDeadlines(pickPolicy(DEFAULT_POLICIES, 'service.general', 'service'), new Date('2026-04-30T20:00:00+08:00'), {}, calendar);
    expect(service.respondBy.toISOString()).toBe(new Date('2026-05-06T18:00:00+08:00').toISOString());
  });

  it("keep the earlier of policy and sender's deadline", () => {
    const d = computeDeadlines(red, receivedAt, { respondBy: '2026-05-01T00:01:00Z', resolveBy: '2026-05-09T00:00:00Z' }, calendar);
    expect(d.respondBy.toISOString()).toBe('2026-05-01T00:01:00.000Z');
    expect(d.source).toEqual({ respondBy: 'sender', resolveBy: 'policy' });
  });

  it("bring respondBy forward to a sender's resolveBy that falls before it", () => {
    const yellow = pickPolicy(DEFAULT_POLICIES, 'dispute.general', 'yellow');
    // The policy's respondBy is two hours after receipt; the sender wants it resolved within one.
    const d = computeDeadlines(yellow, receivedAt, { resolveBy: '2026-05-01T01:00:00Z' }, calendar);
    expect(d.resolveBy.toISOString()).toBe('2026-05-01T01:00:00.000Z');
    expect(d.respondBy.toISOString()).toBe('2026-05-01T01:00:00.000Z');
    expect(d.source).toEqual({ respondBy: 'sender', resolveBy: 'sender' });
  });

  it('prefer a category-specific policy over the severity default', () => {
    const custom = [...DEFAULT_POLICIES, { category: 'hazard.fire', severity: 'red' as const, respond: { minutes: 2 }, resolve: { minutes: 60 } }];
    expect(pickPolicy(custom, 'hazard.fire', 'red').respond).toEqual({ minutes: 2 });
    expect(pickPolicy(custom, 'dispute.fight', 'red').respond).toEqual({ minutes: 10 });
  });

  it('map budgets to exactly one column of each pair and back', () => {
    const orange = pickPolicy(DEFAULT_POLICIES, 'x', 'orange');
    expect(budgetColumns(orange)).toEqual({ respondMinutes: 30, respondWorkingDays: null, resolveMinutes: null, resolveWorkingDays: 3 });
    expect(budgetFields(orange)).toEqual({ respondMinutes: 30, resolveWorkingDays: 3 });
    expect(policyOf('*', 'orange', budgetColumns(orange))).toEqual(orange);
    expect(resolvesBeforeResponding(policyOf('*', 'red', { respondMinutes: 60, resolveMinutes: 30 }))).toBe(true);
    expect(resolvesBeforeResponding(policyOf('*', 'red', { respondMinutes: 600, resolveWorkingDays: 1 }))).toBe(false);
  });

  it('compare budgets of different units with a working day as 1440 minutes', () => {
    expect(resolvesBeforeResponding(policyOf('*', 'orange', { respondWorkingDays: 3, resolveMinutes: 60 }))).toBe(true);
    expect(resolvesBeforeResponding(policyOf('*', 'orange', { respondWorkingDays: 3, resolveMinutes: 4319 }))).toBe(true);
    expect(resolvesBeforeResponding(policyOf('*', 'orange', { respondWorkingDays: 3, resolveMinutes: 4320 }))).toBe(false);
    expect(resolvesBeforeResponding(policyOf('*', 'orange', { respondMinutes: 1441, resolveWorkingDays: 1 }))).toBe(true);
    expect(resolvesBeforeResponding(policyOf('*', 'orange', { respondMinutes: 1440, resolveWorkingDays: 1 }))).toBe(false);
    expect(resolvesBeforeResponding(policyOf('*', 'orange', { respondWorkingDays: 2, resolveWorkingDays: 1 }))).toBe(true);
    for (const p of DEFAULT_POLICIES) expect(resolvesBeforeResponding(p), `${p.severity}`).toBe(false);
  });
});
