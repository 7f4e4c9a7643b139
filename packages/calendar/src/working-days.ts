/**
 * Working-day arithmetic for the station's clock (CONTRACT.md, "Time: the working-day calendar").
 * Pure: no clock, no I/O; the calendar data is passed in.
 *
 * Asia/Shanghai is UTC+8 all year round (China has had no daylight saving time since 1991), so a
 * local date and time is the UTC instant shifted by a fixed 8 hours: plain offset arithmetic is
 * exact here and no time-zone database is needed.
 */

/** One year of the State Council's holiday arrangement. Dates are `YYYY-MM-DD` in Asia/Shanghai. */
export interface CalendarData {
  year: number;
  /** Days off: every day of each holiday period, weekdays and weekend days alike. */
  holidays: readonly string[];
  /** Weekend days that are working days (调休 make-up days). */
  workdays: readonly string[];
  /** Where the data comes from, e.g. the notice's title. */
  source?: string;
  /** When this version of the year was stored (RFC 3339). */
  updatedAt?: string;
}

/** A deadline budget: calendar minutes, or working days (due 18:00 on the Nth working day). */
export type Budget = { minutes: number } | { workingDays: number };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;
/** A working-day deadline falls at this hour, local time. */
export const DEADLINE_HOUR = 18;

/** Days since 1970-01-01 of the Asia/Shanghai date on which `at` falls. */
const localDay = (at: Date): number => Math.floor((at.getTime() + SHANGHAI_OFFSET_MS) / DAY_MS);
const dayToDate = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const dateToDay = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** The Asia/Shanghai date (`YYYY-MM-DD`) of an instant. */
export const shanghaiDate = (at: Date): string => dayToDate(localDay(validInstant(at)));
/** The Asia/Shanghai year of an instant. */
export const shanghaiYear = (at: Date): number => Number(shanghaiDate(at).slice(0, 4));
/** Minutes past midnight, Asia/Shanghai. */
export const shanghaiMinuteOfDay = (at: Date): number => {
  const local = validInstant(at).getTime() + SHANGHAI_OFFSET_MS;
  return Math.floor((local - localDay(at) * DAY_MS) / 60_000);
};

/** Every date from `from` to `to`, both included (`YYYY-MM-DD`). */
export function dateRange(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let day = dateToDay(from); day <= dateToDay(to); day += 1) dates.push(dayToDate(day));
  return dates;
}

/** 0 = Sunday … 6 = Saturday, of a `YYYY-MM-DD` date. */
export const dayOfWeek = (date: string): number => new Date(dateToDay(date) * DAY_MS).getUTCDay();
export const isWeekend = (date: string): boolean => {
  const dow = dayOfWeek(date);
  return dow === 0 || dow === 6;
};

function validInstant(at: Date): Date {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new RangeError('not a valid instant');
  return at;
}

interface IndexedYear {
  data: CalendarData;
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

/**
 * The working-day calendar over several years. Immutable: `with` answers a new calendar. A year
 * with no data counts as plain Monday–Friday; `missing` tells which years those are.
 */
export class WorkingCalendar {
  readonly #years: ReadonlyMap<number, IndexedYear>;

  private constructor(years: ReadonlyMap<number, IndexedYear>) {
    this.#years = years;
  }

  static of(years: Iterable<CalendarData> = []): WorkingCalendar {
    let calendar = new WorkingCalendar(new Map());
    for (const year of years) calendar = calendar.with(year);
    return calendar;
  }

  /** This calendar with `data` replacing whatever it held for `data.year`. */
  with(data: CalendarData): WorkingCalendar {
    const years = new Map(this.#years);
    years.set(data.year, { data, holidays: new Set(data.holidays), workdays: new Set(data.workdays) });
    return new WorkingCalendar(years);
  }

  get(year: number): CalendarData | undefined {
    return this.#years.get(year)?.data;
  }

  has(year: number): boolean {
    return this.#years.has(year);
  }

  /** The years with data, ascending. */
  get years(): number[] {
    return [...this.#years.keys()].sort((a, b) => a - b);
  }

  /** Those of `years` this calendar has no data for (and so treats as plain Monday–Friday). */
  missing(years: Iterable<number>): number[] {
    return [...new Set(years)].filter((y) => !this.#years.has(y)).sort((a, b) => a - b);
  }

  /** Monday–Friday, minus the year's holidays, plus its make-up working days. */
  isWorkingDay(date: string): boolean {
    const year = this.#years.get(Number(date.slice(0, 4)));
    if (year?.holidays.has(date)) return false;
    if (year?.workdays.has(date)) return true;
    return !isWeekend(date);
  }
}

/** Whether a date (`YYYY-MM-DD`, or the Asia/Shanghai date of an instant) is a working day. */
export function isWorkingDay(date: string | Date, calendar: WorkingCalendar): boolean {
  return calendar.isWorkingDay(typeof date === 'string' ? date : shanghaiDate(date));
}

/**
 * 18:00 Asia/Shanghai on the `n`th working day after the day of receipt. The day of receipt never
 * counts, whatever the hour or kind of day: the first working day after it is day 1.
 */
export function addWorkingDays(receivedAt: Date, n: number, calendar: WorkingCalendar): Date {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('working days must be a whole number of at least 1');
  let day = localDay(validInstant(receivedAt));
  // Ends: a year holds finitely many holidays, and a year with no data has five working days a week.
  for (let left = n; left > 0; ) {
    day += 1;
    if (calendar.isWorkingDay(dayToDate(day))) left -= 1;
  }
  return new Date(day * DAY_MS + DEADLINE_HOUR * HOUR_MS - SHANGHAI_OFFSET_MS);
}

/** The deadline a budget gives a report received at `receivedAt`. Minutes run on the clock. */
export function deadline(receivedAt: Date, budget: Budget, calendar: WorkingCalendar): Date {
  if ('workingDays' in budget) return addWorkingDays(receivedAt, budget.workingDays, calendar);
  if (!Number.isFinite(budget.minutes) || budget.minutes < 0) throw new RangeError('minutes must be a number of at least 0');
  return new Date(validInstant(receivedAt).getTime() + budget.minutes * 60_000);
}

/** The Asia/Shanghai years from `from` to `to` (both included): what a deadline computation relied on. */
export function yearsBetween(from: Date, to: Date): number[] {
  const years: number[] = [];
  for (let y = shanghaiYear(from); y <= shanghaiYear(to); y += 1) years.push(y);
  return years;
}

/** Office hours on a working day, Asia/Shanghai: from this hour to DEADLINE_HOUR. */
export const OFFICE_START_HOUR = 9;

/** The office hours of the Asia/Shanghai day `day` (days since 1970-01-01) as UTC milliseconds, when it is a working day. */
function officeHours(day: number, calendar: WorkingCalendar): [number, number] | undefined {
  if (!calendar.isWorkingDay(dayToDate(day))) return undefined;
  const midnight = day * DAY_MS - SHANGHAI_OFFSET_MS;
  return [midnight + OFFICE_START_HOUR * HOUR_MS, midnight + DEADLINE_HOUR * HOUR_MS];
}

/** The parts of office hours on working days within [from, to), in order, as UTC milliseconds. */
function workingSpans(from: number, to: number, calendar: WorkingCalendar): [number, number][] {
  const spans: [number, number][] = [];
  for (let day = localDay(new Date(from)); day <= localDay(new Date(to)); day += 1) {
    const hours = officeHours(day, calendar);
    if (!hours) continue;
    const start = Math.max(hours[0], from);
    const end = Math.min(hours[1], to);
    if (end > start) spans.push([start, end]);
  }
  return spans;
}

/**
 * The instant at which `share` (0…1) of the working time (office hours, 09:00–18:00 Asia/Shanghai, on
 * working days) between `startedAt` and `dueAt` has passed: when a working-day budget's warning (催办)
 * falls, so that it reaches its owners during office hours. Never before `startedAt`, never after `dueAt`:
 * a deadline due at or before its start gives `dueAt`, and one with no working time between them (not
 * a working-day clock) falls back to `share` of the calendar time.
 */
export function workingTimeShareAt(startedAt: Date, dueAt: Date, share: number, calendar: WorkingCalendar): Date {
  if (!(share >= 0 && share <= 1)) throw new RangeError('share must be between 0 and 1');
  const from = validInstant(startedAt).getTime();
  const to = validInstant(dueAt).getTime();
  if (to <= from) return new Date(to);
  const spans = workingSpans(from, to, calendar);
  const total = spans.reduce((sum, [s, e]) => sum + e - s, 0);
  if (total === 0) return new Date(from + Math.floor((to - from) * share));
  let left = Math.floor(total * share);
  for (const [s, e] of spans) {
    if (left <= e - s) return new Date(s + left);
    left -= e - s;
  }
  return new Date(to);
}
