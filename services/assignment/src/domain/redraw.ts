import type { Location } from '@gridcase/contracts';
import type { CaseEvent, CaseRecord } from './case.ts';
import { dutyByRoster, ladderStep } from './ladder.ts';
import { findGrid } from './locate.ts';
import { type RoutingData, routeCase } from './routing.ts';

export const OWNER_LEFT = 'owner left the roster';

/**
 * Why a case must move after new reference data, or undefined when it stays: a closed case stays; a
 * case that was placed in a grid moves when its place now lies in another grid (or in none); any case
 * moves when one of its owners is no longer on the roster. A case the desk holds (no grid) stays with
 * the desk unless its owner left: the desk may have placed it by hand.
 */
export function whyRehome(record: Pick<CaseRecord, 'status' | 'gridCode' | 'assignees'>, location: Location, data: RoutingData): string | undefined {
  if (record.status === 'closed') return undefined;
  if (record.gridCode !== null) {
    const now = findGrid(location, data.grids, data.gazetteer).grid?.code;
    if (now !== record.gridCode) return now ? `the grids were redrawn: the place now lies in grid ${now}, not ${record.gridCode}` : `the grids were redrawn: the place lies in no grid now, not ${record.gridCode}`;
  }
  const onRoster = new Set(data.officers.map((o) => o.officerId));
  if (record.assignees.some((a) => !onRoster.has(a.officerId))) return OWNER_LEFT;
  return undefined;
}

/**
 * The case with its new place and owners, and the `case.assigned` (routedBy `redrawn`) that says so:
 * at level 0 routing decides as for a new case; above it, the ladder's rung of the level in the new
 * police grid. Clocks do not change (the case is no later or earlier for having moved).
 */
export function rehome(record: CaseRecord, location: Location, data: RoutingData, reason: string, now: Date): { record: CaseRecord; events: CaseEvent[] } {
  const route = routeCase(location, data, { category: record.category, severity: record.severity, at: now });
  const policeGridCode = route.policeGridCode ?? null;
  const gridCode = route.gridCode ?? null;
  const ladder = record.level > 0 ? ladderStep(record.level, { policeGridCode: policeGridCode ?? undefined }, data.officers, data.referenceVersion ?? null, data.openCases, dutyByRoster(data.duty, now))
      : undefined;
  const assignees = ladder && ladder.assignees.length > 0 ? ladder.assignees : route.assignees;
  const after: CaseRecord = {
    ...record,
    assignees,
    policeGridCode,
    gridCode,
    routedBy: 'redrawn',
    unroutableReason: route.routedBy === 'desk' ? (route.reason ?? null) : null,
    referenceVersion: data.referenceVersion ?? null,
    updatedAt: now,
  };
  const event: CaseEvent = {
    type: 'gridcase.case.assigned.v1',
    data: {
      caseId: record.caseId,
      level: record.level,
      assignees,
      policeGridCode: route.policeGridCode,
      gridCode: route.gridCode,
      routedBy: 'redrawn',
      reason: route.routedBy === 'desk' && route.reason ? `${reason}; ${route.reason}` : reason,
      decision: ladder && ladder.assignees.length > 0 ? ladder.decision : route.decision,
      at: now.toISOString(),
    },
  };
  return { record: after, events: [event] };
}
