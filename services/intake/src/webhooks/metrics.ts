import { Counter, Gauge, register } from 'prom-client';

// Registered once per process, even when tests start intake twice in one.
const counter = (name: string, help: string) =>
  (register.getSingleMetric(name) as Counter | undefined) ?? new Counter({ name, help });

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
export const deliveriesInFlight =
  (register.getSingleMetric('gridcase_webhook_deliveries_in_flight') as Gauge | undefined) ??
  new Gauge({ name: 'gridcase_webhook_deliveries_in_flight', help: 'Webhook sends waiting on a receiver right now' });
