import type { CaseStatus, Outcome, Severity } from '@gridcase/contracts';

/**
 * What the figures need of one case, as the read model has it now. A case's figures are judged by
 * its state at the time of asking: a resolution that a failed verification undid no longer counts.
 */
export interface CaseFact {
  caseId: string;
  kind: string | null;
  category: string | null;
  severity: Severity | null;
  policeGridCode: string | null;
  gridCode: string | null;
  status: CaseStatus;
  openedAt: Date;
  /** The first acknowledgement. */
  acknowledgedAt: Date | null;
  /** The resolution that stands (null again after rework). */
  resolvedAt: Date | null;
  outcome: Outcome | null;
  resolveBy: Date | null;
  escalations: number;
  /** When the case was first escalated (a deadline passed at level 0): the moment it was 上交. */
  firstEscalatedAt: Date | null;
  reworkCount: number;
  relapse: boolean;
  /** Ids of the grading rules that decided the severity (from case.opened's `rule`), e.g. `red.fire-now`. */
  gradedBy: readonly string[];
}

/** A resolution that says there was nothing to resolve: the case is left out of every rate. */
export const NO_RESOLUTION_NEEDED: readonly Outcome[] = ['unfounded', 'duplicate'];

export const neededResolution = (c: CaseFact): boolean => !(c.outcome && NO_RESOLUTION_NEEDED.includes(c.outcome));

export interface Figures {
  /** Cases opened in the period, whatever became of them. */
  cases: number;
  /** Standing outcome `unfounded` / `duplicate`: needed no resolution. */
  unfounded: number;
  duplicates: number;
  /** cases − unfounded − duplicates: the denominator of every rate below except time to acknowledge. */
  needed: number;
  /** Needed cases with a resolution that stands (mediated, resolved or referred). */
  resolved: number;
  /** resolved / needed. */
  resolutionRate: number | null;
  /** Resolved by resolveBy (as extended) and never escalated. */
  onTime: number;
  /** onTime / resolved (按期办结率). */
  onTimeRate: number | null;
  /** Needed cases escalated at least once (上交). */
  escalated: number;
  /** escalated / needed. */
  escalationRate: number | null;
  /** Needed cases sent back to work at least once (failed verification, unsatisfied follow-up, reopen). */
  reworked: number;
  /** reworked / needed cases ever resolved (resolved now, or reworked, which means resolved before). */
  reworkRate: number | null;
  /** Needed cases that are a relapse (回潮) of an earlier case at the same place. */
  relapses: number;
  /** relapses / needed. */
  relapseRate: number | null;
  /** Opening to first acknowledgement, over every acknowledged case (each report needs an answer). */
  medianSecondsToAcknowledge: number | null;
  meanSecondsToAcknowledge: number | null;
  /** Opening to the standing resolution (calendar time, holds included), over resolved cases. */
  medianSecondsToResolve: number | null;
  meanSecondsToResolve: number | null;
}

export const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  // As Postgres percentile_cont(0.5): the mean of the two middle values for an even count.
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const mean = (values: readonly number[]): number | null =>
  values.length ? values.reduce((sum, v) => sum + v, 0) / values.length : null;

const isOnTime = (c: CaseFact) =>
  c.resolvedAt !== null && c.escalations === 0 && c.resolveBy !== null && c.resolvedAt.getTime() <= c.resolveBy.getTime();

/** The figures of a set of cases (the caller chooses the set: a period, a grid, both). */
export function figures(facts: readonly CaseFact[]): Figures {
  const needed = facts.filter(neededResolution);
  const resolved = needed.filter((c) => c.resolvedAt !== null);
  const onTime = resolved.filter(isOnTime).length;
  const escalated = needed.filter((c) => c.escalations > 0).length;
  const reworked = needed.filter((c) => c.reworkCount > 0).length;
  const everResolved = needed.filter((c) => c.resolvedAt !== null || c.reworkCount > 0).length;
  const relapses = needed.filter((c) => c.relapse).length;
  const toAcknowledge = facts.flatMap((c) => (c.acknowledgedAt ? [seconds(c.openedAt, c.acknowledgedAt)] : []));
  const toResolve = resolved.map((c) => seconds(c.openedAt, c.resolvedAt as Date));
  return {
    cases: facts.length,
    unfounded: facts.filter((c) => c.outcome === 'unfounded').length,
    duplicates: facts.filter((c) => c.outcome === 'duplicate').length,
    needed: needed.length,
    resolved: resolved.length,
    resolutionRate: ratio(resolved.length, needed.length),
    onTime,
    onTimeRate: ratio(onTime, resolved.length),
    escalated,
    escalationRate: ratio(escalated, needed.length),
    reworked,
    reworkRate: ratio(reworked, everResolved),
    relapses,
    relapseRate: ratio(relapses, needed.length),
    medianSecondsToAcknowledge: median(toAcknowledge),
    meanSecondsToAcknowledge: mean(toAcknowledge),
    medianSecondsToResolve: median(toResolve),
    meanSecondsToResolve: mean(toResolve),
  };
}

/** Groups facts by a key, in key order (null, a case not routed to a grid, first). */
export function groupBy<K extends string | null>(facts: readonly CaseFact[], key: (c: CaseFact) => K): [K, CaseFact[]][] {
  const groups = new Map<K, CaseFact[]>();
  for (const c of facts) {
    const k = key(c);
    const list = groups.get(k);
    if (list) list.push(c);
    else groups.set(k, [c]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1));
}

// ---- Calendar periods, Asia/Shanghai (UTC+8 all year: no daylight saving since 1991) ----

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export type PeriodKind = 'week' | 'month';

export interface Period {
  /** `2026-W09` (ISO week, Monday first) or `2026-03`. */
  key: string;
  /** The period's bounds, clipped to the range asked for. */
  from: Date;
  to: Date;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The instant at which the Shanghai calendar day containing `at` starts. */
const shanghaiMidnight = (at: Date) => new Date(Math.floor((at.getTime() + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS);

/** Where the week (Monday 00:00 Shanghai) or month (the 1st, 00:00 Shanghai) holding `at` starts. */
export function periodStart(kind: PeriodKind, at: Date): Date {
  const midnight = shanghaiMidnight(at);
  const local = new Date(midnight.getTime() + SHANGHAI_OFFSET_MS);
  if (kind === 'week') {
    const sinceMonday = (local.getUTCDay() + 6) % 7;
    return new Date(midnight.getTime() - sinceMonday * DAY_MS);
  }
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - SHANGHAI_OFFSET_MS);
}

function nextPeriodStart(kind: PeriodKind, start: Date): Date {
  if (kind === 'week') return new Date(start.getTime() + 7 * DAY_MS);
  const local = new Date(start.getTime() + SHANGHAI_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - SHANGHAI_OFFSET_MS);
}

/** `2026-W09` (ISO 8601: the week belongs to the year of its Thursday) or `2026-03`. */
export function periodKey(kind: PeriodKind, start: Date): string {
  const local = new Date(start.getTime() + SHANGHAI_OFFSET_MS);
  if (kind === 'month') return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}`;
  const thursday = new Date(local.getTime() + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${pad(week)}`;
}

/** The weeks or months that [from, to) touches, each clipped to it; at most `max` (one more says "too many"). */
export function periods(kind: PeriodKind, from: Date, to: Date, max = Number.POSITIVE_INFINITY): Period[] {
  const out: Period[] = [];
  for (let start = periodStart(kind, from); start < to && out.length <= max; start = nextPeriodStart(kind, start)) {
    const end = nextPeriodStart(kind, start);
    out.push({ key: periodKey(kind, start), from: start < from ? from : start, to: end > to ? to : end });
  }
  return out;
}

export const inPeriod = (c: CaseFact, p: { from: Date; to: Date }) => c.openedAt >= p.from && c.openedAt < p.to;
