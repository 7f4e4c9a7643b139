import { SCRAPE_READ_EVERY_MS, type SharedRead, throttledRead } from '@gridcase/messaging';
import { Counter, Gauge, register } from 'prom-client';
import type { Backlog } from '../db/webhook-deliveries.ts';

// Registered once per process, even when tests start intake twice in one.
const once = <M>(name: string, make: () => M): M => (register.getSingleMetric(name) as M | undefined) ?? make();
const counter = (name: string, help: string) => once(name, () => new Counter({ name, help }));

export const deliveriesDelivered = counter('gridcase_webhook_deliveries_delivered_total', 'Webhook deliveries a receiver accepted (2xx)');
export const deliveriesFailed = counter('gridcase_webhook_deliveries_failed_total', 'Webhook delivery attempts that failed (non-2xx, timeout, refused address)');
export const deliveriesParked = counter('gridcase_webhook_deliveries_parked_total', 'Webhook deliveries given up after the retry window');
/** By why: `client-revoked` or `client-expired`; deliveries never queued and pending ones dropped alike. */
export const deliveriesDropped =
  (register.getSingleMetric('gridcase_webhook_deliveries_dropped_total') as Counter<'reason'> | undefined) ??
  new Counter({
    name: 'gridcase_webhook_deliveries_dropped_total',
    help: 'Webhook deliveries not sent because their client was revoked or its token expired (not queued, or pending and dropped)',
    labelNames: ['reason'],
  });
export const leasesExpired = counter(
  'gridcase_webhook_leases_expired_total',
  'Webhook deliveries taken again after an earlier send left no outcome before its lease ran out (its instance crashed or was killed)',
);
/** Each instance adds its own sends in flight (inc/dec), so two instances in one test process add up. */
export const deliveriesInFlight = once('gridcase_webhook_deliveries_in_flight', () => new Gauge({ name: 'gridcase_webhook_deliveries_in_flight', help: 'Webhook sends waiting on a receiver right now' }));

/** What reads the backlog (the database) and the clock its ages are counted by. */
export interface BacklogSource {
  read: () => Promise<Backlog>;
  now: () => Date;
}

/** At most one backlog query in this time, however many scrape (audit21 #8). */
export const BACKLOG_READ_EVERY_MS = SCRAPE_READ_EVERY_MS;

/** One per running delivery worker (tests run two instances in one process); the latest started is read. */
const backlogSources = new Map<BacklogSource, () => Promise<SharedRead<Backlog>>>();

const ageSeconds = (oldest: Date | undefined, now: Date) => (oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0);

async function collectBacklog(): Promise<void> {
  const [source, read] = [...backlogSources].at(-1) ?? [];
  const backlog = read && (await read()).value;
  if (!source || !backlog) return;
  // The ages count on to the scrape's moment from the oldest event time read.
  const now = source.now();
  for (const state of ['queued', 'retrying'] as const) {
    deliveriesPending.set({ state }, backlog[state].pending);
    oldestPendingAge.set({ state }, ageSeconds(backlog[state].oldest, now));
  }
}

/** Reads the backlog gauges from `source` (at most every BACKLOG_READ_EVERY_MS) until the returned function is called. */
export function watchBacklog(source: BacklogSource): () => void {
  backlogSources.set(source, throttledRead(source.read, BACKLOG_READ_EVERY_MS));
  return () => backlogSources.delete(source);
}

/**
 * Read from the database (at most every BACKLOG_READ_EVERY_MS), so every instance shows the same figure: aggregate with max.
 * `state`: `queued` (never tried, behind no failed delivery of its case: waiting on intake's senders)
 * or `retrying` (a receiver failed it or an earlier one of its case: waiting on the receiver).
 */
const backlogGauge = (name: string, help: string) =>
  once(name, () => new Gauge({ name, help: `${help}, by state (queued: never tried; retrying: a receiver failed it or an earlier one of its case), read from the database at most every 5 s`, labelNames: ['state'] as const, collect: collectBacklog }));
export const deliveriesPending = backlogGauge('gridcase_webhook_deliveries_pending', 'Webhook deliveries not yet delivered, parked or dropped');
export const oldestPendingAge = backlogGauge(
  'gridcase_webhook_deliveries_oldest_pending_age_seconds',
  'Age (from its case event) of the oldest pending webhook delivery (0 when none)',
);
for (const state of ['queued', 'retrying']) {
  deliveriesPending.set({ state }, 0);
  oldestPendingAge.set({ state }, 0);
}
