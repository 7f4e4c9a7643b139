import { shanghaiDate, shanghaiMinuteOfDay } from '@gridcase/calendar';
import type { DutyStatus, Officer, OfficerView, Shift } from '@gridcase/contracts';

/** When one person works: shifts (Asia/Shanghai local time), leave periods and the on-call flag. */
export interface Roster {
  shifts: readonly Shift[];
  leave: readonly { from: string; until: string }[];
  onCall: boolean;
}

export type { DutyStatus };

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** ISO weekday (1 = Monday … 7 = Sunday) of the Asia/Shanghai date on which `at` falls. */
export const shanghaiWeekday = (at: Date): number => new Date(`${shanghaiDate(at)}T00:00:00Z`).getUTCDay() || 7;

/**
 * Whether `at` lies inside the shift. `days` name the day a shift starts on, so the morning part of
 * an overnight shift belongs to the day before: a Friday 20:00–08:00 shift covers Saturday 07:00.
 */
export function inShift(shift: Shift, at: Date): boolean {
  const day = shanghaiWeekday(at);
  const minute = shanghaiMinuteOfDay(at);
  const start = minutesOf(shift.start);
  const end = minutesOf(shift.end);
  if (start < end) return shift.days.includes(day) && minute >= start && minute < end;
  const dayBefore = day === 1 ? 7 : day - 1;
  return (shift.days.includes(day) && minute >= start) || (shift.days.includes(dayBefore) && minute < end);
}

const covers = (l: { from: string; until: string }, at: Date) => Date.parse(l.from) <= at.getTime() && at.getTime() < Date.parse(l.until);

export const onLeave = (roster: Roster | undefined, at: Date): boolean => !!roster?.leave.some((l) => covers(l, at));

/**
 * When the leave in force at `at` ends, or undefined when the person is not on leave then. Periods
 * that meet or overlap count as one: leave until 1 May followed by leave from 1 May ends with the second.
 */
export function leaveEnds(leave: Roster['leave'], at: Date): Date | undefined {
  let end: number | undefined;
  for (let moved = true; moved; ) {
    moved = false;
    for (const l of leave) {
      const until = Date.parse(l.until);
      if (covers(l, end === undefined ? at : new Date(end)) && (end === undefined || until > end)) {
        end = until;
        moved = true;
      }
    }
  }
  return end === undefined ? undefined : new Date(end);
}

/**
 * A person's duty at `at`: leave wins; with shifts, on duty only inside one; without shifts (or
 * without a roster entry at all) the officer's `onDuty` flag decides, as before rosters existed.
 */
export function dutyStatus(officer: Officer, roster: Roster | undefined, at: Date): DutyStatus {
  if (onLeave(roster, at)) return 'on-leave';
  if (roster && roster.shifts.length > 0) return roster.shifts.some((s) => inShift(s, at)) ? 'on-duty' : 'off-duty';
  return officer.onDuty ? 'on-duty' : 'off-duty';
}

/**
 * A person as the API shows them at `at`: `onDuty` from the rosters (not the stored flag, which
 * routing still reads through dutyStatus for someone without shifts), with their duty and on-call.
 */
export function officerAt(officer: Officer, roster: Roster | undefined, at: Date): OfficerView {
  const duty = dutyStatus(officer, roster, at);
  return { ...officer, onDuty: duty === 'on-duty', duty, onCall: roster?.onCall ?? false };
}
