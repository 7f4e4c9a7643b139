import type { Location, Officer } from '@gridcase/contracts';
import type { CaseEvent, CaseRecord } from './case.ts';
import { dutyByRoster, highestRung, ladderStep } from './ladder.ts';
import { findGrid } from './locate.ts';
import { type RoutingData, routeCase } from './routing.ts';

export const OWNER_LEFT = 'owner left the roster';

/**
 * Why a case must move after new reference data, or undefined when it stays: a closed case stays; a
 * case that was placed in a grid moves when its place now lies in another grid (or in none); any case
 * moves when one of its owners is no longer on the roster, or serves another grid now (servesElsewhere:
 * a grid worker or police officer moved by the import). A case the desk holds (no grid) stays with
 * the desk unless its owner left: the desk may have placed it by hand.
 */
export function whyRehome(
  record: Pick<CaseRecord, 'status' | 'gridCode' | 'assignees'> & Partial<Pick<CaseRecord, 'policeGridCode' | 'routedBy'>>,
  location: Location,
  data: RoutingData,
): string | undefined {
  if (record.status === 'closed') return undefined;
  if (record.gridCode !== null) {
    const now = findGrid(location, data.grids, data.gazetteer).grid?.code;
    if (now !== record.gridCode) return now ? `the grids were redrawn: the place now lies in grid ${now}, not ${record.gridCode}` : `the grids were redrawn: the place lies in no grid now, not ${record.gridCode}`;
  }
  const byId = new Map(data.officers.map((o) => [o.officerId, o]));
  if (record.assignees.some((a) => !byId.has(a.officerId))) return OWNER_LEFT;
  const moved = record.assignees.map((a) => byId.get(a.officerId) as Officer).find((o) => servesElsewhere(record, o));
  if (moved) return `${OWNER_MOVED}: the ${moved.role} now serves ${(moved.role === 'gridWorker' ? moved.gridCode : moved.policeGridCode) ?? 'no grid'}`;
  return undefined;
}

export const OWNER_MOVED = 'owner moved to another grid';

/**
 * Whether an owner still on the roster no longer serves the case's place: a grid worker of another
 * community grid than the case's (reassign never gives them one: their token would not see it), or
 * a grid officer or lead of another police grid. Station-wide roles serve every place. A police
 * owner the desk chose by hand (`routedBy: reassign`) may be from anywhere: the desk called them in.
 */
function servesElsewhere(record: { gridCode: string | null; policeGridCode?: string | null | undefined; routedBy?: string | undefined }, o: Officer): boolean {
  if (o.role === 'gridWorker') return record.gridCode !== null && o.gridCode !== record.gridCode;
  if (o.role !== 'officer' && o.role !== 'lead') return false;
  return !!record.policeGridCode && record.routedBy !== 'reassign' && o.policeGridCode !== record.policeGridCode;
}

/**
 * The case with its new place and owners, and the `case.assigned` (routedBy `redrawn`) that says so:
 * at level 0 routing decides as for a new case; above it, the ladder's rung of the level in the new
 * police grid, never below the highest rung its owners hold (a move is not a demotion: a case the desk
 * leader holds at level 1 stays with a desk leader or above when it lands in a grid whose level-1 rung
 * is a lead). Clocks do not change (the case is no later or earlier for having moved).
 */
export function rehome(record: CaseRecord, location: Location, data: RoutingData, reason: string, now: Date): { record: CaseRecord; events: CaseEvent[] } {
  const route = routeCase(location, data, { category: record.category, severity: record.severity, at: now });
  const policeGridCode = route.policeGridCode ?? null;
  const gridCode = route.gridCode ?? null;
  const duty = dutyByRoster(data.duty, now, false, undefined, highestRung(record.assignees));
  const ladder = record.level > 0 ? ladderStep(record.level, { policeGridCode: policeGridCode ?? undefined }, data.officers, data.referenceVersion ?? null, data.openCases, duty) : undefined;
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
