import { describe, expect, it } from 'vitest';
import { gridHold } from '../src/domain/grid-hold.ts';
import type { FeedEntry } from '../src/feed.ts';

const HOLD = 30_000;
let seq = 0;
const entry = (caseId: string, gridCode: string | null, type = 'gridcase.case.opened.v1'): FeedEntry => ({
  seq: ++seq,
  eventId: `e${seq}`,
  caseId,
  type,
  time: '2026-12-01T00:00:00Z',
  data: {},
  place: { station: 's1', gridCode, category: 'dispute.neighbour', gridPending: gridCode === null },
});
const ids = (entries: FeedEntry[]) => entries.map((e) => e.eventId);

describe('a grid-scoped stream holding events behind a case not routed yet', () => {
  it('lets a routed case through at once and holds an unrouted one, and what follows it, until its routing comes', () => {
    const hold = gridHold(HOLD);
    const routed = entry('a', 'g1');
    expect(ids(hold.push(routed, 0))).toEqual([routed.eventId]);
    const opened = entry('b', null);
    const other = entry('c', 'g2');
    expect(hold.push(opened, 0)).toEqual([]);
    expect(hold.push(other, 10)).toEqual([]);
    expect(hold.size).toBe(2);
    const assigned = entry('b', 'g1', 'gridcase.case.assigned.v1');
    // The opening event goes out on the place its routing gave, then everything behind it, in seq order.
    const out = hold.push(assigned, 20);
    expect(ids(out)).toEqual([opened.eventId, other.eventId, assigned.eventId]);
    expect(out[0]!.place.gridCode).toBe('g1');
    expect(hold.size).toBe(0);
    expect(hold.dueAt()).toBeUndefined();
  });

  it('gives each held case its own wait from its own arrival, not what is left of the first one', () => {
    const hold = gridHold(HOLD);
    const first = entry('b', null);
    hold.push(first, 0);
    const second = entry('d', null);
    hold.push(second, 25_000);
    expect(hold.dueAt()).toBe(HOLD);
    expect(hold.release(HOLD - 1)).toEqual([]);
    // The first's wait is over: it goes out unrouted; the second waits its own 30 s.
    expect(ids(hold.release(HOLD))).toEqual([first.eventId]);
    expect(hold.dueAt()).toBe(25_000 + HOLD);
    const routed = entry('d', 'g3', 'gridcase.case.assigned.v1');
    expect(ids(hold.push(routed, 40_000))).toEqual([second.eventId, routed.eventId]);
    expect(hold.release(1_000_000)).toEqual([]);
  });

  it('releases everything when told the hold is over its bound', () => {
    const hold = gridHold(HOLD);
    const first = entry('b', null);
    hold.push(first, 0);
    const second = entry('e', null);
    expect(ids(hold.push(second, 1, true))).toEqual([first.eventId, second.eventId]);
    expect(hold.size).toBe(0);
  });
});
