import type { Lang } from './i18n.ts';
import { formatSeconds, formatTime } from './time.ts';

/**
 * GET /v1/stats as it answers today and whatever it gains: known figures get their names, any
 * other field is shown under its own key, so a new figure appears without a change here.
 */
const LABELS: Record<string, [string, string]> = {
  cases: ['立案数', 'Cases'],
  resolved: ['办结数', 'Resolved'],
  resolutionRate: ['办结率', 'Resolution rate'],
  onTimeRate: ['按期办结率', 'On-time rate'],
  escalationRate: ['上交率', 'Escalation rate'],
  reworkRate: ['返工率', 'Rework rate'],
  relapseRate: ['回潮率', 'Relapse rate'],
  medianSecondsToAcknowledge: ['签收用时（中位数）', 'Median time to acknowledge'],
  medianSecondsToResolve: ['办结用时（中位数）', 'Median time to resolve'],
  meanSecondsToAcknowledge: ['平均签收用时 MTTA', 'Mean time to acknowledge (MTTA)'],
  meanSecondsToResolve: ['平均办结用时 MTTR', 'Mean time to resolve (MTTR)'],
  mttaSeconds: ['平均签收用时 MTTA', 'MTTA'],
  mttrSeconds: ['平均办结用时 MTTR', 'MTTR'],
  policeGridCode: ['警格', 'Police grid'],
  gridCode: ['网格', 'Grid'],
  policeGrids: ['按警格', 'By police grid'],
  grids: ['按网格', 'By community grid'],
  weeks: ['按周', 'By week'],
  months: ['按月', 'By month'],
  week: ['周', 'Week'],
  month: ['月', 'Month'],
  objective: ['目标', 'Objective'],
  objectives: ['化解目标（98%）', 'Objective (98 %)'],
  burnRate: ['消耗速率', 'Burn rate'],
  alert: ['告警', 'Alert'],
  alerts: ['告警', 'Alerts'],
  fiveNo: ['五没有', 'Five-nos'],
  safe: ['达标', 'Earned'],
  from: ['自', 'From'],
  needed: ['需办结数', 'Needing resolution'],
  reworked: ['返工数', 'Reworked'],
  relapses: ['回潮数', 'Relapses'],
  disputesDecided: ['纠纷已定数', 'Disputes decided'],
  disputesSettled: ['纠纷化解数', 'Disputes settled'],
  disputeSettlementRate: ['纠纷化解率', 'Dispute settlement rate'],
  disputeObjectiveMet: ['98% 目标', '98 % objective'],
  asOf: ['计算时间', 'As of'],
  fiveNone: ['五没有', 'Five nones'],
  earned: ['达标', 'Earned'],
  counts: ['案件数', 'Counts'],
  period: ['期间', 'Period'],
  periods: ['分期', 'Periods'],
  sloBurn: ['目标消耗告警', 'Objective burn alerts'],
  to: ['至', 'To'],
  overall: ['全所', 'Station'],
  disputes: ['矛盾纠纷', 'Disputes'],
  unfounded: ['不属实', 'Unfounded'],
  duplicates: ['重复', 'Duplicates'],
  escalated: ['上交数', 'Escalated'],
  onTime: ['按时数', 'On time'],
};

export const figureLabel = (lang: Lang, key: string) => LABELS[key]?.[lang === 'zh' ? 0 : 1] ?? key;

const ISO = /^\d{4}-\d{2}-\d{2}T/;

/** A figure's value by what its name says: rates as %, seconds as a span, instants in station time. */
export function formatFigure(lang: Lang, key: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return lang === 'zh' ? (value ? '是' : '否') : value ? 'yes' : 'no';
  if (typeof value === 'number') {
    if (/rate$|ratio$|share$/i.test(key)) return `${(value * 100).toFixed(1)}%`;
    if (/seconds/i.test(key)) return formatSeconds(lang, value);
    return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }
  if (typeof value === 'string') return ISO.test(value) ? formatTime(value) : value;
  if (Array.isArray(value)) return value.map((v) => formatFigure(lang, key, v)).join(', ');
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${figureLabel(lang, k)} ${formatFigure(lang, k, v)}`)
    .join(' · ');
}


/** The range, grouping and periods of the figures page. */
export interface StatsRange {
  span: '30d' | 'thisMonth' | 'lastMonth' | 'thisYear';
  groupBy: 'policeGrid' | 'grid';
  period: '' | 'week' | 'month';
}

/** Midnight Beijing time of a `YYYY-MM-DD` day, as an instant. */
const beijingMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();

/**
 * The query of GET /v1/stats for a range: months and years start at midnight Beijing time (the
 * station's calendar, whatever the browser's zone); "last 30 days" leaves from/to to the server.
 */
export function statsQuery(r: StatsRange, now: number): URLSearchParams {
  const q = new URLSearchParams();
  const [year = '1970', month = '01'] = formatTime(new Date(now).toISOString()).split(/[- ]/);
  const y = Number(year);
  const m = Number(month);
  const day = (yy: number, mm: number) => `${yy}-${String(mm).padStart(2, '0')}-01`;
  if (r.span === 'thisMonth') q.set('from', beijingMidnight(day(y, m)));
  if (r.span === 'lastMonth') {
    q.set('from', beijingMidnight(m === 1 ? day(y - 1, 12) : day(y, m - 1)));
    q.set('to', beijingMidnight(day(y, m)));
  }
  if (r.span === 'thisYear') q.set('from', beijingMidnight(day(y, 1)));
  if (r.groupBy === 'grid') q.set('groupBy', 'grid');
  if (r.period) q.set('period', r.period);
  return q;
}
