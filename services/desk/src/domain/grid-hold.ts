import type { FeedEntry } from '../feed.ts';

/**
 * What a grid-scoped stream holds back. Such a token judges a case by its grid, which a case.opened
 * may not name yet: routing (case.assigned) gives it. So events wait, in seq order, while the oldest
 * is of a case not routed yet, and each is judged by the latest place seen of its case — as a replay,
 * which reads the case's place now, does. Each held head waits at most `holdMs` from its own arrival
 * (not from the first of a held stretch), after which it goes out on the place known then.
 * Pure: the caller gives the time and delivers what comes back.
 */
export interface GridHold {
  /** Takes an event in; answers the events now ready, in seq order. `all` releases everything held (the hold is over its bound). */
  push(entry: FeedEntry, now: number, all?: boolean): FeedEntry[];
  /** The events whose wait is over at `now`, in seq order. */
  release(now: number): FeedEntry[];
  /** When the oldest held event's wait ends, or undefined when nothing is held. */
  dueAt(): number | undefined;
  /** How many events are held. */
  readonly size: number;
}

export function gridHold(holdMs: number): GridHold {
  const waiting: { entry: FeedEntry; since: number }[] = [];
  const latest = new Map<string, FeedEntry['place']>();

  const take = (now: number, all: boolean): FeedEntry[] => {
    const ready: FeedEntry[] = [];
    while (waiting.length) {
      const { entry, since } = waiting[0]!;
      const place = latest.get(entry.caseId) ?? entry.place;
      if (place.gridPending && !all && now < since + holdMs) break;
      waiting.shift();
      ready.push({ ...entry, place });
    }
    if (waiting.length === 0) latest.clear();
    return ready;
  };

  return {
    push(entry, now, all = false) {
      waiting.push({ entry, since: now });
      latest.set(entry.caseId, entry.place);
      return take(now, all);
    },
    release: (now) => take(now, false),
    dueAt: () => (waiting.length ? waiting[0]!.since + holdMs : undefined),
    get size() {
      return waiting.length;
    },
  };
}
