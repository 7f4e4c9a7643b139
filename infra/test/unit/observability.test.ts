import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ALERTS_FILE,
  DASHBOARD_FILE,
  exposedSeries,
  missingMetrics,
  parsePromQL,
  readAlertRules,
  readDashboard,
} from '../../observability/check.ts';

const alerts = () => readAlertRules(readFileSync(ALERTS_FILE, 'utf8'));

describe('alert rules and dashboard (infra/observability)', () => {
  it('has an alert for each thing the ops team watches, every one well formed', () => {
    const byName = new Map(alerts().map((r) => [r.alert, r]));
    const reads = (alert: string) => parsePromQL(byName.get(alert)?.expr ?? '').metrics;
    expect(reads('GridcaseConsumerLagHigh')).toEqual(['gridcase_consumer_lag_messages']);
    expect(reads('GridcaseConsumerStalled')).toEqual(['gridcase_consumer_stalled']);
    expect(byName.get('GridcaseConsumerStalled')?.labels?.severity).toBe('page');
    expect(reads('GridcaseOutboxStale')).toEqual(['gridcase_outbox_oldest_unsent_age_seconds']);
    expect(reads('GridcaseDeadLetters')).toEqual(['gridcase_dlq_records_written_total']);
    expect(reads('GridcaseRedCaseOverdue')).toEqual(['gridcase_desk_cases_overdue']);
    expect(reads('GridcaseTimerLate')).toEqual(['gridcase_escalation_timer_lateness_seconds_bucket']);
    expect(reads('GridcaseWebhookFailures').sort()).toEqual(['gridcase_webhook_deliveries_delivered_total', 'gridcase_webhook_deliveries_failed_total']);
    expect(reads('GridcaseWebhookBacklog')).toEqual(['gridcase_webhook_deliveries_oldest_pending_age_seconds']);
    expect(byName.get('GridcaseWebhookBacklog')?.expr).toContain('state="queued"');
    expect(reads('GridcaseDisputeSloBurnFast')).toEqual(['gridcase_desk_slo_alert_firing']);
    expect(byName.get('GridcaseRedCaseOverdue')?.expr).toContain('severity="red"');
  });

  it('parses every dashboard query', () => {
    const queries = readDashboard(readFileSync(DASHBOARD_FILE, 'utf8'));
    expect(queries.length).toBeGreaterThan(10);
    for (const q of queries) expect(parsePromQL(q.expr).errors, q.panel).toEqual([]);
  });

  it('refuses a rule whose PromQL does not parse, or that lacks a severity or runbook', () => {
    const rule = (expr: string, extra = '') =>
      `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: ${expr}\n        labels: { severity: page }\n        annotations: { summary: s, description: d${extra} }\n`;
    expect(() => readAlertRules(rule('sum(rate(x_total[5m])', ', runbook: r'))).toThrow(/syntax error/);
    expect(() => readAlertRules(rule('x > 1'))).toThrow(/runbook missing/);
    expect(readAlertRules(rule('x > 1', ', runbook: r'))).toHaveLength(1);
  });

  it('names a metric that no service exposes', () => {
    const exposed = exposedSeries('# HELP a_seconds x\n# TYPE a_seconds histogram\n# TYPE b_total counter\n');
    expect([...exposed].sort()).toEqual(['a_seconds', 'a_seconds_bucket', 'a_seconds_count', 'a_seconds_sum', 'b_total']);
    const queries = [
      { source: 'alert Ok', expr: 'histogram_quantile(0.9, sum by (le) (rate(a_seconds_bucket[5m]))) > 1 and on() up == 1' },
      { source: 'alert Typo', expr: 'rate(b_totl[5m]) > 0' },
      { source: 'panel ByName', expr: 'sum({__name__="c_total"})' },
    ];
    expect(missingMetrics(queries, exposed)).toEqual(['alert Typo: b_totl', 'panel ByName: c_total']);
  });
});
