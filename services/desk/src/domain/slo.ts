import { type CaseFact, groupBy, neededResolution } from './figures.ts';

/**
 * The station's promise, 矛盾不上交: 98 % of disputes settled at the grid. One service-level
 * objective per police grid, watched with multi-window burn-rate alerts (Google SRE workbook,
 * "Alerting on SLOs", multiwindow multi-burn-rate).
 *
 * SLI: each dispute that needed resolving (not unfounded, not a duplicate) is one event, good or
 * bad, at the first moment its fate is known:
 * - bad at its first escalation: a deadline passed and the case went up the ladder (上交);
 * - bad at its resolution when the outcome is `referred` (handed to another body: not settled here);
 * - good at its resolution when the outcome is `mediated` or `resolved` and it never escalated.
 * A dispute still being worked is no event yet. The read model is current, so a resolution undone
 * by rework stops counting until the case is resolved again.
 */
export const DISPUTE_OBJECTIVE = 0.98;

export interface SliEvent {
  at: Date;
  good: boolean;
}

export function disputeSliEvent(c: CaseFact): SliEvent | undefined {
  if (c.kind !== 'dispute' || !neededResolution(c)) return undefined;
  if (c.escalations > 0) return { at: c.firstEscalatedAt ?? c.resolvedAt ?? c.openedAt, good: false };
  if (!c.resolvedAt || !c.outcome) return undefined;
  return { at: c.resolvedAt, good: c.outcome !== 'referred' };
}

export type BurnAlertName = 'fast' | 'slow';

export interface BurnAlert {
  name: BurnAlertName;
  longMs: number;
  shortMs: number;
  /** Fires when the burn rate over both windows is at least this. */
  burnRate: number;
}

const HOUR = 3_600_000;

/**
 * The workbook pages at 14.4× over 1 h (and 5 m) and at 6× over 6 h (and 30 m) of a 30-day budget:
 * the budget would be gone in about 2 and 5 days. Here the windows are the workbook's with hours
 * read as days (1 h → 1 d, 5 m → 2 h; 6 h → 6 d, 30 m → 12 h), the thresholds and the 12:1
 * long-to-short ratio kept: a police grid decides a few disputes a week (each within 3–5 working
 * days), so an hour holds no event at all, while a day is the desk's shift and a working week its
 * round. The short window still makes an alert stop soon after the burn does. The price is that a
 * quiet grid's single unsettled dispute is already a burn far above 14.4× (one bad of one is 50×):
 * at 2 % of a month's disputes, a police grid's budget is less than one dispute, and the alert says so.
 */
export const BURN_ALERTS: readonly BurnAlert[] = [
  { name: 'fast', longMs: 24 * HOUR, shortMs: 2 * HOUR, burnRate: 14.4 },
  { name: 'slow', longMs: 6 * 24 * HOUR, shortMs: 12 * HOUR, burnRate: 6 },
];

/** The longest window any alert reads. */
export const LONGEST_WINDOW_MS = Math.max(...BURN_ALERTS.map((a) => a.longMs));

export interface WindowBurn {
  good: number;
  bad: number;
  /** bad share / (1 − objective); null when the window holds no event. */
  burnRate: number | null;
}

/** The events in (end − windowMs, end] and how fast they burn the error budget. */
export function windowBurn(events: readonly SliEvent[], end: Date, windowMs: number, objective = DISPUTE_OBJECTIVE): WindowBurn {
  const after = end.getTime() - windowMs;
  let good = 0;
  let bad = 0;
  for (const e of events) {
    const t = e.at.getTime();
    if (t > after && t <= end.getTime()) {
      if (e.good) good++;
      else bad++;
    }
  }
  const total = good + bad;
  return { good, bad, burnRate: total ? bad / total / (1 - objective) : null };
}

export interface AlertState {
  firing: boolean;
  long: WindowBurn;
  short: WindowBurn;
}

export function alertState(events: readonly SliEvent[], at: Date, alert: BurnAlert, objective = DISPUTE_OBJECTIVE): AlertState {
  const long = windowBurn(events, at, alert.longMs, objective);
  const short = windowBurn(events, at, alert.shortMs, objective);
  // 1 − 0.98 is not exactly 0.02 in floating point: a burn of exactly the threshold must still count.
  const over = (w: WindowBurn) => w.burnRate !== null && w.burnRate >= alert.burnRate - 1e-9;
  return { firing: over(long) && over(short), long, short };
}

export interface AlertTransition {
  at: Date;
  firing: boolean;
}

/**
 * When the alert started or stopped firing within [since, until]. The state changes only where an
 * event enters a window (its time) or leaves one (its time + the window), so those instants are
 * all that need judging; the answer is the same whoever computes it and whenever, which lets every
 * desk instance evaluate and still emit each change once. Exact when `events` reach back to
 * `since` − the long window.
 */
export function alertTransitions(
  events: readonly SliEvent[],
  alert: BurnAlert,
  since: Date,
  until: Date,
  objective = DISPUTE_OBJECTIVE,
): AlertTransition[] {
  const instants = new Set<number>([since.getTime()]);
  for (const e of events) {
    for (const t of [e.at.getTime(), e.at.getTime() + alert.shortMs, e.at.getTime() + alert.longMs]) {
      if (t > since.getTime() && t <= until.getTime()) instants.add(t);
    }
  }
  const out: AlertTransition[] = [];
  let firing = alertState(events, since, alert, objective).firing;
  for (const t of [...instants].sort((a, b) => a - b)) {
    if (t === since.getTime()) continue;
    const now = alertState(events, new Date(t), alert, objective).firing;
    if (now !== firing) out.push({ at: new Date(t), firing: now });
    firing = now;
  }
  return out;
}

export interface GridBurnState {
  policeGridCode: string | null;
  alert: BurnAlertName;
  firing: boolean;
  threshold: number;
  long: WindowBurn & { windowSeconds: number };
  short: WindowBurn & { windowSeconds: number };
}

/** The SLI events of each police grid's disputes, police grids in code order (null first); grids with none left out. */
export const disputeEventsByPoliceGrid = (facts: readonly CaseFact[]): [string | null, SliEvent[]][] =>
  groupBy(facts, (c) => c.policeGridCode)
    .map(([code, list]): [string | null, SliEvent[]] => [code, list.flatMap((c) => disputeSliEvent(c) ?? [])])
    .filter(([, events]) => events.length > 0);

/** Every alert of every police grid that decided a dispute within the longest window, as of `at`. */
export function burnStates(facts: readonly CaseFact[], at: Date, objective = DISPUTE_OBJECTIVE): GridBurnState[] {
  const out: GridBurnState[] = [];
  for (const [policeGridCode, events] of disputeEventsByPoliceGrid(facts)) {
    if (!events.some((e) => e.at.getTime() > at.getTime() - LONGEST_WINDOW_MS && e.at <= at)) continue;
    for (const alert of BURN_ALERTS) {
      const s = alertState(events, at, alert, objective);
      out.push({
        policeGridCode,
        alert: alert.name,
        firing: s.firing,
        threshold: alert.burnRate,
        long: { ...s.long, windowSeconds: alert.longMs / 1000 },
        short: { ...s.short, windowSeconds: alert.shortMs / 1000 },
      });
    }
  }
  return out;
}
