/**
 * Reads the alert rules and the Grafana dashboard, parses each PromQL expression with the
 * Prometheus project's own grammar (@prometheus-io/lezer-promql, what Prometheus's UI uses), and
 * names the metrics they read, so tests can hold them against what the services expose.
 */
import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';

export const ALERTS_FILE = new URL('./alerts.yml', import.meta.url);
export const DASHBOARD_FILE = new URL('./grafana-dashboard.json', import.meta.url);

/** Series Prometheus makes itself (per scrape target), not any service. */
export const SYNTHETIC_SERIES = new Set(['up']);

export interface ParsedQuery {
  /** Metric names the expression selects, by name or by a `__name__` matcher. */
  metrics: string[];
  /** Where the grammar failed, if it did. */
  errors: string[];
}

/** Grafana's built-in interval variables, as Prometheus would see them after Grafana filled them in. */
const fillGrafanaVariables = (expr: string) => expr.replaceAll(/\$__(rate_)?interval|\$__range/g, '5m');

export function parsePromQL(expr: string): ParsedQuery {
  const source = fillGrafanaVariables(expr);
  const metrics = new Set<string>();
  const errors: string[] = [];
  const cursor = parser.parse(source).cursor();
  do {
    const node = cursor.node;
    if (node.type.isError) errors.push(`syntax error at ${node.from}: …${source.slice(Math.max(0, node.from - 20), node.from + 20)}…`);
    if (node.name === 'Identifier' && node.parent?.name === 'VectorSelector') metrics.add(source.slice(node.from, node.to));
    if (node.name === 'UnquotedLabelMatcher' || node.name === 'QuotedLabelMatcher') {
      const text = source.slice(node.from, node.to);
      const byName = /^__name__\s*=\s*"([^"]+)"$/.exec(text);
      if (byName?.[1]) metrics.add(byName[1]);
    }
  } while (cursor.next());
  return { metrics: [...metrics], errors };
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface RuleFile {
  groups: { name: string; interval?: string; rules: AlertRule[] }[];
}

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
export const ALERT_SEVERITIES = ['page', 'ticket'] as const;

/**
 * The rules of a Prometheus rule file, checked for the shape `promtool check rules` insists on
 * (groups with unique names, each rule an alert with an expression, valid durations) plus ours:
 * a severity label and summary, description and runbook annotations. Throws naming every problem.
 */
export function readAlertRules(text: string): AlertRule[] {
  const file = parseYaml(text) as RuleFile;
  const problems: string[] = [];
  if (!file || !Array.isArray(file.groups) || file.groups.length === 0) throw new Error('no rule groups');
  const groupNames = new Set<string>();
  const alertNames = new Set<string>();
  const rules: AlertRule[] = [];
  for (const group of file.groups) {
    if (!group.name || groupNames.has(group.name)) problems.push(`group name missing or repeated: ${group.name}`);
    groupNames.add(group.name);
    if (group.interval !== undefined && !DURATION.test(group.interval)) problems.push(`${group.name}: bad interval ${group.interval}`);
    for (const rule of group.rules ?? []) {
      const name = rule.alert ?? '(unnamed)';
      const unknownKeys = Object.keys(rule).filter((k) => !['alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'].includes(k));
      if (unknownKeys.length) problems.push(`${name}: unknown keys ${unknownKeys.join(', ')}`);
      if (!rule.alert || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(rule.alert)) problems.push(`${name}: alert name missing or invalid`);
      if (alertNames.has(name)) problems.push(`${name}: repeated`);
      alertNames.add(name);
      if (typeof rule.expr !== 'string' || !rule.expr.trim()) problems.push(`${name}: no expr`);
      else for (const e of parsePromQL(rule.expr).errors) problems.push(`${name}: ${e}`);
      if (rule.for !== undefined && !DURATION.test(rule.for)) problems.push(`${name}: bad for ${rule.for}`);
      if (!ALERT_SEVERITIES.includes(rule.labels?.severity as (typeof ALERT_SEVERITIES)[number])) problems.push(`${name}: severity must be page or ticket`);
      for (const key of ['summary', 'description', 'runbook']) {
        if (!rule.annotations?.[key]) problems.push(`${name}: annotation ${key} missing`);
      }
      rules.push(rule);
    }
  }
  if (problems.length) throw new Error(`alert rules: ${problems.join('; ')}`);
  return rules;
}

interface Panel {
  id?: number;
  title?: string;
  type?: string;
  targets?: { expr?: string; refId?: string }[];
  panels?: Panel[];
}

export interface DashboardQuery {
  panel: string;
  expr: string;
}

/** Every query of the dashboard's panels (rows included), checked for the fields Grafana needs to import it. */
export function readDashboard(text: string): DashboardQuery[] {
  const dashboard = JSON.parse(text) as { title?: string; uid?: string; schemaVersion?: number; panels?: Panel[] };
  const problems: string[] = [];
  if (!dashboard.title || !dashboard.uid || typeof dashboard.schemaVersion !== 'number') problems.push('title, uid and schemaVersion are required');
  const ids = new Set<number>();
  const queries: DashboardQuery[] = [];
  const walk = (panels: Panel[] | undefined) => {
    for (const panel of panels ?? []) {
      const title = panel.title ?? `panel ${panel.id}`;
      if (typeof panel.id !== 'number' || ids.has(panel.id)) problems.push(`${title}: id missing or repeated`);
      if (typeof panel.id === 'number') ids.add(panel.id);
      if (!panel.type) problems.push(`${title}: no type`);
      for (const target of panel.targets ?? []) {
        if (!target.expr) problems.push(`${title}: a target without expr`);
        else {
          for (const e of parsePromQL(target.expr).errors) problems.push(`${title}: ${e}`);
          queries.push({ panel: title, expr: target.expr });
        }
      }
      walk(panel.panels);
    }
  };
  walk(dashboard.panels);
  if (queries.length === 0) problems.push('no queries');
  if (problems.length) throw new Error(`dashboard: ${problems.join('; ')}`);
  return queries;
}

/** The alert rules and dashboard queries as shipped. */
export function shippedQueries(): { source: string; expr: string }[] {
  return [
    ...readAlertRules(readFileSync(ALERTS_FILE, 'utf8')).map((r) => ({ source: `alert ${r.alert}`, expr: r.expr })),
    ...readDashboard(readFileSync(DASHBOARD_FILE, 'utf8')).map((q) => ({ source: `panel ${q.panel}`, expr: q.expr })),
  ];
}

/**
 * The series names a Prometheus text exposition offers: each family's name, and for histograms and
 * summaries the _bucket, _sum and _count series Prometheus stores.
 */
export function exposedSeries(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const m = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (!m?.[1]) continue;
    const [, name, type] = m;
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(`${name}${s}`);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(`${name}${s}`);
  }
  return names;
}

/** Each query naming a metric that `exposed` lacks, as `source: metric`. */
export function missingMetrics(queries: { source: string; expr: string }[], exposed: Set<string>): string[] {
  const missing: string[] = [];
  for (const q of queries) {
    const { metrics, errors } = parsePromQL(q.expr);
    if (errors.length) missing.push(`${q.source}: unparsable (${errors.join('; ')})`);
    if (metrics.length === 0) missing.push(`${q.source}: names no metric`);
    for (const metric of metrics) if (!exposed.has(metric) && !SYNTHETIC_SERIES.has(metric)) missing.push(`${q.source}: ${metric}`);
  }
  return missing;
}

export const METRICS_README = new URL('./README.md', import.meta.url);

/**
 * The gridcase metrics infra/observability/README.md names (`gridcase_…`, with `{a,b}` spelled out),
 * so a test can hold what the services expose against what operators can look up.
 */
export function documentedMetrics(readme = readFileSync(METRICS_README, 'utf8')): Set<string> {
  const names = new Set<string>();
  for (const [token] of readme.matchAll(/gridcase_[a-z_]*(\{[a-z_,]+\}[a-z_]*)?/g)) {
    const brace = /\{([a-z_,]+)\}/.exec(token);
    if (!brace) names.add(token);
    else for (const part of brace[1]!.split(',')) names.add(token.replace(brace[0], part));
  }
  return names;
}

/** Exposed gridcase metrics (a histogram by its own name) that the README does not name. */
export function undocumentedMetrics(exposed: Set<string>, documented = documentedMetrics()): string[] {
  // A histogram's _bucket, _sum and _count series go by the histogram's name.
  const series = (n: string) => /^(.*)_(bucket|sum|count)$/.exec(n)?.[1];
  const own = [...exposed].filter((n) => n.startsWith('gridcase_') && !exposed.has(series(n) ?? ''));
  return own.filter((n) => !documented.has(n)).sort();
}
