import { Counter, Gauge, register } from 'prom-client';

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

type BacklogRead = () => Promise<Record<'queued' | 'retrying', { pending: number; oldestAgeSeconds: number }>>;
/** One per running delivery worker (tests run two instances in one process); the latest started is read. */
const backlogReaders = new Set<BacklogRead>();
let backlogRead: Promise<void> | undefined;

/** Read from the database once per scrape for both gauges; a failed read keeps the last values (/readyz reports the database). */
const collectBacklog = (): Promise<void> =>
  (backlogRead ??= (async () => {
    const read = [...backlogReaders].at(-1);
    const backlog = await read?.().catch(() => undefined);
    if (!backlog) return;
    for (const state of ['queued', 'retrying'] as const) {
      deliveriesPending.set({ state }, backlog[state].pending);
      oldestPendingAge.set({ state }, backlog[state].oldestAgeSeconds);
    }
  })().finally(() => (backlogRead = undefined)));

/** Reads the backlog gauges with `read` at each scrape until the returned function is called. */
export function watchBacklog(read: BacklogRead): () => void {
  backlogReaders.add(read);
  return () => backlogReaders.delete(read);
}

/**
 * Read from the database at scrape time, so every instance shows the same figure: aggregate with max.
 * `state`: `queued` (never tried, behind no failed delivery of its case: waiting on intake's senders)
 * or `retrying` (a receiver failed it or an earlier one of its case: waiting on the receiver).
 */
const backlogGauge = (name: string, help: string) =>
  once(name, () => new Gauge({ name, help: `${help}, by state (queued: never tried; retrying: a receiver failed it or an earlier one of its case), read at scrape time`, labelNames: ['state'] as const, collect: collectBacklog }));
export const deliveriesPending = backlogGauge('gridcase_webhook_deliveries_pending', 'Webhook deliveries not yet delivered, parked or dropped');
export const oldestPendingAge = backlogGauge(
  'gridcase_webhook_deliveries_oldest_pending_age_seconds',
  'Age (from its case event) of the oldest pending webhook delivery (0 when none)',
);
for (const state of ['queued', 'retrying']) {
  deliveriesPending.set({ state }, 0);
  oldestPendingAge.set({ state }, 0);
}
