import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.ts';
import { gridName, policeGridName, useDesk } from '../context.ts';
import { t } from '../i18n.ts';
import { figureLabel as label, formatFigure, type StatsRange, statsQuery } from '../figures.ts';
import { useLoad } from '../load.ts';
import { outageText } from '../refusals.ts';
import { formatTime } from '../time.ts';
import { Loading, Problem } from './states.tsx';

type Row = Record<string, unknown>;
const isRows = (v: unknown): v is Row[] => Array.isArray(v) && v.length > 0 && v.every((x) => x && typeof x === 'object' && !Array.isArray(x));

/** The figures a table shows first, in this order; any other field follows under its own name. */
const FIRST = [
  'policeGridCode',
  'gridCode',
  'period',
  'cases',
  'needed',
  'resolved',
  'resolutionRate',
  'onTimeRate',
  'escalationRate',
  'reworkRate',
  'relapseRate',
  'meanSecondsToAcknowledge',
  'meanSecondsToResolve',
  'disputesDecided',
  'disputesSettled',
  'disputeSettlementRate',
  'disputeObjectiveMet',
];
const columnsOf = (rows: Row[]) => {
  const present = new Set(rows.flatMap((r) => Object.keys(r).filter((k) => !isRows(r[k]) && !(r[k] && typeof r[k] === 'object' && !Array.isArray(r[k])))));
  return [...FIRST.filter((k) => present.has(k)), ...[...present].filter((k) => !FIRST.includes(k))];
};

function Cell({ k, v }: { k: string; v: unknown }) {
  const desk = useDesk();
  const { lang } = desk;
  if (k === 'policeGridCode' && typeof v === 'string') return <td class="place">{`${v} ${policeGridName(desk, v) === v ? '' : policeGridName(desk, v)}`}</td>;
  if (k === 'gridCode' && typeof v === 'string') return <td class="place">{gridName(desk, v)}</td>;
  if (k === 'disputeObjectiveMet' && typeof v === 'boolean') return <td class={v ? 'met' : 'missed'}>{v ? (lang === 'zh' ? '✓ 达标' : '✓ met') : lang === 'zh' ? '✗ 未达标' : '✗ missed'}</td>;
  return <td class={typeof v === 'number' ? 'num' : ''}>{formatFigure(lang, k, v)}</td>;
}

function Table({ rows, caption, testid }: { rows: Row[]; caption: string; testid?: string }) {
  const { lang } = useDesk();
  const keys = columnsOf(rows);
  return (
    <div class="table-scroll">
      <table class="figures" data-testid={testid}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {keys.map((k) => (
              <th key={k}>{label(lang, k)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={String(r.policeGridCode ?? r.gridCode ?? r.period ?? i)}>
              {keys.map((k) => (
                <Cell key={k} k={k} v={r[k]} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The dispute objective's burn-rate alerts that fire now: the first thing a station leader should see. */
function Alerts({ burn }: { burn: Row[] }) {
  const desk = useDesk();
  const { lang } = desk;
  const firing = burn.filter((b) => b.firing === true);
  if (!firing.length) return <p class="ok-line">{lang === 'zh' ? '矛盾纠纷化解目标（98%）：无告警' : 'Dispute objective (98 %): no alert'}</p>;
  return (
    <ul class="alerts" data-testid="slo-alerts">
      {firing.map((b) => {
        const where = typeof b.policeGridCode === 'string' ? `${b.policeGridCode} ${policeGridName(desk, b.policeGridCode)}` : lang === 'zh' ? '全所' : 'station';
        const long = b.long as { burnRate?: number | null; windowSeconds?: number } | undefined;
        const speed = b.alert === 'fast' ? (lang === 'zh' ? '快速消耗' : 'fast burn') : lang === 'zh' ? '持续消耗' : 'slow burn';
        return (
          <li key={`${where}-${String(b.alert)}`} role="alert">
            ⚠ {where}：{lang === 'zh' ? '矛盾纠纷化解目标（98%）' : 'dispute objective (98 %)'} · {speed}
            {long?.burnRate != null ? ` · ${lang === 'zh' ? '消耗速率' : 'burn rate'} ${long.burnRate.toFixed(1)}×` : ''}
          </li>
        );
      })}
    </ul>
  );
}

const FIVE: [string, [string, string]][] = [
  ['criminal', ['刑事案件', 'criminal']],
  ['publicOrder', ['治安案件', 'public order']],
  ['fire', ['火灾', 'fire']],
  ['massIncident', ['群体性事件', 'mass incident']],
  ['drugs', ['毒品', 'drugs']],
];

/** 五没有 per community grid: earned, or which of the five kinds of trouble it had. */
function FiveNone({ rows }: { rows: Row[] }) {
  const desk = useDesk();
  const { lang } = desk;
  const earned = rows.filter((r) => r.earned === true).length;
  return (
    <div class="table-scroll">
      <table class="figures" data-testid="five-none">
        <caption>
          {lang === 'zh' ? `“五没有”网格：${earned} / ${rows.length} 达标` : `"Five nones" grids: ${earned} of ${rows.length} earned`}
        </caption>
        <thead>
          <tr>
            <th>{label(lang, 'gridCode')}</th>
            <th>{label(lang, 'policeGridCode')}</th>
            <th>{lang === 'zh' ? '五没有' : 'Five nones'}</th>
            {FIVE.map(([k, names]) => (
              <th key={k}>{names[lang === 'zh' ? 0 : 1]}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const counts = (r.counts ?? {}) as Record<string, number>;
            return (
              <tr key={String(r.gridCode)}>
                <td>{gridName(desk, String(r.gridCode))}</td>
                <td>{typeof r.policeGridCode === 'string' ? r.policeGridCode : '—'}</td>
                <td class={r.earned ? 'met' : 'missed'}>{r.earned ? (lang === 'zh' ? '✓ 达标' : '✓ earned') : lang === 'zh' ? '✗ 未达标' : '✗ not earned'}</td>
                {FIVE.map(([k]) => (
                  <td key={k} class={counts[k] ? 'num missed' : 'num'}>
                    {counts[k] ?? 0}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Downloads an export (the token goes in the header, so a plain link cannot do it). */
async function download(token: string, path: string, fallbackName: string) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { detail?: string } | null;
    throw new ApiError(res.status, body?.detail ?? `${res.status}`);
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const a = document.createElement('a');
  a.href = URL.createObjectURL(await res.blob());
  a.download = name ? decodeURIComponent(name) : fallbackName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/**
 * The figures of GET /v1/stats for a range, by police grid or community grid, by week or month,
 * with the dispute objective's alerts, 五没有 per grid, and the exports for the monthly report.
 */
export function StatsView({ version }: { version: number }) {
  const desk = useDesk();
  const { tr, lang, token, now, say } = desk;
  const [range, setRange] = useState<StatsRange>({ span: '30d', groupBy: 'policeGrid', period: '' });
  const query = statsQuery(range, now);
  const stats = useLoad((signal) => api<Row>(token, `/v1/stats?${query}`, { signal }).then((r) => r.body), [token, query.toString()], [version]);
  const zh = lang === 'zh';
  const choose = <K extends keyof StatsRange>(key: K) => (e: Event) => setRange({ ...range, [key]: (e.currentTarget as HTMLSelectElement).value as StatsRange[K] });
  const exportAs = (what: 'stats' | 'cases', format: 'csv' | 'xlsx') => {
    const q = new URLSearchParams(query);
    if (what === 'cases') {
      q.delete('groupBy');
      q.delete('period');
    }
    q.set('format', format);
    download(token, `/v1/${what}/export?${q}`, `${what}.${format}`).catch((err: Error) => say((l) => (err instanceof ApiError ? outageText(l, err.status, false) : undefined) ?? t(l, 'error.generic', { e: err.message }), 'error'));
  };

  const data = stats.data;
  const overall = data?.overall && typeof data.overall === 'object' ? Object.entries(data.overall as Row) : [];
  const known = new Set(['from', 'to', 'asOf', 'overall', 'policeGrids', 'grids', 'periods', 'fiveNone', 'sloBurn']);
  return (
    <section class="stats" aria-labelledby="stats-title" data-testid="stats">
      <h2 id="stats-title">{zh ? '统计' : 'Figures'}</h2>
      <div class="filters">
        <label>
          {zh ? '时间范围（立案）' : 'Cases opened'}
          <select value={range.span} onChange={choose('span')} data-testid="stats-span">
            <option value="30d">{zh ? '近 30 天' : 'last 30 days'}</option>
            <option value="thisMonth">{zh ? '本月' : 'this month'}</option>
            <option value="lastMonth">{zh ? '上月' : 'last month'}</option>
            <option value="thisYear">{zh ? '今年' : 'this year'}</option>
          </select>
        </label>
        <label>
          {zh ? '分组' : 'By'}
          <select value={range.groupBy} onChange={choose('groupBy')}>
            <option value="policeGrid">{zh ? '按警格' : 'police grid'}</option>
            <option value="grid">{zh ? '按网格' : 'community grid'}</option>
          </select>
        </label>
        <label>
          {zh ? '分期' : 'Periods'}
          <select value={range.period} onChange={choose('period')}>
            <option value="">{zh ? '不分期' : 'none'}</option>
            <option value="week">{zh ? '按周' : 'weekly'}</option>
            <option value="month">{zh ? '按月' : 'monthly'}</option>
          </select>
        </label>
        <span class="exports">
          {zh ? '导出' : 'Export'}:
          <button type="button" class="secondary" onClick={() => exportAs('stats', 'xlsx')}>
            {zh ? '统计 Excel' : 'figures XLSX'}
          </button>
          <button type="button" class="secondary" onClick={() => exportAs('stats', 'csv')}>
            {zh ? '统计 CSV' : 'figures CSV'}
          </button>
          <button type="button" class="secondary" onClick={() => exportAs('cases', 'xlsx')}>
            {zh ? '案件清单 Excel' : 'cases XLSX'}
          </button>
          <button type="button" class="secondary" onClick={() => exportAs('cases', 'csv')}>
            {zh ? '案件清单 CSV' : 'cases CSV'}
          </button>
        </span>
      </div>
      {stats.loading ? <Loading text={tr('stats.loading')} /> : null}
      {stats.error ? <Problem error={stats.error} onRetry={stats.retry} /> : null}
      {data ? (
        <>
          {typeof data.from === 'string' && typeof data.to === 'string' ? (
            <p class="muted">
              {tr('stats.from', { from: formatTime(data.from), to: formatTime(data.to) })}
              {typeof data.asOf === 'string' ? ` · ${zh ? '计算于' : 'as of'} ${formatTime(data.asOf)}` : ''}
            </p>
          ) : null}
          {Array.isArray(data.sloBurn) ? <Alerts burn={data.sloBurn as Row[]} /> : null}
          <h3>{tr('stats.overall')}</h3>
          <div class="cards">
            {overall.map(([k, v]) => (
              <div key={k} class={`card${k === 'disputeObjectiveMet' ? (v === true ? ' met' : v === false ? ' missed' : '') : ''}`}>
                <div class="card-label">{label(lang, k)}</div>
                <div class="card-value">{formatFigure(lang, k, v)}</div>
              </div>
            ))}
          </div>
          {isRows(data.policeGrids) ? <Table rows={data.policeGrids} caption={tr('stats.byPoliceGrid')} testid="stats-police-grids" /> : null}
          {isRows(data.grids) ? <Table rows={data.grids} caption={tr('stats.byGrid')} /> : null}
          {isRows(data.periods) ? (
            <Table
              rows={data.periods.map((p) => ({ period: p.period, ...((p.overall as Row) ?? {}) }))}
              caption={range.period === 'week' ? (zh ? '按周（全所）' : 'Weekly (station)') : zh ? '按月（全所）' : 'Monthly (station)'}
            />
          ) : null}
          {isRows(data.fiveNone) ? <FiveNone rows={data.fiveNone} /> : null}
          {Object.entries(data)
            .filter(([k]) => !known.has(k))
            .map(([k, v]) => (isRows(v) ? <Table key={k} rows={v} caption={label(lang, k)} /> : null))}
        </>
      ) : null}
    </section>
  );
}
