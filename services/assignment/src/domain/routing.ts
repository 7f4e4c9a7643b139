import type { Assignee, CommunityGrid, Location, Officer, OfficerRole } from '@gridcase/contracts';
import { type FoundBy, findGrid } from './locate.ts';

/** What routing needs to know about the station: its community grids and its roster. */
export interface RoutingData {
  grids: readonly CommunityGrid[];
  officers: readonly Officer[];
}

export type RoutedBy = FoundBy | 'desk';

export interface Route {
  routedBy: RoutedBy;
  assignees: Assignee[];
  policeGridCode?: string;
  gridCode?: string;
  /** Why the case went to the duty desk; set only when routedBy is 'desk'. */
  reason?: string;
  /** A partner missing from a grid's roster; the case still goes to the one present. For the log. */
  gap?: string;
}

export const toAssignee = (o: Officer): Assignee => ({ officerId: o.officerId, role: o.role, name: o.name });

/**
 * The first on-duty person matching, else the first matching at all: a post's owner stays
 * responsible off duty, and the escalation ladder covers slowness, so a case never waits unowned.
 */
export function pickOfficer(officers: readonly Officer[], match: (o: Officer) => boolean): Officer | undefined {
  const candidates = officers.filter(match);
  return candidates.find((o) => o.onDuty) ?? candidates[0];
}

export const pickByRole = (officers: readonly Officer[], role: OfficerRole, policeGridCode?: string) =>
  pickOfficer(officers, (o) => o.role === role && (policeGridCode === undefined || o.policeGridCode === policeGridCode));

/**
 * Decides who works a new case. Normally the pair of dual-grid fusion: the police grid's grid officer
 * and the community grid's grid worker. A case that cannot be placed goes to the duty desk leader
 * with the reason, so nothing is dropped.
 */
export function routeCase(location: Location, data: RoutingData): Route {
  const found = findGrid(location, data.grids);
  const toDesk = (reason: string): Route => {
    const leader = pickByRole(data.officers, 'deskLeader');
    return {
      routedBy: 'desk',
      assignees: leader ? [toAssignee(leader)] : [],
      reason: leader ? reason : `${reason}; and no desk leader is on the roster`,
    };
  };
  if (!found.grid || !found.routedBy) return toDesk(found.misses.join('; '));

  const { grid } = found;
  const officer = pickOfficer(data.officers, (o) => o.role === 'officer' && o.policeGridCode === grid.policeGridCode);
  const worker = pickOfficer(data.officers, (o) => o.role === 'gridWorker' && o.gridCode === grid.code);
  if (!officer && !worker) {
    return toDesk(`grid ${grid.code} (police grid ${grid.policeGridCode}) has no grid officer or grid worker on the roster`);
  }
  const route: Route = {
    routedBy: found.routedBy,
    assignees: [officer, worker].filter((o): o is Officer => o !== undefined).map(toAssignee),
    policeGridCode: grid.policeGridCode,
    gridCode: grid.code,
  };
  if (!officer) route.gap = `police grid ${grid.policeGridCode} has no grid officer on the roster`;
  if (!worker) route.gap = `grid ${grid.code} has no grid worker on the roster`;
  return route;
}
