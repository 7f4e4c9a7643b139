import { Counter, register } from 'prom-client';

/**
 * Reports received, by channel (http, kafka, open311) and what became of them (created, repeat,
 * conflict): tells an operator a sending system went quiet, or keeps resending. Refused bodies are
 * counted by the HTTP metrics (400) and the DLQ's. Registered once per process, even when tests start
 * intake twice in one.
 */
export const reportsReceivedTotal =
  (register.getSingleMetric('gridcase_reports_received_total') as Counter<'via' | 'outcome'> | undefined) ??
  new Counter({
    name: 'gridcase_reports_received_total',
    help: 'Reports received, by channel (http, kafka, open311) and outcome (created, repeat, conflict)',
    labelNames: ['via', 'outcome'] as const,
  });
