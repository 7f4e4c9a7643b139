import { type DataOf, makeMessage, newId, type ReferenceData, TOPICS } from '@gridcase/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, isolatedEnv, type ReadRecord, readTopic, testProducer } from '../../../infra/test/harness.ts';
import { start } from '../src/main.ts';

type Assigned = DataOf<'gridcase.case.assigned.v1'>;

describe('assignment against real Kafka and Postgres', () => {
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;
  let cases: Awaited<ReturnType<typeof readTopic>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;

  beforeAll(async () => {
    env = await isolatedEnv({ ASSIGNMENT_PORT: '0' });
    service = await start(env);
    cases = await readTopic(env, TOPICS.cases);
    producer = await testProducer(env);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await cases?.close();
    await service?.rt.shutdown('test done');
  });

  const TRACE = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const by = { clientId: 'desk-client', name: '值班员' };

  /** Plays triage: a case.opened for a new case at `location`. */
  async function openCase(location: DataOf<'gridcase.case.opened.v1'>['location']) {
    const caseId = newId();
    const now = Date.now();
    const opened = makeMessage('gridcase.case.opened.v1', {
      source: '/test/triage',
      subject: caseId,
      data: {
        caseId,
        caseNumber: `CG-2026-${String(now % 1_000_000).padStart(6, '0')}`,
        reportId: newId(),
        station: 'CG',
        kind: 'dispute',
        category: 'dispute.neighbour',
        severity: 'yellow',
        description: '隔壁夫妻吵了一整夜',
        location,
        respondBy: new Date(now + 30 * 60_000).toISOString(),
        resolveBy: new Date(now + 72 * 3_600_000).toISOString(),
        rule: 'test',
        openedAt: new Date(now).toISOString(),
      },
    });
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(opened), { traceparent: TRACE });
    return opened;
  }

  const ofCase = (caseId: string, type: string) => (r: ReadRecord) => r.key === caseId && r.message?.type === type;
  const assignedOf = async (caseId: string, count = 1) => {
    const hits = await cases.waitFor(`case.assigned for ${caseId}`, ofCase(caseId, 'gridcase.case.assigned.v1'), count);
    return hits.map((h) => h.message!.data as Assigned);
  };

  async function sendCommand<T extends 'gridcase.case-command.acknowledge.v1' | 'gridcase.case-command.resolve.v1'>(
    type: T,
    caseId: string,
    extra: Partial<DataOf<T>> = {},
  ) {
    const commandId = newId();
    const command = makeMessage(type, {
      source: '/test/desk',
      subject: caseId,
      id: commandId,
      data: { commandId, caseId, by, issuedAt: new Date().toISOString(), ...extra } as DataOf<T>,
    });
    await producer.sendTo(TOPICS.caseCommands, caseId, JSON.stringify(command));
    return commandId;
  }

  it('routes a case with a gridCode to the grid officer and grid worker, once even when redelivered', async () => {
    const opened = await openCase({ gridCode: 'CG-01-01' });
    await producer.sendTo(TOPICS.cases, opened.subject, JSON.stringify(opened), { traceparent: TRACE });
    const [assigned] = await assignedOf(opened.data.caseId);
    expect(assigned).toMatchObject({
      level: 0,
      routedBy: 'gridCode',
      policeGridCode: 'CG-01',
      gridCode: 'CG-01-01',
      assignees: [
        { officerId: 'officer-CG-01', role: 'officer', name: '王彦军' },
        { officerId: 'worker-CG-01-01', role: 'gridWorker', name: '小李' },
      ],
    });
    const record = cases.records.find(ofCase(opened.data.caseId, 'gridcase.case.assigned.v1'))!;
    expect(record.headers.traceparent).toBe(TRACE);
    // A later case proves the redelivered case.opened was consumed without a second assignment.
    const marker = await openCase({ gridCode: 'CG-02-01' });
    await assignedOf(marker.data.caseId);
    expect(cases.records.filter(ofCase(opened.data.caseId, 'gridcase.case.assigned.v1'))).toHaveLength(1);
  });

  it('routes a point inside a demo polygon to that grid pair', async () => {
    const opened = await openCase({ lat: 38.265, lng: 101.933 });
    const [assigned] = await assignedOf(opened.data.caseId);
    expect(assigned).toMatchObject({ routedBy: 'point', gridCode: 'CG-01-01', assignees: [{ officerId: 'officer-CG-01' }, { officerId: 'worker-CG-01-01' }] });
  });

  it('sends an unroutable case to the duty desk leader with the reason', async () => {
    const opened = await openCase({ lat: 39.9, lng: 116.4, address: '北京' });
    const [assigned] = await assignedOf(opened.data.caseId);
    expect(assigned).toMatchObject({ routedBy: 'desk', assignees: [{ officerId: 'desk-leader-CG', role: 'deskLeader' }] });
    expect(assigned!.reason).toContain('outside every grid');
    expect(assigned!.gridCode).toBeUndefined();
  });

  it('moves an escalated case up to the police grid lead with its new level and deadlines', async () => {
    const opened = await openCase({ communityCode: 'baoheyuan' });
    await assignedOf(opened.data.caseId);
    const resolveBy = new Date(Date.now() + 3_600_000).toISOString();
    const escalated = makeMessage('gridcase.case.escalated.v1', {
      source: '/test/escalation',
      subject: opened.data.caseId,
      data: { caseId: opened.data.caseId, fromLevel: 0, level: 1, reason: 'respond-overdue', deadline: opened.data.respondBy, resolveBy, at: new Date().toISOString() },
    });
    await producer.sendTo(TOPICS.cases, opened.data.caseId, JSON.stringify(escalated));
    const [, up] = await assignedOf(opened.data.caseId, 2);
    expect(up).toMatchObject({ level: 1, routedBy: 'escalation', policeGridCode: 'CG-01', assignees: [{ officerId: 'lead-CG-01', role: 'lead' }] });

    const token = service.rt.signer.issue({ clientId: 'desk-1', name: 'desk', roles: ['desk'] });
    const res = await service.app.inject({ method: 'GET', url: `/v1/cases/${opened.data.caseId}`, headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ level: 1, status: 'open', resolveBy, assignees: [{ officerId: 'lead-CG-01' }] });
  });

  it('acknowledges a case with the command id, and rejects a second acknowledge', async () => {
    const opened = await openCase({ gridCode: 'CG-04-02' });
    await assignedOf(opened.data.caseId);
    const first = await sendCommand('gridcase.case-command.acknowledge.v1', opened.data.caseId);
    const second = await sendCommand('gridcase.case-command.acknowledge.v1', opened.data.caseId);
    const [ack] = await cases.waitFor('case.acknowledged', ofCase(opened.data.caseId, 'gridcase.case.acknowledged.v1'));
    expect(ack!.message!.data).toMatchObject({ caseId: opened.data.caseId, commandId: first, by });
    const [rejected] = await cases.waitFor('command-rejected', ofCase(opened.data.caseId, 'gridcase.case.command-rejected.v1'));
    expect(rejected!.message!.data).toMatchObject({ commandId: second, command: 'acknowledge', reason: expect.stringContaining('acknowledged') });
  });

  it('rejects a command for a case it does not know', async () => {
    const caseId = newId();
    const commandId = await sendCommand('gridcase.case-command.resolve.v1', caseId, { outcome: 'resolved', note: '' });
    const [rejected] = await cases.waitFor('command-rejected', ofCase(caseId, 'gridcase.case.command-rejected.v1'));
    expect(rejected!.message!.data).toMatchObject({ commandId, command: 'resolve', reason: expect.stringContaining('unknown case') });
  });

  it('serves the demo station: 19 police grids, their grids and roster, to any token', async () => {
    expect((await service.app.inject({ method: 'GET', url: '/v1/police-grids' })).statusCode).toBe(401);
    const token = service.rt.signer.issue({ clientId: 'r-1', name: 'reporter', roles: ['reporter'] });
    const get = async (url: string) => {
      const res = await service.app.inject({ method: 'GET', url, headers: bearer(token) });
      expect(res.statusCode, url).toBe(200);
      return res.json().items as Record<string, unknown>[];
    };
    const policeGrids = await get('/v1/police-grids');
    expect(policeGrids).toHaveLength(19);
    expect(policeGrids[0]).toMatchObject({ code: 'CG-01', name: '第一警务区', stationCode: 'CG' });
    expect(await get('/v1/stations')).toEqual([{ code: 'CG', name: '城关派出所', county: '永昌县', city: '金昌市', province: '甘肃省' }]);
    const grids = await get('/v1/grids');
    expect(grids[0]).toMatchObject({ code: 'CG-01-01', policeGridCode: 'CG-01', community: { code: 'baoheyuan', name: '宝河苑社区' }, geometry: { type: 'Polygon' } });
    const officers = await get('/v1/officers');
    expect(officers).toContainEqual({ officerId: 'deputy-chief-CG', name: '孙杰中', role: 'deputyChief', onDuty: true });
    const docs = await service.app.inject({ method: 'GET', url: '/docs', headers: bearer(token) });
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths)).toEqual(expect.arrayContaining(['/v1/grids', '/v1/reference-data', '/v1/cases/{caseId}']));
  });

  it('replaces the reference data from one document (admin only) and routes with it', async () => {
    const doc: ReferenceData = {
      station: { code: 'CG', name: '城关派出所' },
      policeGrids: [{ code: 'X-01', name: '试点警务区', stationCode: 'CG' }],
      grids: [
        {
          code: 'X-01-01',
          name: '试点网格',
          policeGridCode: 'X-01',
          community: { code: 'pilot', name: '试点社区' },
          geometry: { type: 'Polygon', coordinates: [[[101, 38], [102, 38], [102, 39], [101, 39], [101, 38]]] },
        },
      ],
      officers: [
        { officerId: 'x-officer', name: '试点警格员', role: 'officer', policeGridCode: 'X-01', onDuty: true },
        { officerId: 'x-worker', name: '小试', role: 'gridWorker', gridCode: 'X-01-01', onDuty: true },
        { officerId: 'x-desk', name: '值班长', role: 'deskLeader', onDuty: true },
      ],
    };
    const deskToken = service.rt.signer.issue({ clientId: 'desk-1', name: 'desk', roles: ['desk', 'supervisor'] });
    const forbidden = await service.app.inject({ method: 'PUT', url: '/v1/reference-data', headers: bearer(deskToken), payload: doc });
    expect(forbidden.statusCode).toBe(403);

    const broken = { ...doc, grids: [{ ...doc.grids[0]!, policeGridCode: 'NOPE' }] };
    const bad = await service.app.inject({ method: 'PUT', url: '/v1/reference-data', headers: bearer(), payload: broken });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toContainEqual(expect.objectContaining({ path: 'grids.0.policeGridCode' }));

    const ok = await service.app.inject({ method: 'PUT', url: '/v1/reference-data', headers: bearer(), payload: doc });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ station: 'CG', policeGrids: 1, grids: 1, officers: 3 });
    const policeGrids = await service.app.inject({ method: 'GET', url: '/v1/police-grids', headers: bearer(deskToken) });
    expect(policeGrids.json().items.map((p: { code: string }) => p.code)).toEqual(['X-01']);

    const opened = await openCase({ lat: 38.5, lng: 101.5 });
    const [assigned] = await assignedOf(opened.data.caseId);
    expect(assigned).toMatchObject({ routedBy: 'point', gridCode: 'X-01-01', assignees: [{ officerId: 'x-officer' }, { officerId: 'x-worker' }] });
  });
});
