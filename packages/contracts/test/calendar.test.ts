import { describe, expect, it } from 'vitest';
import { CalendarData, CalendarReplacement, CalendarYearBody, calendarIssues, fieldIssues, makeMessage, SlaPolicyBody } from '../src/index.ts';

describe('calendar contracts', () => {
  it('name each wrong date: outside the year, twice, in both lists, a weekday as a workday', () => {
    const issues = calendarIssues(2026, { holidays: ['2026-10-03', '2026-10-03', '2027-01-01'], workdays: ['2026-10-03', '2026-10-08', '2026-10-10'] });
    expect(issues).toEqual([
      { path: 'holidays.1', message: '2026-10-03 is listed twice' },
      { path: 'holidays.2', message: '2027-01-01 is not in 2026' },
      { path: 'workdays.0', message: '2026-10-03 is in both holidays and workdays' },
      { path: 'workdays.1', message: expect.stringContaining('2026-10-08 is a weekday') },
    ]);
  });

  it("judge a replacement's dates by its year, malformed dates beside wrong ones, and wait for a year that parses", () => {
    const replacement = (year: unknown, body: unknown) => {
      const checked = CalendarReplacement.safeParse({ params: { year }, body });
      return checked.success ? [] : fieldIssues(checked.error);
    };
    expect(replacement('2027', { holidays: ['2027-02-30', '2026-12-31', 'soon'], workdays: ['2027-10-08'] })).toEqual([
      { path: 'body.holidays.1', message: '2026-12-31 is not in 2027' },
      { path: 'body.workdays.0', message: expect.stringContaining('2027-10-08 is a weekday') },
    ]);
    expect(replacement('1999', { holidays: ['2026-12-31'], workdays: [] })).toEqual([]);
    expect(replacement(2027, { holidays: 'none', workdays: ['2027-09-26'] })).toEqual([]);
    expect(replacement(2027, { holidays: ['2027-10-01'], workdays: ['2027-09-26'] })).toEqual([]);
  });

  it("take back the GET's shape in a PUT: year only when it is the path's, updatedAt ignored", () => {
    const got = { year: 2027, holidays: ['2027-10-01'], workdays: ['2027-09-26'], source: 'notice', updatedAt: '2026-11-30T06:00:00.000Z' };
    expect(CalendarYearBody.safeParse(got).success).toBe(true);
    const replacement = (year: unknown, body: unknown) => {
      const checked = CalendarReplacement.safeParse({ params: { year }, body });
      return checked.success ? [] : fieldIssues(checked.error);
    };
    expect(replacement('2027', got)).toEqual([]);
    expect(replacement('2027', { ...got, year: 2026 })).toEqual([{ path: 'body.year', message: 'must be the year of the path, 2027' }]);
    expect(CalendarYearBody.safeParse({ ...got, updatedAt: 'yesterday' }).success).toBe(false);
  });

  it('accept only real YYYY-MM-DD dates in a PUT body', () => {
    expect(CalendarYearBody.safeParse({ holidays: ['2026-02-29'], workdays: [] }).success).toBe(false);
    expect(CalendarYearBody.safeParse({ holidays: ['2026-2-1'], workdays: [] }).success).toBe(false);
    expect(CalendarYearBody.safeParse({ holidays: ['2028-02-29'], workdays: [], source: 'notice' }).success).toBe(true);
  });

  it('carry a valid year in gridcase.calendar.updated.v1 and refuse an inconsistent one', () => {
    const data = { year: 2026, holidays: ['2026-10-01'], workdays: ['2026-10-10'], source: 'test', updatedAt: '2026-01-01T00:00:00Z' };
    expect(makeMessage('gridcase.calendar.updated.v1', { source: '/test', subject: 'calendar:2026', data }).data).toEqual(data);
    expect(CalendarData.safeParse({ ...data, workdays: ['2026-10-01'] }).success).toBe(false);
  });

  it('want exactly one of minutes and working days for each of respond and resolve', () => {
    expect(SlaPolicyBody.safeParse({ respondMinutes: 30, resolveWorkingDays: 3 }).success).toBe(true);
    const both = SlaPolicyBody.safeParse({ respondMinutes: 30, respondWorkingDays: 1, resolveWorkingDays: 3 });
    expect(both.error?.issues.map((i) => i.path.join('.'))).toEqual(['respondMinutes']);
    const neither = SlaPolicyBody.safeParse({ respondMinutes: 30 });
    expect(neither.error?.issues.map((i) => i.path.join('.'))).toEqual(['resolveMinutes']);
    expect(SlaPolicyBody.safeParse({ respondMinutes: 30, resolveWorkingDays: 0 }).success).toBe(false);
  });
});
