import { createRequire } from 'node:module';

interface CounterLike {
  inc(labels: Record<string, string>, value?: number): void;
}
interface GaugeLike {
  set(value: number): void;
}
interface PromClient {
  Counter: new (o: { name: string; help: string; labelNames: readonly string[] }) => CounterLike;
  Gauge: new (o: { name: string; help: string }) => GaugeLike;
}

/*
 * prom-client is a dependency of @gridcase/service-kit but not of this package (reported to the
 * lead). Load the very copy service-kit serves /metrics from, so these metrics land in its
 * default registry; once prom-client is in package.json this becomes a plain import.
 */
const serviceKitEntry = createRequire(import.meta.url).resolve('@gridcase/service-kit');
const prom = createRequire(serviceKitEntry)('prom-client') as PromClient;

export const escalationsTotal = new prom.Counter({
  name: 'gridcase_escalations_total',
  help: 'Cases escalated one level because a deadline passed, by reason',
  labelNames: ['reason'] as const,
});

export const pendingTimersGauge = new prom.Gauge({
  name: 'gridcase_escalation_pending_timers',
  help: 'Deadlines still pending, as of the last scheduler pass',
});

export const droppedTimersTotal = new prom.Counter({
  name: 'gridcase_escalation_timers_dropped_total',
  help: 'Due timers the scheduler cancelled without escalating (the case had moved on)',
  labelNames: ['kind'] as const,
});
