import { type Budget, deadline, type WorkingCalendar, workingTimeShareAt } from '@gridcase/calendar';
import { type CaseStatus, type DataOf, DeadlineKind, WARNING_SHARE } from '@gridcase/contracts';

/** One clock of a case: when its budget started and when it runs out. */
export interface Clock {
  startedAt: Date;
  dueAt: Date;
  /**
   * When its warning (催办) falls, for a working-day budget: WARNING_SHARE of its working time
   * (workingWarningAt; an extension of such a clock, over the time granted). Absent (minute budgets,
   * a sender's required instant, clocks stored before): escalation warns at WARNING_SHARE of the clock time.
   */
  warnAt?: Date | undefined;
}

/** Every clock a case has had; which of them run follows from the status (RUNNING). */
export interface Deadlines {
  respond: Clock;
  resolve: Clock;
  verify?: Clock | undefined;
  'follow-up'?: Clock | undefined;
}

/** The clocks that run in each status (issue 6 design): held or closed, nothing runs. */
export const RUNNING: Readonly<Record<CaseStatus, readonly DeadlineKind[]>> = {
  open: ['respond', 'resolve'],
  acknowledged: ['resolve'],
  resolved: ['verify'],
  'follow-up': ['follow-up'],
  'on-hold': [],
  closed: [],
};

export interface RunningClock extends Clock {
  kind: DeadlineKind;
}

/** The clocks running in `status`, in RUNNING's order. */
export function runningClocks(status: CaseStatus, deadlines: Deadlines): RunningClock[] {
  return RUNNING[status].flatMap((kind) => {
    const clock = deadlines[kind];
    return clock ? [{ kind, ...clock }] : [];
  });
}

const sameClocks = (a: readonly RunningClock[], b: readonly RunningClock[]): boolean =>
  a.length === b.length &&
  a.every(
    (c, i) =>
      c.kind === b[i]?.kind &&
      c.startedAt.getTime() === b[i]?.startedAt.getTime() &&
      c.dueAt.getTime() === b[i]?.dueAt.getTime() &&
      c.warnAt?.getTime() === b[i]?.warnAt?.getTime(),
  );

/** What deadlinesSetData reads of a case: its status, level, clocks and hold. */
interface Timed {
  status: CaseStatus;
  level: number;
  deadlines: Deadlines;
  hold?: { until: Date | null } | null;
}

/** When a held case resumes by itself: its hold's `until`, while it is on hold; else null. */
export const holdUntil = (c: Timed): Date | null => (c.status === 'on-hold' ? (c.hold?.until ?? null) : null);

/** Whether a change of the case changed what escalation must time: the running clocks, the level or the hold's end. */
export function clocksChanged(before: Timed, after: Timed): boolean {
  return (
    before.level !== after.level ||
    holdUntil(before)?.getTime() !== holdUntil(after)?.getTime() ||
    !sameClocks(runningClocks(before.status, before.deadlines), runningClocks(after.status, after.deadlines))
  );
}

/**
 * The clocks `before` had that `after` no longer has: rework (verify failed, follow-up unsatisfied,
 * reopen) ends the verify and follow-up rounds, and their due times mean nothing any more.
 */
export function clearedClocks(before: Deadlines, after: Deadlines): DeadlineKind[] {
  return DeadlineKind.options.filter((kind) => before[kind] !== undefined && after[kind] === undefined);
}

export function deadlinesSetData(
  caseId: string,
  c: Timed & { deadlineVersion: number; station?: string },
  at: Date,
  cleared: readonly DeadlineKind[] = [],
): DataOf<'gridcase.case.deadlines-set.v1'> {
  const until = holdUntil(c);
  return {
    caseId,
    ...(c.station ? { station: c.station } : {}),
    version: c.deadlineVersion,
    level: c.level,
    running: runningClocks(c.status, c.deadlines).map((r) => ({
      kind: r.kind,
      startedAt: r.startedAt.toISOString(),
      dueAt: r.dueAt.toISOString(),
      ...(r.warnAt ? { warnAt: r.warnAt.toISOString() } : {}),
    })),
    ...(cleared.length ? { cleared: [...cleared] } : {}),
    at: at.toISOString(),
    ...(until ? { holdUntil: until.toISOString() } : {}),
  };
}

const later = (at: Date, ms: number) => new Date(at.getTime() + ms);

/**
 * `deadlines` with the given clocks moved later by `ms`: start, end and warning, whole, so the warning
 * keeps its lead on the deadline (escalation knows a warning it already sent by that lead: once per deadline).
 */
export function shiftClocks(deadlines: Deadlines, kinds: readonly DeadlineKind[], ms: number): Deadlines {
  const next: Deadlines = { ...deadlines };
  for (const kind of kinds) {
    const clock = deadlines[kind];
    if (clock) next[kind] = { startedAt: later(clock.startedAt, ms), dueAt: later(clock.dueAt, ms), ...(clock.warnAt ? { warnAt: later(clock.warnAt, ms) } : {}) };
  }
  return next;
}

/**
 * The warning of a working-day budget from `startedAt` to `dueAt`: when WARNING_SHARE of its working time
 * (office hours on the calendar's working days) has passed, so 催办 reaches the owners in office hours,
 * not on a Sunday or at midnight (audit 22 #2). Undefined for a minute budget, which runs on the clock.
 */
export const workingWarningAt = (startedAt: Date, dueAt: Date, budget: Budget | undefined, calendar: WorkingCalendar): Date | undefined =>
  budget && 'workingDays' in budget ? workingTimeShareAt(startedAt, dueAt, WARNING_SHARE, calendar) : undefined;

/** A clock from `startedAt` to `dueAt` of `budget`, with its working-time warning when that is in working days. */
export function clockOf(startedAt: Date, dueAt: Date, budget: Budget | undefined, calendar: WorkingCalendar): Clock {
  const warnAt = workingWarningAt(startedAt, dueAt, budget, calendar);
  return { startedAt, dueAt, ...(warnAt ? { warnAt } : {}) };
}

/**
 * The resolve clock an approved extension gives: a fresh grant from `now` to `until`. One that extends
 * a working-day clock (it has a `warnAt`) runs on working time too: it warns at 75 % of the working time granted.
 */
export const extendedClock = (extended: Clock, now: Date, until: Date, calendar: WorkingCalendar): Clock =>
  extended.warnAt ? { startedAt: now, dueAt: until, warnAt: workingTimeShareAt(now, until, WARNING_SHARE, calendar) } : { startedAt: now, dueAt: until };

/** A clock of `minutes` starting at `from`. */
export const minutesClock = (from: Date, minutes: number): Clock => ({ startedAt: from, dueAt: new Date(from.getTime() + minutes * 60_000) });

/** A clock of a budget (minutes, or working days on the calendar) starting at `from`. */
export const budgetClock = (from: Date, budget: Budget, calendar: WorkingCalendar): Clock => clockOf(from, deadline(from, budget, calendar), budget, calendar);

/** Working days the owner of a resolved case leaves the verifier (核查), and the visit after verification (回访). */
export const VERIFY_WORKING_DAYS = 2;
export const FOLLOW_UP_WORKING_DAYS = 5;
