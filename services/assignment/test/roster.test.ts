import { type Officer, ReferenceData, type Shift } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { DEMO_STATION } from '../src/domain/demo-station.ts';
import { dutyStatus, inShift, leaveEnds, officerAt, type Roster, shanghaiWeekday } from '../src/domain/roster.ts';

/** An instant given as Asia/Shanghai local time. */
const local = (s: string) => new Date(`${s}+08:00`);
const WEEKDAYS = [1, 2, 3, 4, 5];
const day: Shift = { days: WEEKDAYS, start: '08:00', end: '20:00' };
const night: Shift = { days: [5], start: '20:00', end: '08:00' };
const person: Officer = { officerId: 'o1', name: '甲', role: 'officer', policeGridCode: 'A-01', onDuty: true };

describe('shifts in Asia/Shanghai local time', () => {
  it('knows the local weekday (Monday 1 … Sunday 7), also across UTC midnight', () => {
    expect(shanghaiWeekday(local('2026-03-02T00:30:00'))).toBe(1); // still Sunday in UTC
    expect(shanghaiWeekday(local('2026-03-08T23:59:00'))).toBe(7);
  });

  it('a day shift covers start inclusive to end exclusive on its days only', () => {
    expect(inShift(day, local('2026-03-02T08:00:00'))).toBe(true);
    expect(inShift(day, local('2026-03-02T19:59:00'))).toBe(true);
    expect(inShift(day, local('2026-03-02T20:00:00'))).toBe(false);
    expect(inShift(day, local('2026-03-02T07:59:00'))).toBe(false);
    expect(inShift(day, local('2026-03-07T10:00:00'))).toBe(false); // Saturday
  });

  it('an overnight shift belongs to the day it starts: Friday 20:00–08:00 covers Saturday morning, not Friday morning', () => {
    expect(inShift(night, local('2026-03-06T21:00:00'))).toBe(true); // Friday evening
    expect(inShift(night, local('2026-03-07T07:59:00'))).toBe(true); // Saturday morning
    expect(inShift(night, local('2026-03-07T08:00:00'))).toBe(false);
    expect(inShift(night, local('2026-03-06T07:00:00'))).toBe(false); // Friday morning: Thursday has no night shift
    expect(inShift(night, local('2026-03-07T21:00:00'))).toBe(false); // Saturday evening
  });

  it('a Sunday night shift runs into Monday morning', () => {
    expect(inShift({ days: [7], start: '22:00', end: '06:00' }, local('2026-03-09T05:00:00'))).toBe(true);
  });
});

describe('duty status', () => {
  const roster = (r: Partial<Roster>): Roster => ({ shifts: [], leave: [], onCall: false, ...r });

  it('with shifts: on duty only inside one', () => {
    expect(dutyStatus(person, roster({ shifts: [day] }), local('2026-03-02T09:00:00'))).toBe('on-duty');
    expect(dutyStatus(person, roster({ shifts: [day] }), local('2026-03-02T22:00:00'))).toBe('off-duty');
  });

  it('without shifts or roster entry: the onDuty flag, as before rosters', () => {
    expect(dutyStatus(person, undefined, local('2026-03-02T03:00:00'))).toBe('on-duty');
    expect(dutyStatus({ ...person, onDuty: false }, roster({}), local('2026-03-02T09:00:00'))).toBe('off-duty');
  });

  it('leave wins over a shift, from inclusive to until exclusive', () => {
    const onLeave = roster({ shifts: [day], leave: [{ from: '2026-03-02T10:00:00+08:00', until: '2026-03-02T12:00:00+08:00' }] });
    expect(dutyStatus(person, onLeave, local('2026-03-02T09:59:00'))).toBe('on-duty');
    expect(dutyStatus(person, onLeave, local('2026-03-02T10:00:00'))).toBe('on-leave');
    expect(dutyStatus(person, onLeave, local('2026-03-02T12:00:00'))).toBe('on-duty');
    expect(dutyStatus(person, roster({ leave: onLeave.leave }), local('2026-03-02T11:00:00'))).toBe('on-leave');
  });
});

describe('rosters in the reference-data document', () => {
  it('the demo station has two shifts and someone on leave, and loads', () => {
    const shifts = new Set(DEMO_STATION.rosters?.flatMap((r) => r.shifts.map((s) => `${s.start}-${s.end}`)));
    expect(shifts).toContain('08:00-20:00');
    expect(shifts).toContain('20:00-08:00');
    expect(DEMO_STATION.rosters?.filter((r) => r.leave.length > 0).map((r) => r.officerId)).toEqual(['officer-CG-13']);
    expect(ReferenceData.safeParse(DEMO_STATION).success).toBe(true);
  });

  it('refuses a roster of an unknown officer, a bad local time, a shift that starts and ends alike, leave ending before it starts', () => {
    const bad = {
      ...DEMO_STATION,
      rosters: [
        { officerId: 'nobody', shifts: [] },
        { officerId: 'officer-CG-01', shifts: [{ days: [1], start: '24:00', end: '08:00' }, { days: [8], start: '08:00', end: '08:00' }] },
        { officerId: 'officer-CG-02', leave: [{ from: '2026-03-02T10:00:00+08:00', until: '2026-03-02T09:00:00+08:00', reason: '事假' }] },
      ],
    };
    const result = ReferenceData.safeParse(bad);
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['rosters.0.officerId', 'rosters.1.shifts.0.start', 'rosters.1.shifts.1.days.0', 'rosters.1.shifts.1.end', 'rosters.2.leave.0.until']),
    );
  });

  it('refuses pairing rules that would give a tip to a grid worker', () => {
    const result = ReferenceData.safeParse({ ...DEMO_STATION, pairing: [{ id: 'tips-shared', categories: ['tip.vice'], owners: 'pair' }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toContain('tip.* cases go to the police only, never to a grid worker');
  });
});

describe('a person as GET /v1/officers shows them', () => {
  const rostered: Roster = { shifts: [day], leave: [{ from: '2026-03-09T00:00:00+08:00', until: '2026-03-16T00:00:00+08:00' }], onCall: true };
  it('is on duty by the rosters at the moment, not by the stored flag, and says why', () => {
    expect(officerAt(person, rostered, local('2026-03-02T10:00:00'))).toEqual({ ...person, onDuty: true, duty: 'on-duty', onCall: true });
    // At night the flag (true) does not make a day-shift officer on duty.
    expect(officerAt(person, rostered, local('2026-03-02T23:00:00'))).toMatchObject({ onDuty: false, duty: 'off-duty', onCall: true });
    expect(officerAt(person, rostered, local('2026-03-10T10:00:00'))).toMatchObject({ onDuty: false, duty: 'on-leave' });
    // Without shifts the flag decides, as routing reads it; without a roster entry nobody is on call.
    expect(officerAt({ ...person, onDuty: false }, undefined, local('2026-03-02T10:00:00'))).toEqual({ ...person, onDuty: false, duty: 'off-duty', onCall: false });
  });

  it('leaves the person it was given as it was (the stored flag routing reads is not changed)', () => {
    const stored = { ...person };
    officerAt(stored, rostered, local('2026-03-02T23:00:00'));
    expect(stored).toEqual(person);
  });
});

describe('when leave in force ends', () => {
  it('is the end of the period covering the moment, through periods that meet or overlap; undefined when not on leave', () => {
    const leave = [
      { from: '2026-03-01T00:00:00Z', until: '2026-03-03T00:00:00Z' },
      { from: '2026-03-02T00:00:00Z', until: '2026-03-04T00:00:00Z' },
      { from: '2026-03-04T00:00:00Z', until: '2026-03-06T00:00:00Z' },
      { from: '2026-03-07T00:00:00Z', until: '2026-03-08T00:00:00Z' },
    ];
    expect(leaveEnds(leave, new Date('2026-03-01T12:00:00Z'))).toEqual(new Date('2026-03-06T00:00:00Z'));
    expect(leaveEnds(leave, new Date('2026-03-06T00:00:00Z'))).toBeUndefined();
    expect(leaveEnds(leave, new Date('2026-03-07T00:00:00Z'))).toEqual(new Date('2026-03-08T00:00:00Z'));
    expect(leaveEnds([], new Date('2026-03-07T00:00:00Z'))).toBeUndefined();
  });
});
