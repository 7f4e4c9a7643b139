import { type Actor, type DataOf, makeMessage, newId, type ReferenceData, TOPICS } from '@gridcase/contracts';
import { ManualClock } from '@gridcase/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, isolatedEnv, type ReadRecord, readTopic, testProducer } from '../../../infra/test/harness.ts';
import { start } from '../src/main.ts';

type Assigned = DataOf<'gridcase.case.assigned.v1'>;

const DAY = { name: '白班', days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '20:00' };
const station: ReferenceData = {
  station: { code: 'CG', name: '城关派出所' },
  policeGrids: [{ code: 'H-01', name: '交接警务区', stationCode: 'CG' }],
  grids: [
    {
      code: 'H-01-01',
      name: '交接网格',
      policeGridCode: 'H-01',
      community: { code: 'handover', name: '交接社区' },
      geometry: { type: 'Polygon', coordinates: [[[101, 38], [102, 38], [102, 39], [101, 39], [101, 38]]] },
    },
  ],
  officers: [
    { officerId: 'h-officer-a', name: '甲警官', role: 'officer', policeGridCode: 'H-01', onDuty: true },
    { officerId: 'h-officer-b', name: '乙警官', role: 'officer', policeGridCode: 'H-01', onDuty: true },
    { officerId: 'h-worker', name: '小交', role: 'gridWorker', policeGridCode: 'H-01', gridCode: 'H-01-01', onDuty: true },
    { officerId: 'h-desk', name: '值班长', role: 'deskLeader', onDuty: true },
    { officerId: 'h-lead', name: '丙组长', role: 'lead', policeGridCode: 'H-01', onDuty: true },
  ],
  rosters: [
    { officerId: 'h-officer-a', shifts: [DAY], leave: [], onCall: false },
    { officerId: 'h-officer-b', shifts: [DAY], leave: [], onCall: false },
  ],
};

describe('rosters and handover against real Kafka and Postgres', () => {
  // Monday 2026-03-02 10:00 Asia/Shanghai: both officers are on their day shift.
  const clock = new ManualClock('2026-03-02T02:00:00Z');
  let env: Record<string, string>;
  let service: Awaited<ReturnType<typeof start>>;
  let cases: Awaited<ReturnType<typeof readTopic>>;
  let producer: Awaited<ReturnType<typeof testProducer>>;

  beforeAll(async () => {
    // The test drives the handover passes itself; the loop's own pass runs once at start.
    env = await isolatedEnv({ ASSIGNMENT_PORT: '0', HANDOVER_POLL_MS: '600000' });
    service = await start(env, clock);
    cases = await readTopic(env, TOPICS.cases);
    producer = await testProducer(env);
    const loaded = await service.app.inject({ method: 'PUT', url: '/v1/reference-data', headers: bearer(), payload: station });
    expect(loaded.statusCode, loaded.body).toBe(200);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await cases?.close();
    await service?.rt.shutdown('test done');
  });

  const desk: Actor = { clientId: 'desk-client', name: '值班员', roles: ['desk'] };
  const deskToken = () => service.rt.signer.issue({ clientId: 'desk-1', name: 'desk', roles: ['desk'], stations: ['CG'] });
  const ofCase = (caseId: string, type: string) => (r: ReadRecord) => r.key === caseId && r.message?.type === type;
  const assignedOf = async (caseId: string, count = 1) => {
    const hits = await cases.waitFor(`case.assigned ×${count} for ${caseId}`, ofCase(caseId, 'gridcase.case.assigned.v1'), count);
    return hits.map((h) => h.message!.data as Assigned);
  };
  const owners = (a: Assigned | undefined) => a?.assignees.map((x) => x.officerId);

  /** Plays triage: a new case in grid H-01-01; waits for its first case.assigned. */
  async function openCase(category: string, kind: 'dispute' | 'tip' = 'dispute') {
    const caseId = newId();
    const now = clock.now().getTime();
    const opened = makeMessage('gridcase.case.opened.v1', {
      source: '/test/triage',
      subject: caseId,
      data: {
        caseId,
        caseNumber: `CG-2026-${String(Date.now() % 1_000_000).padStart(6, '0')}`,
        reportId: newId(),
        station: 'CG',
        kind,
        category,
        severity: 'yellow',
        description: '测试',
        location: { gridCode: 'H-01-01' },
        respondBy: new Date(now + 30 * 60_000).toISOString(),
        resolveBy: new Date(now + 72 * 3_600_000).toISOString(),
        rule: 'test',
        openedAt: new Date(now).toISOString(),
      },
    });
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(opened));
    const [assigned] = await assignedOf(caseId);
    return { caseId, assigned: assigned!, respondBy: opened.data.respondBy };
  }

  const caseOf = async (caseId: string) => {
    const res = await service.app.inject({ method: 'GET', url: `/v1/cases/${caseId}`, headers: bearer(deskToken()) });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  it('routes to the officer on duty with the fewest open cases; leave recorded mid-shift hands on the unacknowledged case only', async () => {
    const first = await openCase('dispute.neighbour');
    expect(owners(first.assigned)).toEqual(['h-officer-a', 'h-worker']);
    expect(first.assigned.decision).toMatchObject({ rule: 'default-pair', fallback: null });
    const second = await openCase('dispute.neighbour');
    expect(owners(second.assigned)).toEqual(['h-officer-b', 'h-worker']);
    expect(second.assigned.decision?.posts[0]?.candidates[0]).toMatchObject({ officerId: 'h-officer-a', openCases: 1, passedOver: 'more-open-cases' });
    const third = await openCase('dispute.neighbour');
    expect(owners(third.assigned)).toEqual(['h-officer-a', 'h-worker']);

    // The first case is acknowledged: it stays with its owner whatever happens to their duty.
    const commandId = newId();
    const ack = makeMessage('gridcase.case-command.acknowledge.v1', {
      source: '/test/desk',
      subject: first.caseId,
      id: commandId,
      data: { commandId, caseId: first.caseId, by: desk, issuedAt: clock.now().toISOString() },
    });
    await producer.sendTo(TOPICS.caseCommands, first.caseId, JSON.stringify(ack));
    await cases.waitFor('acknowledged', ofCase(first.caseId, 'gridcase.case.acknowledged.v1'));
    expect(await service.handover.pass()).toBe(0);

    const leave = { from: '2026-03-02T10:30:00+08:00', until: '2026-03-02T18:00:00+08:00', reason: '病假' };
    const reporter = service.rt.signer.issue({ clientId: 'r-1', name: 'reporter', roles: ['reporter'] });
    expect((await service.app.inject({ method: 'POST', url: '/v1/officers/h-officer-a/leave', headers: bearer(reporter), payload: leave })).statusCode).toBe(403);
    expect((await service.app.inject({ method: 'POST', url: '/v1/officers/nobody/leave', headers: bearer(deskToken()), payload: leave })).statusCode).toBe(404);
    // A missing reason and an until before from, named together.
    const backwards = await service.app.inject({
      method: 'POST',
      url: '/v1/officers/h-officer-a/leave',
      headers: bearer(deskToken()),
      payload: { from: leave.until, until: leave.from },
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors.map((e: { path: string }) => e.path)).toEqual(['reason', 'until']);
    // Unknown fields are named, a likely typo (to for until) among them (audit17 #7).
    const typo = await service.app.inject({
      method: 'POST',
      url: '/v1/officers/h-officer-a/leave',
      headers: bearer(deskToken()),
      payload: { from: leave.from, to: leave.until, reason: leave.reason, foo: 1 },
    });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().errors).toEqual(
      expect.arrayContaining([
        { path: 'until', message: expect.any(String) },
        { path: 'to', message: 'unknown field' },
        { path: 'foo', message: 'unknown field' },
      ]),
    );
    const recorded = await service.app.inject({ method: 'POST', url: '/v1/officers/h-officer-a/leave', headers: bearer(deskToken()), payload: leave });
    expect(recorded.statusCode, recorded.body).toBe(201);
    // The same leave again is the record already made, not a second one, and audited once (audit17 #7).
    const again = await service.app.inject({ method: 'POST', url: '/v1/officers/h-officer-a/leave', headers: bearer(deskToken()), payload: leave });
    expect(again.statusCode, again.body).toBe(200);
    // Both answers give the instants in UTC, as every read of the record does (audit18: the 201 echoed them as sent).
    expect(recorded.json()).toMatchObject({ from: new Date(leave.from).toISOString(), until: new Date(leave.until).toISOString() });
    expect(again.json()).toEqual(recorded.json());
    const listed = await service.app.inject({ method: 'GET', url: '/v1/officers/h-officer-a/leave', headers: bearer(deskToken()) });
    expect(listed.json().items).toEqual([expect.objectContaining({ officerId: 'h-officer-a', source: 'api', reason: '病假', recordedBy: 'desk-1' })]);
    const audited = await service.app.inject({ method: 'GET', url: '/v1/audit?actor=desk-1', headers: bearer() });
    expect(audited.json().items.filter((e: { action: string }) => e.action === 'leave.recorded')).toHaveLength(1);

    // Recorded before it starts: nothing to hand on yet.
    expect(await service.handover.pass()).toBe(0);
    clock.set('2026-03-02T11:00:00+08:00');
    expect(await service.handover.pass()).toBe(1);

    const [, handedOn] = await assignedOf(third.caseId, 2);
    expect(handedOn).toMatchObject({ level: 0, routedBy: 'handover', reason: 'handed on: officer on-leave → officer on-duty' });
    expect(owners(handedOn)).toEqual(['h-officer-b', 'h-worker']);
    expect(handedOn?.decision).toMatchObject({ rule: 'handover', posts: [{ post: 'officer', chosen: 'h-officer-b', filledBy: 'on-duty' }, { post: 'gridWorker', filledBy: 'kept' }] });
    expect(JSON.stringify(handedOn)).not.toContain('病假');
    expect((await caseOf(third.caseId)).assignees.map((a: { officerId: string }) => a.officerId)).toEqual(['h-officer-b', 'h-worker']);
    expect((await caseOf(first.caseId)).assignees.map((a: { officerId: string }) => a.officerId)).toEqual(['h-officer-a', 'h-worker']);
    expect(cases.records.filter(ofCase(first.caseId, 'gridcase.case.assigned.v1'))).toHaveLength(1);
    // Done once: the next pass finds nothing more.
    expect(await service.handover.pass()).toBe(0);
  });

  it("hands an escalated case whose lead went on leave up the ladder (the desk leader), not only level 0", async () => {
    const opened = await openCase('dispute.neighbour');
    // Plays escalation's timers: the respond deadline of version 1 passed → level 1, the lead.
    const fact = makeMessage('gridcase.case.deadline-passed.v1', {
      source: '/test/escalation',
      subject: opened.caseId,
      data: { caseId: opened.caseId, kind: 'respond', dueAt: opened.respondBy, version: 1, at: clock.now().toISOString() },
    });
    await producer.sendTo(TOPICS.cases, opened.caseId, JSON.stringify(fact));
    const [, escalated] = await assignedOf(opened.caseId, 2);
    expect(escalated).toMatchObject({ level: 1, routedBy: 'escalation', assignees: [{ officerId: 'h-lead' }] });
    expect(await service.handover.pass()).toBe(0);

    const from = clock.now();
    const leave = { from: from.toISOString(), until: new Date(from.getTime() + 365 * 86_400_000).toISOString(), reason: '借调' };
    expect((await service.app.inject({ method: 'POST', url: '/v1/officers/h-lead/leave', headers: bearer(deskToken()), payload: leave })).statusCode).toBe(201);
    expect(await service.handover.pass()).toBe(1);
    const [, , handedOn] = await assignedOf(opened.caseId, 3);
    expect(handedOn).toMatchObject({
      level: 1,
      routedBy: 'handover',
      reason: 'handed on: lead on-leave → deskLeader on-duty (escalation level 1)',
      assignees: [{ officerId: 'h-desk' }],
      decision: { rule: 'ladder', posts: [{ post: 'lead', chosen: null, candidates: [{ officerId: 'h-lead', passedOver: 'on-leave' }] }, { post: 'deskLeader', chosen: 'h-desk' }] },
    });
    expect(JSON.stringify(handedOn)).not.toContain('借调');
    expect((await caseOf(opened.caseId)).assignees.map((a: { officerId: string }) => a.officerId)).toEqual(['h-desk']);
    expect(await service.handover.pass()).toBe(0);
  });

  it('gives a tip to the police grid officer alone, never to the grid worker', async () => {
    const tip = await openCase('tip.vice', 'tip');
    expect(tip.assigned.assignees).toEqual([expect.objectContaining({ role: 'officer' })]);
    expect(tip.assigned.decision).toMatchObject({ rule: 'tip-police-only' });
    expect(tip.assigned.decision?.posts.find((p) => p.post === 'gridWorker')).toMatchObject({
      chosen: null,
      candidates: [{ officerId: 'h-worker', passedOver: 'wrong-role' }],
    });
  });
});
