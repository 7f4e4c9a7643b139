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

/**
 * At most one backlog query in this time, however many scrape: /metrics needs no token, and 32 scrapers
 * in parallel, each a query, tripled report latency (audit21 #8). Scrapes within it share the read (the
 * one in flight too); the ages still count on to the scrape's moment from the oldest event time read.
 */
export const BACKLOG_READ_EVERY_MS = 5_000;

/** One per running delivery worker (tests run two instances in one process); the latest started is read. */
const backlogSources = new Set<BacklogSource>();
let lastRead: { source: BacklogSource; startedAt: number; backlog: Promise<Backlog | undefined> } | undefined;

/** The backlog read at most BACKLOG_READ_EVERY_MS ago (by the process's monotonic time), else a new read. */
function readBacklog(source: BacklogSource): Promise<Backlog | undefined> {
  const now = performance.now();
  if (!lastRead || lastRead.source !== source || now - lastRead.startedAt >= BACKLOG_READ_EVERY_MS) {
    // A failed read is shared alike: the gauges keep their last values (/readyz reports the database).
    lastRead = { source, startedAt: now, backlog: source.read().catch(() => undefined) };
  }
  return lastRead.backlog;
}

const ageSeconds = (oldest: Date | undefined, now: Date) => (oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0);

async function collectBacklog(): Promise<void> {
  const source = [...backlogSources].at(-1);
  const backlog = source && (await readBacklog(source));
  if (!source || !backlog) return;
  const now = source.now();
  for (const state of ['queued', 'retrying'] as const) {
    deliveriesPending.set({ state }, backlog[state].pending);
    oldestPendingAge.set({ state }, ageSeconds(backlog[state].oldest, now));
  }
}

/** Reads the backlog gauges from `source` (at most every BACKLOG_READ_EVERY_MS) until the returned function is called. */
export function watchBacklog(source: BacklogSource): () => void {
  backlogSources.add(source);
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
