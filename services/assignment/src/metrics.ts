import type { DataOf } from '@gridcase/contracts';
import { Counter } from 'prom-client';
import type { Route } from './domain/routing.ts';

/**
 * What assignment decided, in aggregate, for the operator (the runbook's "rule out routing errors after a
 * grid redraw"): counted after the transaction that decided it commits. Every label has a bounded set
 * of values: enums of the contract, and the level capped.
 */
export const casesRouted = new Counter({
  name: 'gridcase_cases_routed_total',
  help: 'New cases routed, by how (routed_by: gridCode, communityCode, point, address, desk) and the furthest fallback any post needed (filled_by)',
  labelNames: ['routed_by', 'filled_by'] as const,
});

export const escalations = new Counter({
  name: 'gridcase_escalations_total',
  help: 'Cases escalated one level up the ladder, by the clock that was missed (reason) and the level reached (4+ for four and above)',
  labelNames: ['reason', 'level'] as const,
});

/**
 * Escalations that found nobody to take the case (every rung above empty, or everyone on it on leave):
 * the case moved up a level but its owners kept it. An operator's sign that the rosters have a hole.
 */
export const escalationsUnstaffed = new Counter({
  name: 'gridcase_escalations_unstaffed_total',
  help: 'Escalations that found nobody on the roster at or above the next rung (all on leave or none), so the current owners kept the case',
  labelNames: ['level'] as const,
});

/** How posts are filled, from the plain case to the furthest fallback. */
const FILL_ORDER = ['on-duty', 'kept', 'on-call', 'off-duty-owner', 'ladder-on-duty', 'desk-leader', 'none'] as const;

/** The furthest fallback any of the route's posts needed; `none` where it filled no post (the duty desk). */
export function furthestFill(route: Pick<Route, 'decision'>): string {
  const fills = route.decision.posts.map((p) => FILL_ORDER.indexOf(p.filledBy));
  return fills.length ? (FILL_ORDER[Math.max(...fills)] ?? 'none') : 'none';
}

/** A level as a label: 1, 2, 3, then 4+ (the ladder may be longer; the label's values stay few). */
export const levelLabel = (level: number): string => (level >= 4 ? '4+' : String(level));

export function countRouted(route: Pick<Route, 'routedBy' | 'decision'>): void {
  casesRouted.inc({ routed_by: route.routedBy, filled_by: furthestFill(route) });
}

export function countEscalation(kind: DataOf<'gridcase.case.deadline-passed.v1'>['kind'], level: number, keptOwners: boolean): void {
  escalations.inc({ reason: `${kind}-overdue`, level: levelLabel(level) });
  if (keptOwners) escalationsUnstaffed.inc({ level: levelLabel(level) });
}
