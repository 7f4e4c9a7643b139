import { type CalendarData, WorkingCalendar } from './working-days.ts';

/** The CloudEvents type that carries one year of the calendar on `gridcase.reference`. */
export const CALENDAR_UPDATED = 'gridcase.calendar.updated.v1';

/** The key of a year's record on the compacted reference topic: the latest record per key is the year. */
export const calendarKey = (year: number): string => `calendar:${year}`;

const isDateList = (v: unknown): v is string[] => Array.isArray(v) && v.every((d) => typeof d === 'string');

const isCalendarData = (data: unknown): data is CalendarData => {
  const d = data as Partial<CalendarData> | null;
  return typeof d === 'object' && d !== null && Number.isInteger(d.year) && isDateList(d.holidays) && isDateList(d.workdays);
};

const stamp = (data: CalendarData | undefined): number => (data?.updatedAt ? Date.parse(data.updatedAt) : Number.NEGATIVE_INFINITY);

/**
 * The calendar after one record of the reference topic: a `gridcase.calendar.updated.v1` replaces
 * its year, unless the calendar already holds a newer version of it (a replayed old record);
 * any other message leaves the calendar as it was.
 */
export function applyCalendarEvent(calendar: WorkingCalendar, event: { type: string; data?: unknown }): WorkingCalendar {
  if (event.type !== CALENDAR_UPDATED || !isCalendarData(event.data)) return calendar;
  if (stamp(event.data) < stamp(calendar.get(event.data.year))) return calendar;
  return calendar.with(event.data);
}

/**
 * What a consuming service keeps: the current calendar, built from the reference topic's records.
 * Read the topic from the beginning on every start (it is compacted: one record per year).
 */
export class CalendarHolder {
  #current: WorkingCalendar;

  constructor(initial: WorkingCalendar = WorkingCalendar.of()) {
    this.#current = initial;
  }

  get current(): WorkingCalendar {
    return this.#current;
  }

  apply(event: { type: string; data?: unknown }): WorkingCalendar {
    this.#current = applyCalendarEvent(this.#current, event);
    return this.#current;
  }
}
