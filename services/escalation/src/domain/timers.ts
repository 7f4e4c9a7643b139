import { type DataOf, type DeadlineKind, WARNING_SHARE } from '@gridcase/contracts';

/** The two facts a running deadline produces: 75 % of its budget used (催办), and the deadline itself. */
export type Fact = 'warning' | 'passed';
/**
 * What a timer is about: a running deadline, or `hold`, the end of a hold (挂账到期) a held case's
 * set names in `holdUntil`: one `passed` timer, never a warning (催办 is for work budgets), whose
 * fact is `case.hold-expired`.
 */
export type TimerKind = DeadlineKind | 'hold';
export type TimerStatus = 'pending' | 'fired' | 'cancelled';

export type DeadlinesSet = DataOf<'gridcase.case.deadlines-set.v1'>;
type RunningDeadline = DeadlinesSet['running'][number];

/** A durable timer: fires `fact` about deadline `kind` of `version` at `fireAt`. */
export interface NewTimer {
  caseId: string;
  kind: TimerKind;
  fact: Fact;
  version: number;
  /** The level the case of record reported with this version; shown, never decided on. */
  level: number;
  /** The deadline itself (the facts' `dueAt`). */
  dueAt: Date;
  /** When this timer fires: the 75 % point for a warning, the deadline for `passed`. */
  fireAt: Date;
  /** A warning already sent for this same deadline under an older version: kept as sent, not repeated. */
  carried?: true;
}

export { WARNING_SHARE };

/**
 * When the warning of a deadline started at `startedAt` fires. A deadline due at or before its
 * start (a zero budget) warns at the deadline, still before `passed` fires.
 */
export function warningAt(startedAt: Date, dueAt: Date): Date {
  const budget = dueAt.getTime() - startedAt.getTime();
  if (budget <= 0) return dueAt;
  return new Date(startedAt.getTime() + Math.floor(budget * WARNING_SHARE));
}

/**
 * When the warning of a running deadline fires: at its `warnAt`, when the case of record sent one (a
 * working-day budget, warned at 75 % of its working time), never after the deadline; else at 75 % of
 * the clock time (minute budgets, and sets from before `warnAt`).
 */
export function warningOf(d: RunningDeadline): Date {
  const dueAt = new Date(d.dueAt);
  if (!d.warnAt) return warningAt(new Date(d.startedAt), dueAt);
  return new Date(Math.min(Date.parse(d.warnAt), dueAt.getTime()));
}

/** The two timers of every running deadline of a set, and the one of its hold's end. */
export function timersOf(set: DeadlinesSet): NewTimer[] {
  const deadlines = set.running.flatMap((d) => {
    const dueAt = new Date(d.dueAt);
    const base = { caseId: set.caseId, kind: d.kind, version: set.version, level: set.level, dueAt };
    return [
      { ...base, fact: 'warning' as const, fireAt: warningOf(d) },
      { ...base, fact: 'passed' as const, fireAt: dueAt },
    ];
  });
  if (!set.holdUntil) return deadlines;
  const until = new Date(set.holdUntil);
  return [...deadlines, { caseId: set.caseId, kind: 'hold', fact: 'passed', version: set.version, level: set.level, dueAt: until, fireAt: until }];
}

/** How long before the deadline its warning fires: the same for the same budget, wherever it is shifted. */
export const warningLeadMs = (dueAt: Date, warnAt: Date) => dueAt.getTime() - warnAt.getTime();

/** A deadline of the newest older version that ran any clock, as the mirror left it. */
export interface PreviousDeadline {
  kind: DeadlineKind;
  level: number;
  leadMs: number;
  warned: boolean;
  passed: boolean;
}

/**
 * Whether a new warning is the one already sent for the same deadline, only re-announced: the
 * clock that ran last (so not a rework, which runs after verify) at the same level (so not an
 * escalation's new owners), with the same budget (unchanged by acknowledge, shifted whole by a
 * resume; an extension changes it), warned and not passed. 催办 comes once per deadline.
 */
function alreadyWarned(t: NewTimer, level: number, previous: readonly PreviousDeadline[]): boolean {
  const lead = warningLeadMs(t.dueAt, t.fireAt);
  return previous.some((p) => p.kind === t.kind && p.level === level && p.leadMs === lead && p.warned && !p.passed);
}

/** Versions start at 1; a case the mirror has never seen counts as version 0. */
export const NO_VERSION = 0;

/**
 * What a deadlines-set does to the mirror of a case whose newest applied version is `stored`.
 * Only a newer version changes anything: its timers replace every pending one of older versions.
 * An equal or older version (a redelivery, a replay, one overtaken) is a no-op. `previous` are the
 * deadlines of the newest older version that ran any, so a warning already sent is not repeated.
 */
export type MirrorPlan = { apply: true; create: NewTimer[] } | { apply: false; why: string };

export function planMirror(stored: number, set: DeadlinesSet, previous: readonly PreviousDeadline[] = []): MirrorPlan {
  if (set.version <= stored) {
    return { apply: false, why: `version ${set.version} is not newer than the applied version ${stored}` };
  }
  const create = timersOf(set).map((t) =>
    t.fact === 'warning' && alreadyWarned(t, set.level, previous) ? { ...t, carried: true as const } : t,
  );
  return { apply: true, create };
}
