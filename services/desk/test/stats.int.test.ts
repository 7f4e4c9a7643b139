import { readFileSync } from 'node:fs';
import { type DataOf, type EventType, makeMessage, newId, TOPICS } from '@gridcase/contracts';
import { ManualClock } from '@gridcase/service-kit';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, eventually, isolatedEnv, readTopic, testProducer } from '../../../infra/test/harness.ts';
import { start } from '../src/main.ts';

// Monday 2026-03-02 08:00 Shanghai.
const T0 = new Date('2026-03-02T00:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000).toISOString();
const PHONE = '13800000000';

describe('desk figures and exports against real Kafka and Postgres', () => {
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;
  let alerts: Awaited<ReturnType<typeof readTopic>>;
  const clock = new ManualClock(T0);
  let deskToken: string;
  let reporterToken: string;
  const ids = { a: newId(), b: newId(), c: newId(), d: newId(), e: newId(), f: newId(), invented: newId() };

  async function emit<T extends EventType>(type: T, data: DataOf<T>) {
    const caseId = (data as { caseId: string }).caseId;
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(makeMessage(type, { source: '/test', subject: caseId, data })));
  }

  const openCase = async (
    caseId: string,
    o: { kind: 'dispute' | 'tip' | 'hazard'; category: string; severity?: 'red' | 'orange' | 'yellow'; grid: string; rule?: string; title?: string },
  ) => {
    await emit('gridcase.case.opened.v1', {
      caseId,
      caseNumber: `CG-2026-${caseId.slice(-6)}`,
      reportId: `r-${caseId}`,
      station: 'CG',
      kind: o.kind,
      category: o.category,
      severity: o.severity ?? 'yellow',
      title: o.title ?? '邻居吵架',
      description: `隔壁夫妻吵了一整夜，联系电话 ${PHONE}`,
      location: { gridCode: o.grid },
      respondBy: at(30),
      resolveBy: at(600),
      rule: o.rule ?? 'test',
      openedAt: at(0),
    });
    await emit('gridcase.case.assigned.v1', {
      caseId,
      level: 0,
      assignees: [{ officerId: 'o-wang', role: 'officer', name: '王彦军' }],
      policeGridCode: 'PG-S1',
      gridCode: o.grid,
      routedBy: 'gridCode',
      at: at(1),
    });
  };
  const resolve = (caseId: string, outcome: DataOf<'gridcase.case.resolved.v1'>['outcome'], minutes: number) =>
    emit('gridcase.case.resolved.v1', { caseId, commandId: newId(), outcome, note: '', by: { clientId: 'o-wang' }, at: at(minutes) });

  const get = (url: string, token = deskToken) => service.app.inject({ method: 'GET', url, headers: bearer(token) });
  const RANGE = `from=${encodeURIComponent(at(-60))}&to=${encodeURIComponent(at(60))}`;

  beforeAll(async () => {
    env = await isolatedEnv({ DESK_PORT: '0', DESK_SLO_EVAL_MS: '100' });
    service = await start(env, clock);
    producer = await testProducer(env);
    alerts = await readTopic(env, TOPICS.alerts);
    deskToken = service.rt.signer.issue({ clientId: 'desk-1', name: '值班员张', roles: ['desk'], stations: ['CG'] });
    reporterToken = service.rt.signer.issue({ clientId: 'sys-12345', name: '12345 hotline', roles: ['reporter'] });

    // G-S1: a settled dispute (a), an unfounded fraud tip (b), a duplicate (c), a fire now (d), an
    // escalated dispute still open (e). G-S2: a settled dispute (f). All in police grid PG-S1.
    await openCase(ids.a, { kind: 'dispute', category: 'dispute.neighbour', grid: 'G-S1' });
    await openCase(ids.b, { kind: 'tip', category: 'tip.fraud', severity: 'orange', grid: 'G-S1', title: '=HYPERLINK("http://x")' });
    await openCase(ids.c, { kind: 'dispute', category: 'dispute.neighbour', grid: 'G-S1' });
    await openCase(ids.d, {
      kind: 'hazard',
      category: 'hazard.fire',
      severity: 'red',
      grid: 'G-S1',
      rule: 'hazard.fire "着火" → hazard.fire; red by red.fire-now "着火"; deadlines: respondBy from policy, resolveBy from policy',
    });
    await openCase(ids.e, { kind: 'dispute', category: 'dispute.family', grid: 'G-S1' });
    await openCase(ids.f, { kind: 'dispute', category: 'dispute.land', grid: 'G-S2' });
    await emit('gridcase.case.acknowledged.v1', { caseId: ids.a, commandId: newId(), by: { clientId: 'o-wang' }, at: at(10) });
    await resolve(ids.a, 'mediated', 40);
    await resolve(ids.b, 'unfounded', 20);
    await resolve(ids.c, 'duplicate', 25);
    await emit('gridcase.case.escalated.v1', { caseId: ids.e, fromLevel: 0, level: 1, reason: 'respond-overdue', deadline: at(30), respondBy: at(60), resolveBy: at(700), at: at(31) });
    await resolve(ids.f, 'resolved', 50);
    // A report naming a grid the station does not have, days earlier: the case of record routed it to
    // the desk leader with no grid. It must not become a grid of the station's figures.
    await emit('gridcase.case.opened.v1', {
      caseId: ids.invented,
      caseNumber: `CG-2026-${ids.invented.slice(-6)}`,
      reportId: `r-${ids.invented}`,
      station: 'CG',
      kind: 'dispute',
      category: 'dispute.neighbour',
      severity: 'yellow',
      description: '测试',
      location: { gridCode: 'NOPE-99', communityCode: 'nowhere' },
      respondBy: at(-2970),
      resolveBy: at(-2400),
      rule: 'test',
      openedAt: at(-3000),
    });
    await emit('gridcase.case.assigned.v1', {
      caseId: ids.invented,
      level: 0,
      assignees: [{ officerId: 'desk-leader-CG', role: 'deskLeader' }],
      routedBy: 'desk',
      reason: 'gridCode NOPE-99 is not a known community or police grid',
      at: at(-2999),
    });
    clock.set(new Date(at(55)));
    await eventually('every case projected', async () => {
      const res = await get(`/v1/cases?policeGrid=PG-S1&limit=50`);
      const items = res.json().items as { status: string; level: number }[];
      return items.length === 6 && items.filter((c) => c.status === 'resolved').length === 4 && items.some((c) => c.level === 1) ? true : undefined;
    });
    await eventually('the case with an invented grid projected', async () => ((await get(`/v1/cases/${ids.invented}`)).json().assignees?.length === 1 ? true : undefined));
  });
  afterAll(async () => {
    await producer?.disconnect();
    await alerts?.close();
    await service?.rt.shutdown('test done');
  });

  it('leaves unfounded and duplicate cases out of the rates, and adds rework, relapse, MTTA/MTTR and the dispute objective', async () => {
    const res = await get(`/v1/stats?${RANGE}`);
    expect(res.statusCode).toBe(200);
    const stats = res.json();
    // Needed: a, d, e, f. Resolved: a, f (b and c counted as resolved before the fix: 4 of 6).
    expect(stats.overall).toMatchObject({
      cases: 6,
      unfounded: 1,
      duplicates: 1,
      needed: 4,
      resolved: 2,
      resolutionRate: 0.5,
      onTime: 2,
      onTimeRate: 1,
      escalated: 1,
      escalationRate: 0.25,
      reworked: 0,
      reworkRate: 0,
      relapses: 0,
      relapseRate: 0,
      medianSecondsToAcknowledge: 600,
      meanSecondsToAcknowledge: 600,
      // a 40 min, f 50 min.
      medianSecondsToResolve: 2700,
      meanSecondsToResolve: 2700,
      // Disputes a and f settled, e escalated (上交): 2 of 3, short of 98 %.
      disputesDecided: 3,
      disputesSettled: 2,
      disputeSettlementRate: 2 / 3,
      disputeObjectiveMet: false,
    });
    expect(stats.policeGrids).toEqual([expect.objectContaining({ policeGridCode: 'PG-S1', cases: 6, resolutionRate: 0.5 })]);
    expect(stats.asOf).toBe(at(55));
    expect(stats.grids).toBeUndefined();
  });

  it('groups by community grid and by Shanghai week; 五没有 per grid; burn-rate alerts now', async () => {
    const stats = (await get(`/v1/stats?${RANGE}&groupBy=grid&period=week`)).json();
    expect(stats.grids.map((g: { gridCode: string; needed: number }) => [g.gridCode, g.needed])).toEqual([
      ['G-S1', 3],
      ['G-S2', 1],
    ]);
    // 07:00–09:00 Shanghai on Monday 2 March: all in week 10 (Sunday 07:00 is week 9, with no case).
    expect(stats.periods.map((p: { period: string; overall: { cases: number } }) => [p.period, p.overall.cases])).toEqual([
      ['2026-W10', 6],
    ]);
    expect(stats.periods[0].grids).toHaveLength(2);
    // The fire (d) costs G-S1 the mark; the fraud tip (b) was unfounded and counts for nothing. NOPE-99
    // is no grid of the station: it earns nothing and is not listed.
    expect(stats.fiveNone).toEqual([
      { gridCode: 'G-S1', policeGridCode: 'PG-S1', earned: false, counts: { criminal: 0, publicOrder: 0, fire: 1, massIncident: 0, drugs: 0 } },
      { gridCode: 'G-S2', policeGridCode: 'PG-S1', earned: true, counts: { criminal: 0, publicOrder: 0, fire: 0, massIncident: 0, drugs: 0 } },
    ]);
    // One bad of three decided disputes in the last day and the last 2 h: 16.7× ≥ 14.4×.
    const fast = stats.sloBurn.find((s: { alert: string }) => s.alert === 'fast');
    expect(fast).toMatchObject({ policeGridCode: 'PG-S1', firing: true, threshold: 14.4, long: { good: 2, bad: 1 }, short: { good: 2, bad: 1 } });
    expect(fast.long.burnRate).toBeCloseTo(1 / 3 / 0.02);
  });

  it("migration 0005 clears a grid projected from the sender's location that no case.assigned named", async () => {
    const gridOf = async (caseId: string) =>
      (await service.rt.pool.query<{ grid_code: string | null }>('select grid_code from desk.cases where case_id = $1', [caseId])).rows[0]?.grid_code;
    // As the projection wrote it before: the sender's code taken as the case's grid.
    await service.rt.pool.query(`update desk.cases set grid_code = 'NOPE-99' where case_id = $1`, [ids.invented]);
    const migration = readFileSync(new URL('../src/db/migrations/0005_case_grid_of_record.sql', import.meta.url), 'utf8');
    await service.rt.pool.query(migration);
    expect(await gridOf(ids.invented)).toBeNull();
    expect(await gridOf(ids.a)).toBe('G-S1');
    expect(await gridOf(ids.f)).toBe('G-S2');
  });

  it('keeps the old answer for an old query, refuses a bad range, and needs a desk role', async () => {
    const stats = (await get(`/v1/stats?${RANGE}`)).json();
    for (const field of ['cases', 'resolved', 'resolutionRate', 'onTimeRate', 'escalationRate', 'medianSecondsToAcknowledge', 'medianSecondsToResolve']) {
      expect(stats.overall).toHaveProperty(field);
      expect(stats.policeGrids[0]).toHaveProperty(field);
    }
    expect((await get(`/v1/stats?from=${encodeURIComponent(at(1))}&to=${encodeURIComponent(at(-1))}`)).json().errors[0].path).toBe('querystring.from');
    const tooMany = await get(`/v1/stats?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&period=week`);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors[0].path).toBe('querystring.period');
    expect((await get(`/v1/stats?groupBy=street`)).statusCode).toBe(400);
    // A bad range is named beside the query's other problems, not after them.
    const backwards = `from=${encodeURIComponent(at(1))}&to=${encodeURIComponent(at(-1))}`;
    const paths = async (url: string) => (await get(url)).json().errors.map((e: { path: string }) => e.path);
    expect(await paths(`/v1/stats?${backwards}&groupBy=street`)).toEqual(['querystring.groupBy', 'querystring.from']);
    expect(await paths(`/v1/stats/export?${backwards}&format=pdf`)).toEqual(['querystring.format', 'querystring.from']);
    expect(await paths(`/v1/cases/export?${backwards}&status=pending`)).toEqual(['querystring.status', 'querystring.from']);
    expect((await get('/v1/stats', reporterToken)).statusCode).toBe(403);
    expect((await get('/v1/stats/export', reporterToken)).statusCode).toBe(403);
    expect((await get('/v1/cases/export', reporterToken)).statusCode).toBe(403);
  });

  it('takes any instant as from or to on the figures and both exports — one whose UTC year leaves 0001–9999 moved to the nearest, not a 500 — and names one given twice', async () => {
    const everything = (await get(`/v1/stats?from=1970-01-01T00:00:00Z&to=9999-12-31T23:59:59Z`)).json();
    expect(everything.overall.cases).toBeGreaterThan(0);
    for (const path of ['/v1/stats', '/v1/stats/export', '/v1/cases/export']) {
      const far = await get(`${path}?from=${encodeURIComponent('0001-01-01T00:00:00+08:00')}&to=${encodeURIComponent('9999-12-31T23:00:00-05:00')}`);
      expect(far.statusCode, path).toBe(200);
      if (path === '/v1/stats') expect(far.json().overall).toEqual(everything.overall);
      // The default from, 30 days before a to in year 1, is no earlier than a query holds: an empty range, named.
      const first = await get(`${path}?to=${encodeURIComponent('0001-01-02T00:00:00Z')}`);
      expect(first.statusCode, path).toBe(200);
      const twice = await get(`${path}?from=${encodeURIComponent(at(0))}&from=${encodeURIComponent(at(1))}`);
      expect(twice.json().errors, path).toEqual([{ path: 'querystring.from', message: 'given more than once; give it once' }]);
    }
    expect((await get(`/v1/stats?from=1999-12-31T16:00:00Z&to=${encodeURIComponent(at(60))}`)).statusCode).toBe(200);
  });

  it('emits the burn-rate alert once as gridcase.desk.slo-burn.v1, and its end when the short window is clean', async () => {
    const isFast = (state: string) => (r: { message?: { type: string; data: unknown } }) =>
      r.message?.type === 'gridcase.desk.slo-burn.v1' && (r.message.data as { alert: string; state: string }).alert === 'fast' && (r.message.data as { state: string }).state === state;
    const [firing] = await alerts.waitFor('fast alert firing', isFast('firing'));
    expect(firing?.key).toBe('PG-S1');
    // It started when the escalation came (1 bad of 1).
    expect(firing?.message?.data).toMatchObject({ policeGridCode: 'PG-S1', sli: 'dispute-settled', objective: 0.98, at: at(31), long: { bad: 1, good: 0 } });
    // Further passes find the same change and emit nothing.
    expect(await service.sloWatch.pass()).toBe(0);
    expect(alerts.records.filter(isFast('firing'))).toHaveLength(1);
    expect(await service.app.inject({ method: 'GET', url: '/metrics' }).then((r) => r.body)).toMatch(
      /gridcase_desk_slo_alert_firing\{police_grid="PG-S1",alert="fast"\} 1/,
    );

    // Two hours after the escalation left the short window it holds only good events: resolved at +151 min.
    clock.set(new Date(at(200)));
    const [resolved] = await alerts.waitFor('fast alert resolved', isFast('resolved'));
    expect(resolved?.message?.data).toMatchObject({ state: 'resolved', at: at(151) });
    clock.set(new Date(at(55)));
  });

  it('exports the figures as CSV with a BOM and a Chinese file name, and as XLSX with a sheet each', async () => {
    const csv = await get(`/v1/stats/export?format=csv&${RANGE}&groupBy=grid`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="gridcase-stats-2026-03-02_2026-03-02.csv"; filename*=UTF-8''${encodeURIComponent('案件统计_2026-03-02_2026-03-02.csv')}`,
    );
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toMatch(/^周期,范围,警格,网格,案件数,不属实,重复,应办理,已办结,办结率,/);
    // The whole range, overall: 6 cases, 1 unfounded, 1 duplicate, 4 needed, 2 resolved, 50.00 %.
    expect(lines[1]).toMatch(/^2026-03-02 至 2026-03-02,全站,,,6,1,1,4,2,50\.00%,2,100\.00%,1,25\.00%,/);
    expect(lines).toContain('网格,警格,五没有,刑事案件,治安案件,火灾,群体性事件,毒品');
    expect(lines).toContain('G-S1,PG-S1,否,0,0,1,0,0');

    const xlsx = await get(`/v1/stats/export?format=xlsx&${RANGE}`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers['content-disposition']).toContain('filename="gridcase-stats-2026-03-02_2026-03-02.xlsx"');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['指标', '五没有', '纠纷目标告警', '说明']);
    const figures = book.getWorksheet('指标')!;
    expect(figures.getRow(2).getCell(5).value).toBe(6);
    expect(figures.getRow(2).getCell(10).value).toBe(0.5);
    expect(figures.getRow(2).getCell(10).numFmt).toBe('0.00%');
  });

  it('exports the case list without description or personal data, formula-looking titles defused in CSV', async () => {
    const csv = await get(`/v1/cases/export?format=csv&${RANGE}&grid=G-S1`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('案件清单_2026-03-02_2026-03-02.csv')}`);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^案件编号,立案时间,状态,类别,类别代码,等级,标题,警格,网格,责任人,/);
    expect(lines).toHaveLength(1 + 5);
    expect(csv.body).not.toContain(PHONE);
    expect(csv.body).not.toContain('隔壁夫妻');
    const fraud = lines.find((l) => l.includes('tip.fraud'));
    // Chinese words for codes, Shanghai time, and a title that would be a formula starts with an apostrophe.
    expect(fraud).toContain(`CG-2026-${ids.b.slice(-6)},2026-03-02 08:00,待核查,电信网络诈骗,tip.fraud,橙,"'=HYPERLINK(""http://x"")"`);
    expect(fraud).toContain('不属实');

    const xlsx = await get(`/v1/cases/export?format=xlsx&${RANGE}&status=open`);
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('案件清单')!;
    // Open: d (the fire) and e (escalated). Oldest first.
    expect(sheet.rowCount).toBe(3);
    const values = JSON.stringify(sheet.getSheetValues());
    expect(values).not.toContain(PHONE);
    expect(values).toContain('消防安全隐患');
    expect(values).toContain('王彦军');

    expect((await get(`/v1/cases/export?format=pdf`)).statusCode).toBe(400);
  });
});
