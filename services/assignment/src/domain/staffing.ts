import type { Officer } from '@gridcase/contracts';
import { peopleOfPost } from './people.ts';

/** What staffingNotes reads of a reference-data document. */
export interface StaffedStation {
  policeGrids: readonly { code: string }[];
  grids: readonly { code: string; policeGridCode: string }[];
  officers: readonly Officer[];
}

/**
 * The places a reference-data document leaves without the people routing and the ladder look for
 * (routing.ts routeCase, ladder.ts ladderStep, each by peopleOfPost), most severe first, each note
 * naming every grid it concerns (audit11 #10). They are warnings: the import still takes effect.
 * - a community grid with no grid worker whose police grid has no grid officer: every new case
 *   there goes to the duty desk leader;
 * - a police grid with no grid officer: the officer's part of its grids' cases is nobody's (a police
 *   case goes to the duty desk leader; a red or orange one has the ladder or the desk leader beside
 *   the grid worker; the rest the grid worker takes alone);
 * - a community grid with no grid worker (its police grid has an officer): the officer alone;
 * - a police grid with no lead: escalation passes over it to the duty desk leader;
 * - no duty desk leader at all: a case routing sends to the desk is assigned to nobody.
 * Leave and shifts (rosters) are not weighed: they change by the hour, the roster itself does not.
 */
export function staffingNotes(doc: StaffedStation): string[] {
  const staffed = (role: Officer['role'], place: { policeGridCode?: string; gridCode?: string }) => peopleOfPost(doc.officers, role, place).length > 0;
  const noOfficer = doc.policeGrids.filter((p) => !staffed('officer', { policeGridCode: p.code })).map((p) => p.code);
  const noLead = doc.policeGrids.filter((p) => !staffed('lead', { policeGridCode: p.code })).map((p) => p.code);
  const withoutWorker = doc.grids.filter((g) => !staffed('gridWorker', { gridCode: g.code }));
  const nobody = withoutWorker.filter((g) => noOfficer.includes(g.policeGridCode)).map((g) => g.code);
  const officerAlone = withoutWorker.filter((g) => !noOfficer.includes(g.policeGridCode)).map((g) => g.code);
  const notes: string[] = [];
  const note = (codes: readonly string[], what: string) => {
    if (codes.length) notes.push(`${what}: ${codes.join(', ')}`);
  };
  note(nobody, 'community grids with no grid worker, whose police grid has no grid officer either: every new case there goes straight to the duty desk leader');
  note(
    noOfficer,
    'police grids with no grid officer: their grids\' police cases (tips, police categories) go to the duty desk leader, red and orange ones have the ladder\'s first on duty or the duty desk leader beside the grid worker, and the grid worker takes the rest alone',
  );
  note(officerAlone, 'community grids with no grid worker: their grid officer takes their cases alone');
  note(noLead, 'police grids with no lead: escalation of their cases passes over the lead to the duty desk leader');
  if (!staffed('deskLeader', {})) notes.push('no duty desk leader on the roster: a case routing sends to the desk (unplaced, or its grid unstaffed) is assigned to nobody');
  return notes;
}
