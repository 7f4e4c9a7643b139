import { Counter, register } from 'prom-client';

// Registered once per process, even when tests start intake twice in one.
const counter = (name: string, help: string) =>
  (register.getSingleMetric(name) as Counter | undefined) ?? new Counter({ name, help });

export const deliveriesDelivered = counter('gridcase_webhook_deliveries_delivered_total', 'Webhook deliveries a receiver accepted (2xx)');
export const deliveriesFailed = counter('gridcase_webhook_deliveries_failed_total', 'Webhook delivery attempts that failed (non-2xx, timeout, refused address)');
export const deliveriesParked = counter('gridcase_webhook_deliveries_parked_total', 'Webhook deliveries given up after the retry window');
