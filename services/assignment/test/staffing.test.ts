import type { Officer } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { DEMO_STATION } from '../src/domain/demo-station.ts';
import { ladderStep } from '../src/domain/ladder.ts';
import { routeCase } from '../src/domain/routing.ts';
import { staffingNotes } from '../src/domain/staffing.ts';

/** The demo station without the people `leaves` picks. */
const without = (leaves: (o: Officer) => boolean) => ({ ...DEMO_STATION, officers: DEMO_STATION.officers.filter((o) => !leaves(o)) });
const codesOf = (notes: string[], start: string) => notes.find((n) => n.startsWith(start))?.split(': ').at(-1)?.split(', ') ?? [];

describe('staffingNotes: the grids an import leaves without the people routing needs (audit11 #10)', () => {
  it('says nothing of a station whose every police grid has an officer and a lead, every grid a worker, and which has a desk leader', () => {
    expect(staffingNotes(DEMO_STATION)).toEqual([]);
  });

  it('names each community grid whose new cases go straight to the desk leader: no grid worker, and no grid officer of its police grid', () => {
    const doc = without((o) => o.officerId === 'worker-CG-05-01' || (o.role === 'officer' && o.policeGridCode === 'CG-05'));
    const notes = staffingNotes(doc);
    expect(notes).toEqual([
      'community grids with no grid worker, whose police grid has no grid officer either: every new case there goes straight to the duty desk leader: CG-05-01',
      expect.stringMatching(/^police grids with no grid officer: .*: CG-05$/),
    ]);
    // What routing does with such a document: the desk leader for the grid named, the pair elsewhere.
    for (const grid of doc.grids) {
      const route = routeCase({ gridCode: grid.code }, doc, { category: 'dispute.neighbour', severity: 'yellow' });
      expect(route.routedBy === 'desk', grid.code).toBe(codesOf(notes, 'community grids with no grid worker, whose').includes(grid.code));
    }
  });

  it('names a police grid without a grid officer, a grid without a worker whose officer takes it alone, and a police grid without a lead', () => {
    const doc = without((o) => o.officerId === 'worker-CG-02-01' || o.officerId === 'lead-CG-03' || (o.role === 'officer' && o.policeGridCode === 'CG-04'));
    const notes = staffingNotes(doc);
    expect(codesOf(notes, 'police grids with no grid officer')).toEqual(['CG-04']);
    expect(notes).toContain('community grids with no grid worker: their grid officer takes their cases alone: CG-02-01');
    expect(notes).toContain('police grids with no lead: escalation of their cases passes over the lead to the duty desk leader: CG-03');
    expect(notes.some((n) => n.startsWith('community grids with no grid worker, whose'))).toBe(false);
    // As routing and the ladder behave: the officer alone in CG-02-01, no officer in CG-04's grids, the lead passed over in CG-03.
    expect(routeCase({ gridCode: 'CG-02-01' }, doc, { category: 'dispute.neighbour' }).assignees.map((a) => a.role)).toEqual(['officer']);
    const pg04 = doc.grids.find((g) => g.policeGridCode === 'CG-04')!;
    expect(routeCase({ gridCode: pg04.code }, doc, { category: 'dispute.neighbour' }).assignees.map((a) => a.role)).toEqual(['gridWorker']);
    expect(ladderStep(1, { policeGridCode: 'CG-03' }, doc.officers).skipped).toEqual(['lead']);
  });

  it('lists every such grid in one note, and says when there is no desk leader at all', () => {
    const doc = without((o) => o.role === 'lead' || o.role === 'deskLeader');
    const notes = staffingNotes(doc);
    expect(codesOf(notes, 'police grids with no lead')).toEqual(DEMO_STATION.policeGrids.map((p) => p.code));
    expect(notes).toContain('no duty desk leader on the roster: a case routing sends to the desk (unplaced, or its grid unstaffed) is assigned to nobody');
  });
});
