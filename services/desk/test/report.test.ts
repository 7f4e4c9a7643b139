import type { DeskCaseSummary } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import type { CaseFact } from '../src/domain/figures.ts';
import { casesTable, rangeLabel, shanghaiTime } from '../src/domain/report-tables.ts';
import { statsReport } from '../src/domain/stats-report.ts';
import { contentDisposition, toCsv } from '../src/sheets.ts';

const T0 = new Date('2026-03-02T00:00:00Z');

const fact = (over: Partial<CaseFact>): CaseFact => ({
  caseId: 'c',
  kind: 'dispute',
  category: 'dispute.neighbour',
  severity: 'yellow',
  policeGridCode: 'PG-01',
  gridCode: 'G-01',
  status: 'closed',
  openedAt: T0,
  acknowledgedAt: null,
  resolvedAt: new Date(T0.getTime() + 3_600_000),
  outcome: 'mediated',
  resolveBy: new Date(T0.getTime() + 86_400_000),
  escalations: 0,
  firstEscalatedAt: null,
  reworkCount: 0,
  relapse: false,
  gradedBy: [],
  ...over,
});

describe('the stats answer', () => {
  const base = { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-03-31T16:00:00Z'), asOf: new Date('2026-03-31T16:00:00Z'), recentDisputes: [] };

  it('lists 五没有 for every known grid, a grid without a case of the range earning it', () => {
    const report = statsReport({
      ...base,
      facts: [fact({ gridCode: 'G-01', kind: 'tip', category: 'tip.pyramid', outcome: null, resolvedAt: null })],
      knownGrids: [
        { gridCode: 'G-01', policeGridCode: 'PG-01' },
        { gridCode: 'G-09', policeGridCode: 'PG-02' },
      ],
    });
    expect(report.fiveNone).toEqual([
      { gridCode: 'G-01', policeGridCode: 'PG-01', earned: false, counts: { criminal: 1, publicOrder: 0, fire: 0, massIncident: 0, drugs: 0 } },
      { gridCode: 'G-09', policeGridCode: 'PG-02', earned: true, counts: { criminal: 0, publicOrder: 0, fire: 0, massIncident: 0, drugs: 0 } },
    ]);
  });

  it('splits by Shanghai month, each period with its groups, and counts the dispute objective', () => {
    const march = new Date('2026-02-28T16:30:00Z'); // 1 March 00:30 in Shanghai
    const report = statsReport({
      ...base,
      period: 'month',
      groupBy: 'grid',
      facts: [fact({ caseId: 'feb', openedAt: new Date('2026-02-10T00:00:00Z') }), fact({ caseId: 'mar', openedAt: march, outcome: 'referred' })],
      knownGrids: [],
    });
    expect(report.periods?.map((p) => [p.period, p.overall.cases, p.grids?.length, p.policeGrids])).toEqual([
      ['2026-02', 1, 1, undefined],
      ['2026-03', 1, 1, undefined],
    ]);
    // One dispute settled (mediated), one referred: 50 %, short of 98 %.
    expect(report.overall).toMatchObject({ disputesDecided: 2, disputesSettled: 1, disputeSettlementRate: 0.5, disputeObjectiveMet: false });
    expect(report.periods?.[0]?.overall.disputeObjectiveMet).toBe(true);
    expect(report.grids).toEqual([expect.objectContaining({ gridCode: 'G-01', policeGridCode: 'PG-01', cases: 2 })]);
  });
});

describe('report tables and sheets', () => {
  it('writes times in Shanghai and ranges by the days they cover', () => {
    expect(shanghaiTime('2026-03-01T16:05:00Z')).toBe('2026-03-02 00:05');
    expect(shanghaiTime(null)).toBeNull();
    expect(rangeLabel(new Date('2026-02-28T16:00:00Z'), new Date('2026-03-31T16:00:00Z'))).toBe('2026-03-01 至 2026-03-31');
  });

  it('writes CSV with a BOM and CRLF, quotes what needs it and defuses formulas', () => {
    const csv = toCsv([
      {
        name: 't',
        columns: [
          { header: '标题', kind: 'text', width: 10 },
          { header: '办结率', kind: 'rate', width: 10 },
          { header: '用时', kind: 'decimal', width: 10 },
        ],
        rows: [
          ['=1+1', 0.98765, 1.005],
          ['a,"b"', null, 2],
          ['-3', 1, null],
        ],
      },
    ]);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8').slice(1)).toBe(`标题,办结率,用时\r\n'=1+1,98.77%,1\r\n"a,""b""",,2\r\n'-3,100.00%,\r\n`);
  });

  it('puts no description and no reporter into the case list: the summary has none to give', () => {
    const summary = {
      caseId: 'c1',
      caseNumber: 'CG-1',
      status: 'follow-up',
      level: 0,
      category: 'service.lost-property',
      severity: 'service',
      kind: 'service',
      title: '滑板车丢了',
      assignees: [{ officerId: 'w-1', role: 'gridWorker', name: '小李' }],
      policeGridCode: 'PG-01',
      gridCode: 'G-01',
      respondBy: null,
      resolveBy: '2026-03-06T10:00:00Z',
      openedAt: '2026-03-02T00:00:00Z',
      acknowledgedAt: null,
      resolvedAt: null,
      outcome: 'resolved',
      escalations: 0,
      overdue: false,
      lastEventAt: '2026-03-02T00:00:00Z',
      reworkCount: 0,
      relapse: false,
      relatedCaseIds: [],
      verifyBy: null,
      followUpBy: null,
      hold: null,
      extension: { until: '2026-03-09T10:00:00Z', reason: '等待', status: 'approved' },
      warnings: 0,
    } satisfies DeskCaseSummary;
    const table = casesTable([summary]);
    expect(table.rows[0]).toEqual([
      'CG-1', '2026-03-02 08:00', '待回访', '失物求助', 'service.lost-property', '服务', '滑板车丢了', 'PG-01', 'G-01', '小李', 0,
      null, null, '2026-03-06 18:00', null, '已解决', 0, 0, '否', '否', '否', '已批准', 'c1',
    ]);
    expect(table.columns).toHaveLength(table.rows[0]?.length ?? 0);
  });

  it('names the file in ASCII and in Chinese (RFC 8187)', () => {
    expect(contentDisposition('gridcase-cases-2026-03-01_2026-03-31.csv', '案件清单_2026-03-01_2026-03-31.csv')).toBe(
      `attachment; filename="gridcase-cases-2026-03-01_2026-03-31.csv"; filename*=UTF-8''%E6%A1%88%E4%BB%B6%E6%B8%85%E5%8D%95_2026-03-01_2026-03-31.csv`,
    );
  });
});
