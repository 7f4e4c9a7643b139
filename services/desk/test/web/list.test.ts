import { type DeskCaseSummary, NO_POLICE_GRID as CONTRACT_NO_POLICE_GRID, type Officer } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { byUrgency, isOverdue } from '../../web/src/deadline.ts';
import { caseQuery, NO_POLICE_GRID, policeGridChoices, policeGridFilterOf, urgentFirst } from '../../web/src/filter.ts';
import { dutyKey, mayOwn, rosterFor } from '../../web/src/roster.ts';
import { formatSpan, formatTimeShort, untilDeadline } from '../../web/src/time.ts';

const MIN = 60_000;
const now = Date.parse('2026-12-01T02:00:00Z');
const at = (minutes: number) => new Date(now + minutes * MIN).toISOString();

type Row = Pick<DeskCaseSummary, 'caseId' | 'status' | 'severity' | 'overdue' | 'openedAt' | 'respondBy' | 'resolveBy' | 'verifyBy' | 'followUpBy'>;
const row = (caseId: string, over: Partial<Row> = {}): Row => ({
  caseId,
  status: 'open',
  severity: 'yellow',
  overdue: false,
  openedAt: at(-60),
  respondBy: at(60),
  resolveBy: at(600),
  verifyBy: null,
  followUpBy: null,
  ...over,
});

describe('desk page: the list, most urgent first', () => {
  it('calls a case overdue when the server says so or its next deadline has passed since', () => {
    expect(isOverdue(row('a', { overdue: true, respondBy: at(10) }), now)).toBe(true);
    expect(isOverdue(row('b', { respondBy: at(-1) }), now)).toBe(true);
    expect(isOverdue(row('c', { respondBy: at(0) }), now)).toBe(false);
    // A held case runs no clock.
    expect(isOverdue(row('d', { status: 'on-hold', respondBy: at(-10) }), now)).toBe(false);
  });

  it('puts overdue red, overdue, red, then the rest, each by the nearest deadline, then the newest', () => {
    const cases = [
      row('yellow-later', { respondBy: at(90) }),
      row('red-fresh', { severity: 'red', respondBy: at(8) }),
      row('yellow-soon', { respondBy: at(20) }),
      row('orange-overdue', { severity: 'orange', respondBy: at(-5) }),
      // Escalated for a missed deadline: the next level's fresh clock runs, the case is still overdue.
      row('red-missed', { severity: 'red', overdue: true, status: 'acknowledged', resolveBy: at(30) }),
      row('no-clock-old', { status: 'on-hold', openedAt: at(-300) }),
      row('no-clock-new', { status: 'on-hold', openedAt: at(-100) }),
    ];
    expect(byUrgency(cases, now).map((c) => c.caseId)).toEqual(['red-missed', 'orange-overdue', 'red-fresh', 'yellow-soon', 'yellow-later', 'no-clock-new', 'no-clock-old']);
    // A copy: what was loaded keeps its order.
    expect(cases[0]!.caseId).toBe('yellow-later');
  });

  it('orders the views of cases being worked, not the closed list or all', () => {
    expect(urgentFirst({ quick: 'unresolved' })).toBe(true);
    expect(urgentFirst({ quick: 'toVerify' })).toBe(true);
    expect(urgentFirst({ quick: 'closed' })).toBe(false);
    expect(urgentFirst({ quick: 'all' })).toBe(false);
  });

  it('says a deadline in a few characters for the narrow column', () => {
    expect(untilDeadline('zh', at(25.5), now, true)).toEqual({ text: '剩25分', overdue: false, soon: true });
    expect(untilDeadline('zh', at(-5.5), now, true)).toEqual({ text: '超5分', overdue: true, soon: false });
    expect(untilDeadline('en', at(125), now, true).text).toBe('2h 5m left');
    expect(formatSpan('zh', (3 * 24 * 60 + 4 * 60) * MIN, true)).toBe('3天4小时');
    expect(formatSpan('zh', 30_000, true)).toBe('<1分');
    expect(formatSpan('en', 30_000, true)).toBe('<1m');
  });

  it('shows an opening time without the year in the current year (Beijing time)', () => {
    expect(formatTimeShort('2026-11-30T16:05:00Z', now)).toBe('12-01 00:05');
    expect(formatTimeShort('2025-12-31T15:00:00Z', now)).toBe('2025-12-31 23:00');
    expect(formatTimeShort(null, now)).toBe('—');
  });
});

describe('desk page: filters and the reassign picker', () => {
  const policeGrids = [{ code: 'CG-01' }, { code: 'CG-02' }, { code: 'CG-03' }];
  it('offers a grid-scoped token only the police grids of its grids', () => {
    const grids = [{ policeGridCode: 'CG-02' }];
    expect(policeGridChoices(policeGrids, grids, ['community']).map((p) => p.code)).toEqual(['CG-02']);
    expect(policeGridChoices(policeGrids, grids, ['desk']).map((p) => p.code)).toEqual(['CG-01', 'CG-02', 'CG-03']);
    expect(policeGridChoices(policeGrids, grids, ['community', 'supervisor'])).toHaveLength(3);
  });

  it("lists the queues' not-routed row as the cases no police grid took (policeGrid=none), not every case", () => {
    expect(NO_POLICE_GRID).toBe(CONTRACT_NO_POLICE_GRID);
    expect(policeGridFilterOf(null)).toBe('none');
    expect(policeGridFilterOf('CG-01')).toBe('CG-01');
    expect(caseQuery({ quick: 'unresolved', policeGrid: policeGridFilterOf(null) }).get('policeGrid')).toBe('none');
  });

  const roster: Officer[] = [
    { officerId: 'chief', name: '马国华', role: 'chief', onDuty: true },
    { officerId: 'desk-lead', name: '董振林', role: 'deskLeader', onDuty: true },
    { officerId: 'w-2', name: '小王', role: 'gridWorker', policeGridCode: 'CG-01', gridCode: 'CG-01-02', onDuty: true },
    { officerId: 'w-1', name: '小李', role: 'gridWorker', policeGridCode: 'CG-01', gridCode: 'CG-01-01', onDuty: true },
    { officerId: 'lead-1', name: '赵刚', role: 'lead', policeGridCode: 'CG-01', onDuty: true },
    { officerId: 'o-1b', name: '张伟', role: 'officer', policeGridCode: 'CG-01', onDuty: false },
    { officerId: 'o-1', name: '王彦军', role: 'officer', policeGridCode: 'CG-01', onDuty: true },
    { officerId: 'o-2', name: '吴映蓉', role: 'officer', policeGridCode: 'CG-02', onDuty: true },
  ];
  const place = { policeGridCode: 'CG-01', gridCode: 'CG-01-01' };
  it("lists the case's own police grid and grid, then the station's leaders; a search finds anyone", () => {
    expect(rosterFor(roster, place, '').map((o) => o.officerId)).toEqual(['o-1', 'o-1b', 'w-1', 'lead-1', 'desk-lead', 'chief']);
    expect(rosterFor(roster, place, 'cg-02').map((o) => o.officerId)).toEqual(['o-2']);
    expect(rosterFor(roster, place, '王').map((o) => o.officerId)).toEqual(['o-1']);
    expect(rosterFor(roster, place, '宝河苑', (o) => (o.policeGridCode === 'CG-02' ? '宝河苑警务区' : '')).map((o) => o.officerId)).toEqual(['o-2']);
    // An unrouted case (at the desk): the station's leaders.
    expect(rosterFor(roster, { policeGridCode: null, gridCode: null }, '').map((o) => o.officerId)).toEqual(['desk-lead', 'chief']);
  });

  it('never offers a grid worker the case of record would refuse: one of another grid, or any on a tip (audit 7)', () => {
    // 小王 is the grid worker of CG-01-02: found by name, still not offered for a CG-01-01 case.
    expect(rosterFor(roster, place, '小').map((o) => o.officerId)).toEqual(['w-1']);
    expect(rosterFor(roster, place, 'CG-01-02').map((o) => o.officerId)).toEqual([]);
    expect(rosterFor(roster, { ...place, gridCode: 'CG-01-02' }, '小').map((o) => o.officerId)).toEqual(['w-2']);
    expect(rosterFor(roster, { ...place, category: 'tip.vice' }, '小').map((o) => o.officerId)).toEqual([]);
    expect(rosterFor(roster, { ...place, category: 'tip.vice' }, '').map((o) => o.officerId)).toEqual(['o-1', 'o-1b', 'lead-1', 'desk-lead', 'chief']);
    // A case at the desk (no grid) is no grid worker's.
    expect(rosterFor(roster, { policeGridCode: null, gridCode: null }, '小')).toEqual([]);
    expect(mayOwn({ role: 'officer', gridCode: undefined }, { gridCode: null, category: 'tip.vice' })).toBe(true);
  });
});

describe('the picker says who is away', () => {
  it('says 休假 for someone on leave, 不在岗 off shift, nothing on duty; an older assignment without duty by onDuty', () => {
    expect(dutyKey({ onDuty: false, duty: 'on-leave' })).toBe('form.onLeave');
    expect(dutyKey({ onDuty: false, duty: 'off-duty' })).toBe('form.offDuty');
    expect(dutyKey({ onDuty: true, duty: 'on-duty' })).toBeUndefined();
    expect(dutyKey({ onDuty: false })).toBe('form.offDuty');
    expect(dutyKey({ onDuty: true })).toBeUndefined();
  });
});
