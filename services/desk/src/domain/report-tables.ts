import type { DeskCaseSummary, DeskStats } from '@gridcase/contracts';
import { findCategory } from '@gridcase/contracts';

/**
 * The monthly report's tables, as plain data: the figures of GET /v1/stats and the case list, with
 * Chinese headers and words for codes. CSV and XLSX writers (src/sheets.ts) only lay them out.
 */

/** How a writer shows a cell: text as is; counts and decimals as numbers; rates as percentages. */
export type CellKind = 'text' | 'int' | 'decimal' | 'rate';
export type Cell = string | number | null;

export interface Column {
  header: string;
  kind: CellKind;
  /** Character width in a sheet. */
  width: number;
}

export interface Table {
  /** The sheet's name (XLSX) or the section it stands for (CSV). */
  name: string;
  columns: Column[];
  rows: Cell[][];
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** `2026-03-01 16:05`, Asia/Shanghai: what the station reads. */
export function shanghaiTime(iso: string | null): string | null {
  if (!iso) return null;
  const local = new Date(new Date(iso).getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/** The Shanghai calendar day of an instant (`2026-03-01`). */
export const shanghaiDay = (at: Date): string => new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

/** [from, to) as the days it covers, `2026-03-01 至 2026-03-31` (the last day is the one before `to`). */
export const rangeLabel = (from: Date, to: Date): string => `${shanghaiDay(from)} 至 ${shanghaiDay(new Date(to.getTime() - 1))}`;

const STATUS: Record<string, string> = {
  open: '待签收',
  acknowledged: '已签收',
  resolved: '待核查',
  'follow-up': '待回访',
  closed: '已结案',
  'on-hold': '挂账',
};
const SEVERITY: Record<string, string> = { red: '红', orange: '橙', yellow: '黄', service: '服务', statutory: '法定' };
const OUTCOME: Record<string, string> = { mediated: '调解成功', resolved: '已解决', referred: '已移交', unfounded: '不属实', duplicate: '重复报告' };
/** A code the table does not know is shown as it is, never dropped. */
const word = (words: Record<string, string>, code: string | null) => (code === null ? null : (words[code] ?? code));
const yesNo = (v: boolean | null | undefined) => (v === null || v === undefined ? null : v ? '是' : '否');

const col = (header: string, kind: CellKind, width = kind === 'text' ? 14 : 10): Column => ({ header, kind, width });

type Figures = DeskStats['overall'];
const minutes = (s: number | null | undefined) => (s === null || s === undefined ? null : s / 60);
const hours = (s: number | null | undefined) => (s === null || s === undefined ? null : s / 3600);

const FIGURE_COLUMNS: [Column, (f: Figures) => Cell][] = [
  [col('案件数', 'int'), (f) => f.cases],
  [col('不属实', 'int'), (f) => f.unfounded ?? null],
  [col('重复', 'int'), (f) => f.duplicates ?? null],
  [col('应办理', 'int'), (f) => f.needed ?? null],
  [col('已办结', 'int'), (f) => f.resolved],
  [col('办结率', 'rate'), (f) => f.resolutionRate],
  [col('按期办结', 'int'), (f) => f.onTime ?? null],
  [col('按期办结率', 'rate'), (f) => f.onTimeRate],
  [col('上交', 'int'), (f) => f.escalated ?? null],
  [col('上交率', 'rate'), (f) => f.escalationRate],
  [col('返工', 'int'), (f) => f.reworked ?? null],
  [col('返工率', 'rate'), (f) => f.reworkRate ?? null],
  [col('回潮', 'int'), (f) => f.relapses ?? null],
  [col('回潮率', 'rate'), (f) => f.relapseRate ?? null],
  [col('平均签收用时(分钟)', 'decimal', 12), (f) => minutes(f.meanSecondsToAcknowledge)],
  [col('签收用时中位数(分钟)', 'decimal', 12), (f) => minutes(f.medianSecondsToAcknowledge)],
  [col('平均办结用时(小时)', 'decimal', 12), (f) => hours(f.meanSecondsToResolve)],
  [col('办结用时中位数(小时)', 'decimal', 12), (f) => hours(f.medianSecondsToResolve)],
  [col('纠纷已定', 'int'), (f) => f.disputesDecided ?? null],
  [col('纠纷化解', 'int'), (f) => f.disputesSettled ?? null],
  [col('纠纷化解率', 'rate'), (f) => f.disputeSettlementRate ?? null],
  [col('达到98%目标', 'text', 10), (f) => yesNo(f.disputeObjectiveMet)],
];

const NOT_ROUTED = '（未分派）';

/** The figures: the whole range, then each period; each overall, per police grid, per grid. */
export function figuresTable(stats: DeskStats): Table {
  const rows: Cell[][] = [];
  const add = (period: string, scope: string, policeGrid: string | null, grid: string | null, f: Figures) =>
    rows.push([period, scope, policeGrid, grid, ...FIGURE_COLUMNS.map(([, value]) => value(f))]);
  const addAll = (
    period: string,
    block: { overall: Figures; policeGrids?: (Figures & { policeGridCode: string | null })[]; grids?: (Figures & { gridCode: string | null; policeGridCode: string | null })[] },
  ) => {
    add(period, '全站', null, null, block.overall);
    for (const g of block.policeGrids ?? []) add(period, '警格', g.policeGridCode ?? NOT_ROUTED, null, g);
    for (const g of block.grids ?? []) add(period, '网格', g.policeGridCode, g.gridCode ?? NOT_ROUTED, g);
  };
  addAll(rangeLabel(new Date(stats.from), new Date(stats.to)), stats);
  for (const p of stats.periods ?? []) addAll(p.period, p);
  return {
    name: '指标',
    columns: [col('周期', 'text', 24), col('范围', 'text', 6), col('警格', 'text'), col('网格', 'text'), ...FIGURE_COLUMNS.map(([c]) => c)],
    rows,
  };
}

export function fiveNoneTable(stats: DeskStats): Table {
  return {
    name: '五没有',
    columns: [
      col('网格', 'text'),
      col('警格', 'text'),
      col('五没有', 'text', 8),
      col('刑事案件', 'int'),
      col('治安案件', 'int'),
      col('火灾', 'int'),
      col('群体性事件', 'int'),
      col('毒品', 'int'),
    ],
    rows: (stats.fiveNone ?? []).map((g) => [
      g.gridCode,
      g.policeGridCode,
      yesNo(g.earned),
      g.counts.criminal,
      g.counts.publicOrder,
      g.counts.fire,
      g.counts.massIncident,
      g.counts.drugs,
    ]),
  };
}

export function sloBurnTable(stats: DeskStats): Table {
  return {
    name: '纠纷目标告警',
    columns: [
      col('警格', 'text'),
      col('告警', 'text', 8),
      col('状态', 'text', 8),
      col('阈值(倍)', 'decimal'),
      col('长窗口(小时)', 'decimal'),
      col('长窗口化解', 'int'),
      col('长窗口未化解', 'int'),
      col('长窗口消耗速度(倍)', 'decimal', 12),
      col('短窗口(小时)', 'decimal'),
      col('短窗口化解', 'int'),
      col('短窗口未化解', 'int'),
      col('短窗口消耗速度(倍)', 'decimal', 12),
    ],
    rows: (stats.sloBurn ?? []).map((s) => [
      s.policeGridCode ?? NOT_ROUTED,
      s.alert === 'fast' ? '快速消耗' : '持续消耗',
      s.firing ? '告警中' : '正常',
      s.threshold,
      s.long.windowSeconds / 3600,
      s.long.good,
      s.long.bad,
      s.long.burnRate,
      s.short.windowSeconds / 3600,
      s.short.good,
      s.short.bad,
      s.short.burnRate,
    ]),
  };
}

/** What the figures mean, on the report itself: the reader of a printed sheet has no README. */
export function notesTable(stats: DeskStats): Table {
  const lines: [string, string][] = [
    ['统计区间', `${rangeLabel(new Date(stats.from), new Date(stats.to))}（北京时间，按立案时间）`],
    ['生成时间', shanghaiTime(stats.asOf ?? stats.to) ?? ''],
    ['口径', '每件案件按生成时间的状态计算；结果为"不属实"或"重复报告"的案件不需办理，计入案件数，不计入各项比率'],
    ['办结率', '已办结（调解成功、已解决、已移交，且未被返工撤回）÷ 应办理'],
    ['按期办结率', '在办结时限内办结且从未上交的 ÷ 已办结'],
    ['上交率', '至少上交（超时升级）一次的 ÷ 应办理'],
    ['返工率', '核查不通过、回访不满意或重新办理过的 ÷ 办结过的'],
    ['回潮率', '同一地点 90 天内再次发生的 ÷ 应办理'],
    ['签收/办结用时', '自立案起，签收用时计所有已签收案件，办结用时计已办结案件（含挂账时间）'],
    ['纠纷化解率', '已有结果的纠纷中，调解成功或已解决且从未上交的比例；目标 98%（矛盾不上交）'],
    ['五没有', '网格在区间内没有刑事、治安、火灾、群体性事件、毒品五类案件；不属实、重复报告的不计'],
    ['个人信息', '本表不含报告人姓名、电话、证件号码和情况描述'],
  ];
  return { name: '说明', columns: [col('项目', 'text', 14), col('说明', 'text', 90)], rows: lines };
}

export const statsTables = (stats: DeskStats): Table[] => [figuresTable(stats), fiveNoneTable(stats), sloBurnTable(stats), notesTable(stats)];

const categoryName = (code: string | null) => (code === null ? null : (findCategory(code)?.name.zh ?? code));

/** The case list for the report: the list's own fields (no description, no reporter), in words. */
export function casesTable(cases: readonly DeskCaseSummary[]): Table {
  return {
    name: '案件清单',
    columns: [
      col('案件编号', 'text', 18),
      col('立案时间', 'text', 17),
      col('状态', 'text', 8),
      col('类别', 'text'),
      col('类别代码', 'text', 20),
      col('等级', 'text', 6),
      col('标题', 'text', 24),
      col('警格', 'text'),
      col('网格', 'text'),
      col('责任人', 'text', 20),
      col('层级', 'int', 6),
      col('签收时限', 'text', 17),
      col('签收时间', 'text', 17),
      col('办结时限', 'text', 17),
      col('办结时间', 'text', 17),
      col('办结结果', 'text'),
      col('上交次数', 'int'),
      col('返工次数', 'int'),
      col('回潮', 'text', 6),
      col('超时', 'text', 6),
      col('挂账', 'text', 6),
      col('延期', 'text', 8),
      col('案件ID', 'text', 28),
    ],
    rows: cases.map((c) => [
      c.caseNumber,
      shanghaiTime(c.openedAt),
      word(STATUS, c.status),
      categoryName(c.category),
      c.category,
      word(SEVERITY, c.severity),
      c.title,
      c.policeGridCode,
      c.gridCode,
      c.assignees.map((a) => a.name ?? a.officerId).join('、'),
      c.level,
      shanghaiTime(c.respondBy),
      shanghaiTime(c.acknowledgedAt),
      shanghaiTime(c.resolveBy),
      shanghaiTime(c.resolvedAt),
      word(OUTCOME, c.outcome),
      c.escalations,
      c.reworkCount,
      yesNo(c.relapse),
      yesNo(c.overdue),
      yesNo(c.hold !== null),
      c.extension ? ({ pending: '待审批', approved: '已批准', rejected: '已驳回' } as const)[c.extension.status] : null,
      c.caseId,
    ]),
  };
}
