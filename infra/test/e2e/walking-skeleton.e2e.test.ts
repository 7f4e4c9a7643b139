import { DLQ_HEADERS, TOPICS } from '@gridcase/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATION_CODE } from '../env.ts';
import { eventually, isolatedEnv, readTopic, testProducer } from '../harness.ts';
import { Stack } from '../stack.ts';

interface Officer {
  officerId: string;
  role: string;
  policeGridCode?: string;
  gridCode?: string;
}
interface Grid {
  code: string;
  policeGridCode: string;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: any };
}

/** A point well inside a grid: the mean of its outer ring (grids are convex in the demo data). */
function insidePoint(grid: Grid): { lat: number; lng: number } {
  const ring: [number, number][] =
    grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0] : grid.geometry.coordinates[0][0];
  const pts = ring.slice(0, -1);
  return {
    lng: pts.reduce((s, p) => s + p[0], 0) / pts.length,
    lat: pts.reduce((s, p) => s + p[1], 0) / pts.length,
  };
}

describe('a report walks through all five services', () => {
  let stack: Stack;
  let reporterToken: string;
  let deskToken: string;
  let grids: Grid[];
  let officers: Officer[];
  let cases: Awaited<ReturnType<typeof readTopic>>;
  let seq = 0;

  const report = (extra: Record<string, unknown> = {}) => ({
    externalId: `ext-${Date.now()}-${seq++}`,
    description: `宝河苑社区 ${seq} 号楼邻居夫妻吵架一整夜`,
    location: { gridCode: grids[0]!.code },
    ...extra,
  });

  const post = (body: unknown, token = reporterToken) => stack.call('intake', 'POST', '/v1/reports', { token, body });

  /** Waits until intake shows the report assigned and returns its view. */
  const assigned = (reportId: string) =>
    eventually(`report ${reportId} assigned`, async () => {
      const res = await stack.call('intake', 'GET', `/v1/reports/${reportId}`, { token: reporterToken });
      return res.body?.status === 'assigned' ? res.body : undefined;
    });

  const deskCase = (caseId: string) => stack.call('desk', 'GET', `/v1/cases/${caseId}`, { token: deskToken });

  const pairFor = (grid: Grid) => ({
    officer: officers.find((o) => o.role === 'officer' && o.policeGridCode === grid.policeGridCode)!,
    worker: officers.find((o) => o.role === 'gridWorker' && o.gridCode === grid.code)!,
  });

  beforeAll(async () => {
    stack = await Stack.start(isolatedEnv);
    const reporter = await stack.call('intake', 'POST', '/v1/clients', { body: { name: '12345 hotline', roles: ['reporter'] } });
    expect(reporter.status).toBe(201);
    reporterToken = reporter.body.token;
    const desk = await stack.call('intake', 'POST', '/v1/clients', { body: { name: 'duty desk', roles: ['desk'], stations: [STATION_CODE] } });
    deskToken = desk.body.token;
    grids = (await stack.call('assignment', 'GET', '/v1/grids', { token: deskToken })).body.items;
    officers = (await stack.call('assignment', 'GET', '/v1/officers', { token: deskToken })).body.items;
    cases = await readTopic(stack.env, TOPICS.cases);
  });

  afterAll(async () => {
    await cases?.close();
    await stack?.stop();
  });

  it('loads the demo station: 19 police grids, grids with a worker each', async () => {
    const policeGrids = await stack.call('assignment', 'GET', '/v1/police-grids', { token: deskToken });
    expect(policeGrids.body.items).toHaveLength(19);
    expect(grids.length).toBeGreaterThanOrEqual(19);
    for (const grid of grids) expect(pairFor(grid).worker, `worker of ${grid.code}`).toBeDefined();
  });

  it('routes a report by gridCode to the grid officer and grid worker as a pair, with the numbers in its text masked on the way', async () => {
    const grid = grids[3]!;
    const written = `宝河苑社区 ${seq} 号楼邻居夫妻吵架一整夜 联系人李四电话13800138000身份证620321199001011234`;
    const res = await post(report({ location: { gridCode: grid.code }, description: written }));
    expect(res.status).toBe(202);
    const view = await assigned(res.body.reportId);
    const { officer, worker } = pairFor(grid);
    expect(view.case.assignees.map((a: Officer) => a.officerId).sort()).toEqual([officer.officerId, worker.officerId].sort());
    expect(view.case.caseNumber).toMatch(/^CG-\d{4}-\d{6}$/);
    const detail = await eventually('desk to show the case', async () => {
      const r = await deskCase(view.caseId);
      return r.body?.assignees?.length ? r.body : undefined;
    });
    expect(detail.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['gridcase.case.opened.v1', 'gridcase.case.assigned.v1']),
    );
    // Intake masked them before report.received: no service after it ever had them.
    const masked = written.replace('13800138000', '138****8000').replace('620321199001011234', '6203**********1234');
    const [opened] = await cases.waitFor('case.opened', (r) => r.message?.type === 'gridcase.case.opened.v1' && r.key === view.caseId);
    expect(opened!.message!.data).toMatchObject({ description: masked });
    expect(detail.description).toBe(masked);
  });

  it('routes a report by lat/lng to the grid whose polygon holds the point', async () => {
    const grid = grids[7]!;
    const res = await post(report({ location: insidePoint(grid), description: '广场上孩子的滑板车丢了' }));
    expect(res.status).toBe(202);
    const view = await assigned(res.body.reportId);
    const { officer, worker } = pairFor(grid);
    expect(view.case.assignees.map((a: Officer) => a.officerId).sort()).toEqual([officer.officerId, worker.officerId].sort());
  });

  it('escalates a case past its respondBy exactly once, to the police grid lead', async () => {
    const grid = grids[1]!;
    const respondBy = new Date(Date.now() + 3000).toISOString();
    const res = await post(report({ location: { gridCode: grid.code }, respondBy, description: '小区门禁坏了报警器一直响' }));
    const { caseId } = await assigned(res.body.reportId);
    const escalated = await cases.waitFor(
      'case.escalated',
      (r) => r.message?.type === 'gridcase.case.escalated.v1' && r.key === caseId,
      1,
      30_000,
    );
    expect(escalated[0]!.message!.data).toMatchObject({ level: 1, reason: 'respond-overdue' });
    const lead = officers.find((o) => o.role === 'lead' && o.policeGridCode === grid.policeGridCode)!;
    const detail = await eventually('case reassigned to the lead', async () => {
      const r = await deskCase(caseId);
      return r.body?.level === 1 && r.body.assignees.some((a: Officer) => a.officerId === lead.officerId) ? r.body : undefined;
    });
    // A later deadline passing proves the scheduler ran again without escalating this case twice.
    const marker = await post(report({ respondBy: new Date(Date.now() + 1000).toISOString(), description: `marker ${Date.now()}` }));
    const { caseId: markerId } = await assigned(marker.body.reportId);
    await cases.waitFor('marker escalated', (r) => r.message?.type === 'gridcase.case.escalated.v1' && r.key === markerId);
    const count = cases.records.filter((r) => r.message?.type === 'gridcase.case.escalated.v1' && r.key === caseId);
    expect(new Set(count.map((r) => r.message!.id)).size).toBe(1);
    expect(detail.timeline.filter((e: { type: string }) => e.type === 'gridcase.case.escalated.v1')).toHaveLength(1);
  });

  it('does not escalate a case acknowledged before its deadline', async () => {
    const res = await post(report({ respondBy: new Date(Date.now() + 6000).toISOString(), description: `需要确认 ${Date.now()}` }));
    const { caseId } = await assigned(res.body.reportId);
    const ack = await stack.call('desk', 'POST', `/v1/cases/${caseId}/acknowledge?wait=true`, { token: deskToken, body: {} });
    expect(ack.status).toBe(200);
    expect(ack.body.status).toBe('acknowledged');
    const marker = await post(report({ respondBy: new Date(Date.now() + 7000).toISOString(), description: `marker2 ${Date.now()}` }));
    const { caseId: markerId } = await assigned(marker.body.reportId);
    await cases.waitFor('marker escalated', (r) => r.message?.type === 'gridcase.case.escalated.v1' && r.key === markerId, 1, 40_000);
    expect(cases.records.some((r) => r.message?.type === 'gridcase.case.escalated.v1' && r.key === caseId)).toBe(false);
  });

  it('makes one case of the same report posted twice', async () => {
    const body = report({ description: `同一份报告 ${Date.now()}` });
    const first = await post(body);
    const second = await post(body);
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.body.reportId).toBe(first.body.reportId);
    const changed = await post({ ...body, description: 'changed' });
    expect(changed.status).toBe(409);
    // The same words from another sender's id join the open case instead of opening another.
    const again = await post({ ...body, externalId: `${body.externalId}-again` });
    // Triage may read either first (reports are keyed by their own ids): one opens the case, the other joins it.
    const settled = (reportId: string) =>
      eventually(`report ${reportId} in a case`, async () => {
        const r = await stack.call('intake', 'GET', `/v1/reports/${reportId}`, { token: reporterToken });
        return r.body?.status === 'assigned' || r.body?.status === 'merged' ? r.body : undefined;
      });
    const [one, other] = [await settled(first.body.reportId), await settled(again.body.reportId)];
    expect(other.caseId).toBe(one.caseId);
    expect([one.status, other.status].sort()).toEqual(['assigned', 'merged']);
    const opened = cases.records.filter((r) => r.message?.type === 'gridcase.case.opened.v1' && r.key === one.caseId);
    expect(new Set(opened.map((r) => r.message!.id)).size).toBe(1);
  });

  it('answers bad input with 400 naming each field, and no token with 401', async () => {
    const bad = await post({ externalId: '', description: '', location: {}, category: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['externalId', 'description', 'location', 'category']));
    const anonymous = await post(report(), null as unknown as string);
    expect(anonymous.status).toBe(401);
    for (const service of ['triage', 'assignment', 'escalation', 'desk'] as const) {
      const res = await stack.call(service, 'GET', '/docs', { token: null });
      expect(res.status, service).toBe(401);
      expect((await stack.call(service, 'GET', '/healthz', { token: null })).status).toBe(200);
    }
  });

  it('stops a revoked token everywhere within a minute', async () => {
    const officer = await stack.call('intake', 'POST', '/v1/clients', { body: { name: '值班民警', roles: ['officer'], stations: [STATION_CODE] } });
    const token: string = officer.body.token;
    expect((await stack.call('desk', 'GET', '/v1/cases', { token })).status).toBe(200);
    expect((await stack.call('intake', 'DELETE', `/v1/clients/${officer.body.clientId}`)).status).toBe(204);
    for (const service of ['desk', 'assignment', 'triage', 'escalation'] as const) {
      const path = { desk: '/v1/cases', assignment: '/v1/grids', triage: '/v1/categories', escalation: '/v1/timers' }[service];
      await eventually(`${service} to refuse the revoked token`, async () => {
        const res = await stack.call(service, 'GET', path, { token });
        return res.status === 401 ? true : undefined;
      }, 60_000);
    }
  });

  it('takes raw reports from gridcase.reports.inbound, and dead-letters invalid ones with the reason', async () => {
    const clientId = (await stack.call('intake', 'GET', '/v1/clients')).body.items.find((c: { name: string }) => c.name === '12345 hotline').clientId;
    const dlq = await readTopic(stack.env, TOPICS.dlq);
    const producer = await testProducer(stack.env);
    try {
      const body = report({ description: `经Kafka上报 ${Date.now()}` });
      await producer.sendTo(TOPICS.reportsInbound, body.externalId, JSON.stringify(body), { 'client-id': clientId });
      await producer.sendTo(TOPICS.reportsInbound, 'broken-1', JSON.stringify({ externalId: 'broken-1', location: {} }), { 'client-id': clientId });
      const found = await eventually('raw report to become a case', async () => {
        const r = await stack.call('intake', 'GET', `/v1/reports?externalId=${body.externalId}`, { token: reporterToken });
        return r.body?.items?.[0]?.status === 'assigned' ? r.body.items[0] : undefined;
      });
      expect(found.caseId).toBeTruthy();
      const [dead] = await dlq.waitFor('invalid raw report dead-lettered', (r) => r.key === 'broken-1');
      expect(dead!.headers[DLQ_HEADERS.topic]).toBe(TOPICS.reportsInbound);
      expect(dead!.headers[DLQ_HEADERS.error]).toMatch(/description/);
    } finally {
      await producer.disconnect();
      await dlq.close();
    }
  });
});
