import { type SharedRead, throttledRead } from '@gridcase/messaging';
import { Counter, Gauge, Histogram } from 'prom-client';

let countPending: (() => Promise<SharedRead<number>>) | undefined;

/**
 * Counted for scrapes, not by the scheduler: the count reads every pending timer (about 100 ms at a
 * million), which must not delay firing them; at most every 5 s, however many scrape (/metrics needs
 * no token). A failed count keeps the last value; /readyz reports the database.
 */
export const pendingTimersGauge = new Gauge({
  name: 'gridcase_escalation_pending_timers',
  help: 'Timers (warnings and deadlines) still pending, counted at most every 5 s',
  async collect() {
    const n = (await countPending?.())?.value;
    if (n !== undefined) this.set(n);
  },
});

/** Where the pending-timers gauge reads its count at each scrape. */
export function watchPendingTimers(count: () => Promise<number>): void {
  countPending = throttledRead(count);
}

export const timerLatenessSeconds = new Histogram({
  name: 'gridcase_escalation_timer_lateness_seconds',
  help: 'Seconds between when a timer was due and when its fact was emitted',
  labelNames: ['fact'] as const,
  buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
});

export const factsTotal = new Counter({
  name: 'gridcase_escalation_facts_total',
  help: 'Timer facts emitted (deadline-warning, deadline-passed; a hold-expired counts as passed of kind hold), by fact and kind',
  labelNames: ['fact', 'kind'] as const,
});

export const timerFailuresTotal = new Counter({
  name: 'gridcase_escalation_timer_failures_total',
  help: 'Attempts to fire a due timer that failed; the timer is retried later with backoff',
});
