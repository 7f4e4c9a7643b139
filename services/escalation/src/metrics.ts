import { Counter, Gauge } from 'prom-client';

export const escalationsTotal = new Counter({
  name: 'gridcase_escalations_total',
  help: 'Cases escalated one level because a deadline passed, by reason',
  labelNames: ['reason'] as const,
});

export const pendingTimersGauge = new Gauge({
  name: 'gridcase_escalation_pending_timers',
  help: 'Deadlines still pending, as of the last scheduler pass',
});

export const droppedTimersTotal = new Counter({
  name: 'gridcase_escalation_timers_dropped_total',
  help: 'Due timers the scheduler cancelled without escalating (the case had moved on)',
  labelNames: ['kind'] as const,
});

export const timerFailuresTotal = new Counter({
  name: 'gridcase_escalation_timer_failures_total',
  help: 'Attempts to fire a due timer that failed; the timer is retried later with backoff',
});
