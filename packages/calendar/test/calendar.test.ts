import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  applyCalendarEvent,
  CALENDAR_UPDATED,
  type CalendarData,
  CalendarHolder,
  dateRange,
  deadline,
  isWeekend,
  isWorkingDay,
  PUBLISHED_CALENDARS,
  shanghaiDate,
  shanghaiMinuteOfDay,
  WorkingCalendar,
  workingTimeShareAt,
  yearsBetween,
} from '../src/index.ts';

const published = WorkingCalendar.of(PUBLISHED_CALENDARS);
const at = (iso: string) => new Date(iso);
const due = (receivedAt: string, n: number, calendar = published) => addWorkingDays(at(receivedAt), n, calendar).toISOString();

describe('working days on the State Council calendar', () => {
  it('National Day 2026: 2026-09-30 10:00 + 5 working days is 2026-10-13 18:00 (make-up Saturday 10-10 counts)', () => {
    expect(due('2026-09-30T10:00:00+08:00', 5)).toBe(at('2026-10-13T18:00:00+08:00').toISOString());
  });

  it('Spring Festival 2026: the make-up Saturday 02-14 is a working day, 02-15…02-23 are not, 02-28 works', () => {
    expect(isWorkingDay('2026-02-14', published)).toBe(true);
    expect(dateRange('2026-02-15', '2026-02-23').filter((d) => isWorkingDay(d, published))).toEqual([]);
    expect(due('2026-02-13T09:00:00+08:00', 1)).toBe(at('2026-02-14T18:00:00+08:00').toISOString());
    expect(due('2026-02-13T09:00:00+08:00', 2)).toBe(at('2026-02-24T18:00:00+08:00').toISOString());
    expect(due('2026-02-27T09:00:00+08:00', 1)).toBe(at('2026-02-28T18:00:00+08:00').toISOString());
  });

  it('counts from the Shanghai date of receipt, not the UTC one', () => {
    // 2026-02-13T16:30Z is 00:30 on Saturday 02-14 in Shanghai: day 1 is the first working day after 02-14.
    expect(due('2026-02-13T16:30:00Z', 1)).toBe(at('2026-02-24T18:00:00+08:00').toISOString());
  });

  it('a report at night or on a holiday counts from the first working day after that day', () => {
    expect(due('2026-09-29T23:30:00+08:00', 1)).toBe(at('2026-09-30T18:00:00+08:00').toISOString());
    expect(due('2026-09-30T19:00:00+08:00', 1)).toBe(at('2026-10-08T18:00:00+08:00').toISOString());
    expect(due('2026-10-03T12:00:00+08:00', 1)).toBe(at('2026-10-08T18:00:00+08:00').toISOString());
  });

  it('2025: New Year is one day, the 2025 National Day holiday runs 10-01…10-08 with make-up 09-28 and 10-11', () => {
    expect(isWorkingDay('2025-01-02', published)).toBe(true);
    expect(isWorkingDay('2025-09-28', published)).toBe(true);
    expect(isWorkingDay('2025-10-08', published)).toBe(false);
    expect(due('2025-09-30T10:00:00+08:00', 3)).toBe(at('2025-10-11T18:00:00+08:00').toISOString());
  });

  it('a year with no data is plain Monday–Friday, and the calendar names it as missing', () => {
    expect(published.missing([2026, 2027])).toEqual([2027]);
    expect(isWorkingDay('2027-01-01', published)).toBe(true); // a Friday; the real 2027 notice is not loaded
    expect(isWorkingDay('2027-01-02', published)).toBe(false);
    // Thursday 2026-12-31 + 2: Friday 2027-01-01, then Monday 2027-01-04.
    expect(due('2026-12-31T10:00:00+08:00', 2)).toBe(at('2027-01-04T18:00:00+08:00').toISOString());
    expect(yearsBetween(at('2026-12-31T10:00:00+08:00'), at('2027-01-04T18:00:00+08:00'))).toEqual([2026, 2027]);
    expect(WorkingCalendar.of().missing([2025])).toEqual([2025]);
  });

  it('minute budgets run on the clock, through nights and holidays', () => {
    expect(deadline(at('2026-10-01T23:55:00+08:00'), { minutes: 10 }, published).toISOString()).toBe(at('2026-10-02T00:05:00+08:00').toISOString());
    expect(deadline(at('2026-10-01T10:00:00+08:00'), { workingDays: 1 }, published).toISOString()).toBe(at('2026-10-08T18:00:00+08:00').toISOString());
  });

  it('refuses budgets that are not whole working days of at least 1, and invalid instants', () => {
    expect(() => addWorkingDays(at('2026-01-05T10:00:00+08:00'), 0, published)).toThrow(RangeError);
    expect(() => addWorkingDays(at('2026-01-05T10:00:00+08:00'), 1.5, published)).toThrow(RangeError);
    expect(() => addWorkingDays(new Date(Number.NaN), 1, published)).toThrow(RangeError);
    expect(() => deadline(at('2026-01-05T10:00:00+08:00'), { minutes: -1 }, published)).toThrow(RangeError);
  });

  it('the published make-up days are all weekend days and no date is both a holiday and a workday', () => {
    for (const year of PUBLISHED_CALENDARS) {
      expect(year.workdays.every(isWeekend), String(year.year)).toBe(true);
      expect(year.holidays.filter((d) => year.workdays.includes(d)), String(year.year)).toEqual([]);
      expect([...year.holidays, ...year.workdays].every((d) => d.startsWith(`${year.year}-`))).toBe(true);
    }
    expect(PUBLISHED_CALENDARS.map((y) => [y.year, y.holidays.length, y.workdays.length])).toEqual([
      [2025, 28, 5],
      [2026, 33, 6],
    ]);
  });
});

describe('working-day deadlines (properties)', () => {
  const instant = fc.date({ min: at('2024-06-01T00:00:00Z'), max: at('2027-06-30T00:00:00Z'), noInvalidDate: true });
  const anyYear = (year: number): fc.Arbitrary<CalendarData> => {
    const dates = dateRange(`${year}-01-01`, `${year}-12-31`);
    return fc
      .tuple(fc.subarray(dates, { maxLength: 60 }), fc.subarray(dates.filter(isWeekend), { maxLength: 20 }))
      .map(([holidays, weekends]) => ({ year, holidays, workdays: weekends.filter((d) => !holidays.includes(d)) }));
  };
  const calendars = fc.oneof(
    fc.constant(published),
    fc.constant(WorkingCalendar.of()),
    fc.tuple(anyYear(2025), anyYear(2026)).map((years) => WorkingCalendar.of(years)),
  );

  it('land on a working day at 18:00 Asia/Shanghai, after the receipt, with exactly n working days counted', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 40 }), calendars, (receivedAt, n, calendar) => {
        const result = addWorkingDays(receivedAt, n, calendar);
        expect(isWorkingDay(result, calendar)).toBe(true);
        expect(shanghaiMinuteOfDay(result)).toBe(18 * 60);
        expect(result.getTime()).toBeGreaterThan(receivedAt.getTime());
        expect(shanghaiDate(result) > shanghaiDate(receivedAt)).toBe(true);
        const between = dateRange(shanghaiDate(receivedAt), shanghaiDate(result)).slice(1);
        expect(between.filter((d) => calendar.isWorkingDay(d))).toHaveLength(n);
      }),
    );
  });

  it('one more working day is always later', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 40 }), calendars, (receivedAt, n, calendar) => {
        expect(addWorkingDays(receivedAt, n + 1, calendar).getTime()).toBeGreaterThan(addWorkingDays(receivedAt, n, calendar).getTime());
      }),
    );
  });
});

describe('the consumer-side calendar', () => {
  const event = (data: CalendarData) => ({ type: CALENDAR_UPDATED, data });
  const y2026 = PUBLISHED_CALENDARS[1]!;

  it('builds the calendar from gridcase.calendar.updated.v1 events, a year at a time', () => {
    const holder = new CalendarHolder();
    expect(holder.current.missing([2026])).toEqual([2026]);
    holder.apply(event({ ...y2026, updatedAt: '2026-01-01T00:00:00Z' }));
    expect(holder.current.isWorkingDay('2026-02-14')).toBe(true);
    expect(holder.current.years).toEqual([2026]);
  });

  it('replaces a year with a newer version, ignores an older one and other messages', () => {
    const first = applyCalendarEvent(WorkingCalendar.of(), event({ ...y2026, updatedAt: '2026-01-01T00:00:00Z' }));
    const newer = applyCalendarEvent(first, event({ year: 2026, holidays: [], workdays: [], updatedAt: '2026-03-01T00:00:00Z' }));
    expect(newer.isWorkingDay('2026-10-01')).toBe(true);
    const replayed = applyCalendarEvent(newer, event({ ...y2026, updatedAt: '2026-01-01T00:00:00Z' }));
    expect(replayed).toBe(newer);
    expect(applyCalendarEvent(newer, { type: 'gridcase.case.opened.v1', data: {} })).toBe(newer);
    expect(applyCalendarEvent(newer, { type: CALENDAR_UPDATED, data: { year: 'x' } })).toBe(newer);
    expect(first.isWorkingDay('2026-10-01')).toBe(false); // the old calendar is untouched
  });
});

describe('a share of the working time between two instants (office hours 09:00–18:00 on working days)', () => {
  const share = (from: string, to: string, s = 0.75, calendar = published) => workingTimeShareAt(at(from), at(to), s, calendar).toISOString();
  const local = (iso: string) => at(iso).toISOString();

  it('audit 22 #2: 75 % of 2 working days from Thursday 20:15 is Monday 13:30, not Sunday 18:36', () => {
    const from = '2026-03-05T20:15:00+08:00';
    const to = due(from, 2);
    expect(to).toBe(local('2026-03-09T18:00:00+08:00'));
    // 18 working hours in all: Friday's nine, then Monday's nine.
    expect(share(from, to, 0.5)).toBe(local('2026-03-06T18:00:00+08:00'));
    expect(share(from, to, 1 / 18)).toBe(local('2026-03-06T10:00:00+08:00'));
    expect(share(from, to)).toBe(local('2026-03-09T13:30:00+08:00'));
  });

  it('audit 22 #2: 75 % of 5 working days from Thursday 20:15 is next Wednesday 15:45, not 00:37', () => {
    const from = '2026-03-05T20:15:00+08:00';
    const to = due(from, 5);
    expect(to).toBe(local('2026-03-12T18:00:00+08:00'));
    expect(share(from, to)).toBe(local('2026-03-11T15:45:00+08:00'));
  });

  it('skips holidays and counts make-up working days (Spring Festival 2026: 02-14 works, 02-15…02-23 do not)', () => {
    // 02-13 09:00–18:00, 02-14 (make-up Saturday), 02-24: 27 h; 75 % is 20 h 15 min, 2 h 15 min into 02-24.
    expect(share('2026-02-13T09:00:00+08:00', due('2026-02-13T09:00:00+08:00', 2))).toBe(local('2026-02-24T11:15:00+08:00'));
  });

  it('a start inside office hours counts the rest of that day', () => {
    // Thursday 14:00 → Friday 18:00: 4 h + 9 h; 75 % is 9 h 45 min, 5 h 45 min into Friday.
    expect(share('2026-03-05T14:00:00+08:00', '2026-03-06T18:00:00+08:00')).toBe(local('2026-03-06T14:45:00+08:00'));
  });

  it('a start on a rest day counts from the next working day (National Day 2026)', () => {
    expect(share('2026-10-03T12:00:00+08:00', due('2026-10-03T12:00:00+08:00', 1))).toBe(local('2026-10-08T15:45:00+08:00'));
  });

  it('a zero or past budget gives the due time; a tiny one stays within it; none in office hours falls back to the clock', () => {
    expect(share('2026-03-05T10:00:00+08:00', '2026-03-05T10:00:00+08:00')).toBe(local('2026-03-05T10:00:00+08:00'));
    expect(share('2026-03-05T11:00:00+08:00', '2026-03-05T10:00:00+08:00')).toBe(local('2026-03-05T10:00:00+08:00'));
    expect(share('2026-03-05T17:59:00+08:00', '2026-03-05T18:00:00+08:00')).toBe(local('2026-03-05T17:59:45+08:00'));
    expect(share('2026-03-07T10:00:00+08:00', '2026-03-07T11:00:00+08:00')).toBe(local('2026-03-07T10:45:00+08:00'));
    expect(() => share('2026-03-05T10:00:00+08:00', '2026-03-06T10:00:00+08:00', 1.5)).toThrow(RangeError);
  });

  it('never falls before the start or after the due time, and falls in office hours on a working day when there are any', () => {
    const instant = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2026-12-20T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 10 }), (from, n) => {
        const to = addWorkingDays(from, n, published);
        const w = workingTimeShareAt(from, to, 0.75, published);
        expect(w.getTime()).toBeGreaterThanOrEqual(from.getTime());
        expect(w.getTime()).toBeLessThanOrEqual(to.getTime());
        expect(isWorkingDay(w, published)).toBe(true);
        const minute = shanghaiMinuteOfDay(w);
        expect(minute).toBeGreaterThanOrEqual(9 * 60);
        expect(minute).toBeLessThanOrEqual(18 * 60);
      }),
    );
  });
});
