import type { Assignee, Officer, OfficerRole } from '@gridcase/contracts';

export const toAssignee = (o: Officer): Assignee => ({ officerId: o.officerId, role: o.role, name: o.name });

/** The people who serve a post, in roster order: a police grid's officers, a grid's workers, or everyone of a station-wide role. */
export function peopleOfPost(officers: readonly Officer[], role: OfficerRole, place: { policeGridCode?: string | null; gridCode?: string | null }) {
  if (role === 'officer' || role === 'lead') return officers.filter((o) => o.role === role && o.policeGridCode === place.policeGridCode);
  if (role === 'gridWorker') return officers.filter((o) => o.role === role && o.gridCode === place.gridCode);
  return officers.filter((o) => o.role === role);
}
