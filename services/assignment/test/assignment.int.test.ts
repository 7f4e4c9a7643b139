import { type Actor, type CommandType, type DataOf, type DeadlineKind, makeMessage, newId, type ReferenceData, TOPICS } from '@gridcase/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, eventually, isolatedEnv, type ReadRecord, readTopic, testProducer } from '../../../infra/test/harness.ts';
import { openapiGaps } from '../../../infra/test/openapi.ts';
import { calendarYears, inbox } from '../src/db/schema.ts';
import { DEMO_STATION } from '../src/domain/demo-station.ts';
import { start } from '../src/main.ts';
import { casesRouted, escalations } from '../src/metrics.ts';

type Assigned = DataOf<'gridcase.case.assigned.v1'>;

/** A counter's total over the series whose labels include `labels`. */
const counted = async (counter: typeof casesRouted | typeof escalations, labels: Record<string, string>) =>
  (await counter.get()).values.filter((v) => Object.entries(labels).every(([k, want]) => (v.labels as Record<string, unknown>)[k] === want)).reduce((sum, v) => sum + v.value, 0);
/** Polls until the counter has grown to `want` (counted after the commit, which the event on the topic may overtake). */
const countReaches = (counter: typeof casesRouted | typeof escalations, labels: Record<string, string>, want: number) =>
  eventually(`${JSON.stringify(labels)} counted ${want}`, async () => ((await counted(counter, labels)) === want ? true : undefined));

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
  const by: Actor = { clientId: 'desk-client', name: '值班员', roles: ['desk'] };

  /** Plays triage: a case.opened for a new case at `location`. */
  async function openCase(location: DataOf<'gridcase.case.opened.v1'>['location'], reporter = { anonymous: false, hasContact: true }, key?: string) {
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
        budgets: { respond: { minutes: 30 }, resolve: { workingDays: 3 } },
        reporter,
      },
    });
    await producer.sendTo(TOPICS.cases, key ?? caseId, JSON.stringify(opened), { traceparent: TRACE });
    return opened;
  }

  const SHORT = {
    assigned: 'gridcase.case.assigned.v1',
    acknowledged: 'gridcase.case.acknowledged.v1',
    resolved: 'gridcase.case.resolved.v1',
    verified: 'gridcase.case.verified.v1',
    'followed-up': 'gridcase.case.followed-up.v1',
    closed: 'gridcase.case.closed.v1',
    'extension-requested': 'gridcase.case.extension-requested.v1',
    'extension-approved': 'gridcase.case.extension-approved.v1',
    held: 'gridcase.case.held.v1',
    resumed: 'gridcase.case.resumed.v1',
    escalated: 'gridcase.case.escalated.v1',
    'deadlines-set': 'gridcase.case.deadlines-set.v1',
    'command-rejected': 'gridcase.case.command-rejected.v1',
  } as const;
  const ofCase = (caseId: string, type: string) => (r: ReadRecord) => r.key === caseId && r.message?.type === type;
  const assignedOf = async (caseId: string, count = 1) => {
    const hits = await cases.waitFor(`case.assigned for ${caseId}`, ofCase(caseId, 'gridcase.case.assigned.v1'), count);
    return hits.map((h) => h.message!.data as Assigned);
  };

  async function sendCommand<T extends CommandType>(type: T, caseId: string, extra: Partial<DataOf<T>> = {}, actor: Actor = by) {
    const commandId = newId();
    const command = makeMessage(type, {
      source: '/test/desk',
      subject: caseId,
      id: commandId,
      data: { commandId, caseId, by: actor, issuedAt: new Date().toISOString(), ...extra } as DataOf<T>,
    });
    await producer.sendTo(TOPICS.caseCommands, caseId, JSON.stringify(command));
    return commandId;
  }

  /** Waits for the `count`th event of `type` on the case; its data. */
  const eventOf = async <T extends keyof typeof SHORT>(caseId: string, type: T, count = 1) => {
    const hits = await cases.waitFor(`${type} for ${caseId}`, ofCase(caseId, SHORT[type]), count);
    return hits[count - 1]!.message!.data as Record<string, unknown>;
  };
  /** The case's events in order, as short names. */
  const historyOf = (caseId: string) =>
    cases.records.filter((r) => r.key === caseId && r.message).map((r) => r.message!.type.replace(/^gridcase\.case\.|\.v1$/g, ''));
  const deskToken = () => service.rt.signer.issue({ clientId: 'desk-1', name: 'desk', roles: ['desk'], stations: ['CG'] });
  const getCase = async (caseId: string) => {
    const res = await service.app.inject({ method: 'GET', url: `/v1/cases/${caseId}`, headers: bearer(deskToken()) });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  /** Plays escalation's timers: the fact that a deadline of `version` passed. */
  async function sendDeadlinePassed(caseId: string, kind: DeadlineKind, dueAt: string, version: number) {
    const fact = makeMessage('gridcase.case.deadline-passed.v1', {
      source: '/test/escalation',
      subject: caseId,
      data: { caseId, kind, dueAt, version, at: new Date().toISOString() },
    });
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(fact));
    return fact.id;
  }
  /** Assignment has handled the event `eventId` (its inbox claimed it), whatever it decided. */
  const handled = (eventId: string) =>
    eventually(`assignment to handle ${eventId}`, async () => {
      const rows = await service.rt.db.select().from(inbox).where(and(eq(inbox.consumerGroup, 'cases'), eq(inbox.eventId, eventId)));
      return rows.length ? true : undefined;
    });

  it('routes a case with a gridCode to the grid officer and grid worker, once even when redelivered', async () => {
    const byGridCode = { routed_by: 'gridCode' };
    const before = await counted(casesRouted, byGridCode);
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
    // A later case on the same partition (sent under the first case's key) proves the redelivered
    // case.opened was consumed without a second assignment: a key of its own could put it on a
    // partition handled first.
    const marker = await openCase({ gridCode: 'CG-02-01' }, undefined, opened.data.caseId);
    await assignedOf(marker.data.caseId);
    expect(cases.records.filter(ofCase(opened.data.caseId, 'gridcase.case.assigned.v1'))).toHaveLength(1);
    // Counted once each (the case and the marker), the redelivery not.
    await countReaches(casesRouted, byGridCode, before + 2);
  });

  it('routes a point inside a demo polygon to that grid pair', async () => {
    const opened = await openCase({ lat: 38.265, lng: 101.933 });
    const [assigned] = await assignedOf(opened.data.caseId);
    expect(assigned).toMatchObject({ routedBy: 'point', gridCode: 'CG-01-01', assignees: [{ officerId: 'officer-CG-01' }, { officerId: 'worker-CG-01-01' }] });
  });

  it('sends an unroutable case to the duty desk leader with the reason', async () => {
    const before = await counted(casesRouted, { routed_by: 'desk' });
    const opened = await openCase({ lat: 39.9, lng: 116.4, address: '北京' });
    const [assigned] = await assignedOf(opened.data.caseId);
    await countReaches(casesRouted, { routed_by: 'desk' }, before + 1);
    expect(assigned).toMatchObject({ routedBy: 'desk', assignees: [{ officerId: 'desk-leader-CG', role: 'deskLeader' }] });
    expect(assigned!.reason).toContain('outside every grid');
    expect(assigned!.gridCode).toBeUndefined();
  });

  it('escalates on a passed deadline of the current version: level 1, the lead, fresh ladder budgets, a new deadline version', async () => {
    const respondLevel = (level: string) => counted(escalations, { reason: 'respond-overdue', level });
    const [level1, level2] = [await respondLevel('1'), await respondLevel('2')];
    const opened = await openCase({ communityCode: 'baoheyuan' });
    const first = await eventOf(opened.data.caseId, 'deadlines-set');
    expect(first).toMatchObject({ version: 1, level: 0, running: [{ kind: 'respond', dueAt: opened.data.respondBy }, { kind: 'resolve' }] });
    await sendDeadlinePassed(opened.data.caseId, 'respond', opened.data.respondBy, 1);
    const escalated = await eventOf(opened.data.caseId, 'escalated');
    expect(escalated).toMatchObject({ fromLevel: 0, level: 1, reason: 'respond-overdue', kind: 'respond', deadline: opened.data.respondBy });
    const [, up] = await assignedOf(opened.data.caseId, 2);
    expect(up).toMatchObject({ level: 1, routedBy: 'escalation', policeGridCode: 'CG-01', assignees: [{ officerId: 'lead-CG-01', role: 'lead' }] });
    const second = await eventOf(opened.data.caseId, 'deadlines-set', 2);
    expect(second).toMatchObject({ version: 2, level: 1, running: [{ kind: 'respond', dueAt: escalated.respondBy }, { kind: 'resolve', dueAt: escalated.resolveBy }] });
    // The default ladder gives level 1 half an hour to respond and four hours to resolve.
    const running = second.running as { startedAt: string; dueAt: string }[];
    expect(running.map((r) => (Date.parse(r.dueAt) - Date.parse(r.startedAt)) / 60_000)).toEqual([30, 240]);
    expect(historyOf(opened.data.caseId)).toEqual(['opened', 'assigned', 'deadlines-set', 'deadline-passed', 'deadlines-set', 'escalated', 'assigned']);
    expect(await getCase(opened.data.caseId)).toMatchObject({ level: 1, status: 'open', deadlineVersion: 2, resolveBy: escalated.resolveBy, assignees: [{ officerId: 'lead-CG-01' }] });

    // The next passed deadline goes to the desk leader, beside their open cases (an unroutable one at least).
    const unroutable = await openCase({ lat: 39.9, lng: 116.4 });
    await assignedOf(unroutable.data.caseId);
    await sendDeadlinePassed(opened.data.caseId, 'respond', escalated.respondBy as string, 2);
    const [, , desk] = await assignedOf(opened.data.caseId, 3);
    expect(desk).toMatchObject({ level: 2, assignees: [{ officerId: 'desk-leader-CG' }] });
    const [deskPost] = desk!.decision!.posts;
    expect(deskPost).toMatchObject({ post: 'deskLeader', chosen: 'desk-leader-CG' });
    expect(deskPost!.candidates.find((c) => c.officerId === 'desk-leader-CG')?.openCases).toBeGreaterThan(0);
    await countReaches(escalations, { reason: 'respond-overdue', level: '1' }, level1 + 1);
    await countReaches(escalations, { reason: 'respond-overdue', level: '2' }, level2 + 1);
  });

  it('ignores a stale deadline-passed (an older version) and changes nothing', async () => {
    const opened = await openCase({ gridCode: 'CG-03-01' });
    await eventOf(opened.data.caseId, 'deadlines-set');
    await sendCommand('gridcase.case-command.acknowledge.v1', opened.data.caseId, { note: '收到' });
    await eventOf(opened.data.caseId, 'deadlines-set', 2);
    const factId = await sendDeadlinePassed(opened.data.caseId, 'resolve', opened.data.resolveBy, 1);
    await handled(factId);
    expect(historyOf(opened.data.caseId)).not.toContain('escalated');
    expect(await getCase(opened.data.caseId)).toMatchObject({ level: 0, status: 'acknowledged', deadlineVersion: 2, assignees: [{ officerId: 'officer-CG-03' }, { role: 'gridWorker' }] });
  });

  it('masks the numbers in the note of a command another producer put on the topic unmasked (audit11 #2)', async () => {
    const opened = await openCase({ gridCode: 'CG-03-01' });
    await eventOf(opened.data.caseId, 'deadlines-set');
    await sendCommand('gridcase.case-command.acknowledge.v1', opened.data.caseId, { note: '已回电张三 13800138000' });
    expect(await eventOf(opened.data.caseId, 'acknowledged')).toMatchObject({ note: '已回电张三 138****8000' });
  });

  /** Plays escalation's timers: the fact that the hold of deadline `version` reached its `until`. */
  async function sendHoldExpired(caseId: string, until: string, version: number) {
    const fact = makeMessage('gridcase.case.hold-expired.v1', { source: '/test/escalation', subject: caseId, data: { caseId, until, version, at: until } });
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(fact));
    return fact;
  }

  it("resumes a case whose hold's until passed once, by the system, however often the fact comes; a stale one changes nothing", async () => {
    const opened = await openCase({ gridCode: 'CG-04-01' });
    const caseId = opened.data.caseId;
    await assignedOf(caseId);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await sendCommand('gridcase.case-command.hold.v1', caseId, { reason: '等待鉴定', until });
    expect(await eventOf(caseId, 'deadlines-set', 2)).toMatchObject({ version: 2, running: [], holdUntil: until });

    const fact = await sendHoldExpired(caseId, until, 2);
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(fact)); // redelivered
    const resumed = await eventOf(caseId, 'resumed');
    expect(resumed).toMatchObject({ status: 'open', reason: 'hold-expired', by: { clientId: 'system' }, commandId: fact.id, heldMs: expect.any(Number) });
    expect(await eventOf(caseId, 'deadlines-set', 3)).toMatchObject({ version: 3, running: [{ kind: 'respond' }, { kind: 'resolve' }] });

    // Held again with another until: the first hold's fact, late, is about version 2 and changes nothing.
    const later = new Date(Date.now() + 7_200_000).toISOString();
    await sendCommand('gridcase.case-command.hold.v1', caseId, { reason: '再等鉴定', until: later });
    await eventOf(caseId, 'deadlines-set', 4);
    const stale = await sendHoldExpired(caseId, until, 2);
    await handled(stale.id);
    expect(historyOf(caseId).filter((t) => t === 'resumed')).toHaveLength(1);
    expect(await getCase(caseId)).toMatchObject({ status: 'on-hold', deadlineVersion: 4, hold: { reason: '再等鉴定' } });
  });

  it('owes a follow-up to the reachable reporter of a report merged into a case whose first reporter was anonymous', async () => {
    const opened = await openCase({ gridCode: 'CG-05-01' }, { anonymous: true, hasContact: false });
    const caseId = opened.data.caseId;
    await assignedOf(caseId);
    // Plays triage: a repeat of the trouble, by someone who left a phone number, joins the case.
    const merged = makeMessage('gridcase.case.report-merged.v1', {
      source: '/test/triage',
      subject: caseId,
      data: { caseId, reportId: newId(), reason: 'same kind and place', mergedAt: new Date().toISOString(), reporter: { anonymous: false, hasContact: true } },
    });
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(merged));
    await handled(merged.id);
    await sendCommand('gridcase.case-command.resolve.v1', caseId, { outcome: 'resolved', note: '已清理' });
    await eventOf(caseId, 'resolved');
    await sendCommand('gridcase.case-command.verify.v1', caseId, { result: 'passed', note: '核查属实' }, { clientId: 'boss-app', name: '所领导', roles: ['supervisor'] });
    expect(await eventOf(caseId, 'verified')).toMatchObject({ result: 'passed', status: 'follow-up' });
  });

  it("takes a merged report's required respondBy when it is earlier, with a deadlines-set that escalation's timers follow", async () => {
    const opened = await openCase({ gridCode: 'CG-05-01' });
    const caseId = opened.data.caseId;
    await assignedOf(caseId);
    await eventOf(caseId, 'deadlines-set', 1);
    const respondBy = new Date(Date.now() + 5 * 60_000).toISOString();
    const later = new Date(Date.now() + 30 * 24 * 3_600_000).toISOString();
    const merged = makeMessage('gridcase.case.report-merged.v1', {
      source: '/test/triage',
      subject: caseId,
      data: { caseId, reportId: newId(), reason: 'same kind and place', mergedAt: new Date().toISOString(), description: '还在吵', respondBy, resolveBy: later },
    });
    await producer.sendTo(TOPICS.cases, caseId, JSON.stringify(merged), { traceparent: TRACE });
    const set = await eventOf(caseId, 'deadlines-set', 2);
    expect(set).toMatchObject({ version: 2, running: [{ kind: 'respond', dueAt: respondBy }, { kind: 'resolve', dueAt: opened.data.resolveBy }] });
    const c = await getCase(caseId);
    expect(c).toMatchObject({ deadlineVersion: 2, respondBy });
    // A required resolveBy later than the case's changes nothing.
    expect(c.resolveBy).toBe(opened.data.resolveBy);
  });

  it('a whole life with two different people: the owner resolves, a supervisor verifies, the desk follows up', async () => {
    const opened = await openCase({ gridCode: 'CG-05-01' });
    const caseId = opened.data.caseId;
    await assignedOf(caseId);
    const owner: Actor = { clientId: 'officer-app', name: '李建国', officerId: 'officer-CG-05', roles: ['officer'] };
    const supervisor: Actor = { clientId: 'boss-app', name: '所领导', roles: ['supervisor'] };
    await sendCommand('gridcase.case-command.acknowledge.v1', caseId, { note: '马上到' }, owner);
    expect(await eventOf(caseId, 'acknowledged')).toMatchObject({ note: '马上到', by: owner });
    await sendCommand('gridcase.case-command.resolve.v1', caseId, { outcome: 'mediated', note: '调解成功' }, owner);
    await eventOf(caseId, 'resolved');
    // The owner may not verify their own work.
    const own = await sendCommand('gridcase.case-command.verify.v1', caseId, { result: 'passed', note: '' }, owner);
    expect(await eventOf(caseId, 'command-rejected')).toMatchObject({ commandId: own, code: 'forbidden' });
    await sendCommand('gridcase.case-command.verify.v1', caseId, { result: 'passed', note: '核查属实' }, supervisor);
    expect(await eventOf(caseId, 'verified')).toMatchObject({ result: 'passed', status: 'follow-up', by: supervisor });
    const followUpClock = await eventOf(caseId, 'deadlines-set', 4);
    expect(followUpClock).toMatchObject({ version: 4, running: [{ kind: 'follow-up' }] });
    // 5 working days after verification ends at 18:00 Asia/Shanghai.
    expect(new Date((followUpClock.running as { dueAt: string }[])[0]!.dueAt).getUTCHours()).toBe(10);
    await sendCommand('gridcase.case-command.follow-up.v1', caseId, { satisfaction: 'satisfied', note: '群众满意' });
    expect(await eventOf(caseId, 'closed')).toMatchObject({ reason: 'followed-up' });
    expect(await eventOf(caseId, 'deadlines-set', 5)).toMatchObject({ version: 5, running: [] });
    expect(historyOf(caseId)).toEqual([
      'opened', 'assigned', 'deadlines-set',
      'deadlines-set', 'acknowledged',
      'deadlines-set', 'resolved',
      'command-rejected',
      'deadlines-set', 'verified',
      'deadlines-set', 'followed-up', 'closed',
    ]);
    expect(await getCase(caseId)).toMatchObject({ status: 'closed', reworkCount: 0, running: [], deadlineVersion: 5 });
  });

  it("hold → resume moves the running clock and a pending extension's until later by the time held; approve moves resolveBy to it", async () => {
    const opened = await openCase({ gridCode: 'CG-06-01' });
    const caseId = opened.data.caseId;
    const owner: Actor = { clientId: 'officer-app-6', officerId: 'officer-CG-06', roles: ['officer'] };
    await assignedOf(caseId);
    await sendCommand('gridcase.case-command.acknowledge.v1', caseId, {}, owner);
    const before = (await eventOf(caseId, 'deadlines-set', 2)).running as { dueAt: string }[];
    const until = new Date(Date.parse(before[0]!.dueAt) + 24 * 3_600_000).toISOString();
    await sendCommand('gridcase.case-command.extension.v1', caseId, { until, reason: '当事人外出' }, owner);
    expect(await eventOf(caseId, 'extension-requested')).toMatchObject({ until, by: owner });
    await sendCommand('gridcase.case-command.hold.v1', caseId, { reason: '等待鉴定' });
    expect(await eventOf(caseId, 'held')).toMatchObject({ fromStatus: 'acknowledged', reason: '等待鉴定' });
    expect(await eventOf(caseId, 'deadlines-set', 3)).toMatchObject({ version: 3, running: [] });
    expect(await getCase(caseId)).toMatchObject({ status: 'on-hold', hold: { reason: '等待鉴定', fromStatus: 'acknowledged' } });
    await sendCommand('gridcase.case-command.resume.v1', caseId, { note: '已出结果' });
    const resumed = await eventOf(caseId, 'resumed');
    // The pending request moves with the clock it was asked against, and the event names where (audit19 #2).
    const movedUntil = new Date(Date.parse(until) + Number(resumed.heldMs)).toISOString();
    expect(resumed).toMatchObject({ status: 'acknowledged', note: '已出结果', extensionUntil: movedUntil });
    const after = (await eventOf(caseId, 'deadlines-set', 4)).running as { kind: string; dueAt: string }[];
    expect(after.map((r) => r.kind)).toEqual(['resolve']);
    expect(Date.parse(after[0]!.dueAt) - Date.parse(before[0]!.dueAt)).toBe(resumed.heldMs);
    expect(await getCase(caseId)).toMatchObject({ extension: { status: 'pending', until: movedUntil } });

    await sendCommand('gridcase.case-command.extension-approve.v1', caseId, { note: '同意' });
    expect(await eventOf(caseId, 'extension-approved')).toMatchObject({ until: movedUntil });
    expect(await eventOf(caseId, 'deadlines-set', 5)).toMatchObject({ version: 5, running: [{ kind: 'resolve', dueAt: movedUntil }] });
    expect(await getCase(caseId)).toMatchObject({ status: 'acknowledged', resolveBy: movedUntil, extension: { status: 'approved', until: movedUntil }, extensionsApproved: 1, hold: null });
  });

  it('a resolve crossing a passed deadline leaves level and owners agreeing with the events, in either order', async () => {
    const escalatedFirst = await openCase({ gridCode: 'CG-07-01' });
    await eventOf(escalatedFirst.data.caseId, 'deadlines-set');
    await sendDeadlinePassed(escalatedFirst.data.caseId, 'resolve', escalatedFirst.data.resolveBy, 1);
    await eventOf(escalatedFirst.data.caseId, 'escalated');
    await sendCommand('gridcase.case-command.resolve.v1', escalatedFirst.data.caseId, { outcome: 'resolved', note: '' });
    await eventOf(escalatedFirst.data.caseId, 'resolved');
    expect(await getCase(escalatedFirst.data.caseId)).toMatchObject({ status: 'resolved', level: 1, assignees: [{ officerId: 'lead-CG-07' }], running: [{ kind: 'verify' }] });

    const resolvedFirst = await openCase({ gridCode: 'CG-08-01' });
    await eventOf(resolvedFirst.data.caseId, 'deadlines-set');
    await sendCommand('gridcase.case-command.resolve.v1', resolvedFirst.data.caseId, { outcome: 'resolved', note: '' });
    await eventOf(resolvedFirst.data.caseId, 'resolved');
    await handled(await sendDeadlinePassed(resolvedFirst.data.caseId, 'resolve', resolvedFirst.data.resolveBy, 1));
    expect(historyOf(resolvedFirst.data.caseId)).not.toContain('escalated');
    expect(await getCase(resolvedFirst.data.caseId)).toMatchObject({ status: 'resolved', level: 0, assignees: [{ officerId: 'officer-CG-08' }, { role: 'gridWorker' }] });

    // Both at once, on two topics: whichever wins, the case of record and its events agree.
    const crossed = await openCase({ gridCode: 'CG-09-01' });
    await eventOf(crossed.data.caseId, 'deadlines-set');
    const [factId] = await Promise.all([
      sendDeadlinePassed(crossed.data.caseId, 'resolve', crossed.data.resolveBy, 1),
      sendCommand('gridcase.case-command.resolve.v1', crossed.data.caseId, { outcome: 'resolved', note: '' }),
    ]);
    await eventOf(crossed.data.caseId, 'resolved');
    await handled(factId);
    const escalations = historyOf(crossed.data.caseId).filter((t) => t === 'escalated').length;
    const assigned = await assignedOf(crossed.data.caseId, 1 + escalations);
    const view = await getCase(crossed.data.caseId);
    expect(escalations).toBeLessThanOrEqual(1);
    expect(view).toMatchObject({ status: 'resolved', level: escalations, assignees: assigned.at(-1)!.assignees });
  });

  it('serves the ladder budgets (GET for the desk, PUT for an admin only)', async () => {
    const ladder = await service.app.inject({ method: 'GET', url: '/v1/ladder', headers: bearer(deskToken()) });
    expect(ladder.statusCode).toBe(200);
    expect(ladder.json()).toMatchObject({ top: 4, items: [{ level: 1, role: 'lead', respondMinutes: 30, resolveMinutes: 240 }, { level: 2 }, { level: 3 }, { level: 4, role: 'chief' }] });
    const put = (headers: Record<string, string>, payload: object) => service.app.inject({ method: 'PUT', url: '/v1/ladder/4', headers, payload });
    expect((await put(bearer(deskToken()), { respondMinutes: 60, resolveMinutes: 600 })).statusCode).toBe(403);
    expect((await put(bearer(), { respondMinutes: 60, resolveMinutes: 30 })).statusCode).toBe(400);
    // A level past the top and a resolve budget shorter than the respond one, named together.
    const both = await service.app.inject({ method: 'PUT', url: '/v1/ladder/9', headers: bearer(), payload: { respondMinutes: 60, resolveMinutes: 30 } });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors).toEqual([
      { path: 'params.level', message: expect.any(String) },
      { path: 'resolveMinutes', message: 'must be >= respondMinutes' },
    ]);
    const ok = await put(bearer(), { respondMinutes: 60, resolveMinutes: 600 });
    expect(ok.json()).toEqual({ level: 4, role: 'chief', respondMinutes: 60, resolveMinutes: 600 });

    // GET's shape goes back as it is; its read-only level and role must be the path's.
    const shown = (await service.app.inject({ method: 'GET', url: '/v1/ladder', headers: bearer(deskToken()) })).json().items.find((l: { level: number }) => l.level === 4);
    const back = await put(bearer(), { ...shown, resolveMinutes: 700 });
    expect(back.statusCode).toBe(200);
    expect(back.json()).toEqual({ ...shown, resolveMinutes: 700 });
    const elsewhere = await put(bearer(), { ...shown, level: 3, role: 'lead' });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().errors).toEqual([
      { path: 'level', message: 'must be the level of the path, 4, or left out' },
      { path: 'role', message: expect.stringContaining("level 4 is the chief's") },
    ]);
    expect((await put(bearer(), { ...shown, updatedAt: '2026-01-01T00:00:00Z' })).json().errors).toEqual([{ path: 'updatedAt', message: 'unknown field' }]);
  });

  it('keeps the newest version of each calendar year published on gridcase.reference', async () => {
    const year = (updatedAt: string, holidays: string[]) =>
      makeMessage('gridcase.calendar.updated.v1', {
        source: '/test/triage',
        subject: 'calendar:2099',
        data: { year: 2099, holidays, workdays: [], source: 'test', updatedAt },
      });
    await producer.sendTo(TOPICS.reference, 'calendar:2099', JSON.stringify(year('2026-01-02T00:00:00Z', ['2099-01-01', '2099-01-02'])));
    await producer.sendTo(TOPICS.reference, 'calendar:2099', JSON.stringify(year('2026-01-01T00:00:00Z', ['2099-01-01'])));
    await producer.sendTo(TOPICS.reference, 'calendar:2099', JSON.stringify(year('2026-01-03T00:00:00Z', ['2099-01-01', '2099-01-02', '2099-01-05'])));
    const row = await eventually('calendar 2099 stored', async () => {
      const [r] = await service.rt.db.select().from(calendarYears).where(eq(calendarYears.year, 2099));
      return r?.data.holidays.length === 3 ? r : undefined;
    });
    expect(row.updatedAt.toISOString()).toBe('2026-01-03T00:00:00.000Z');
  });

  it('acknowledges a case with the command id, and rejects a second acknowledge', async () => {
    const opened = await openCase({ gridCode: 'CG-04-02' });
    await assignedOf(opened.data.caseId);
    const first = await sendCommand('gridcase.case-command.acknowledge.v1', opened.data.caseId);
    const second = await sendCommand('gridcase.case-command.acknowledge.v1', opened.data.caseId);
    const [ack] = await cases.waitFor('case.acknowledged', ofCase(opened.data.caseId, 'gridcase.case.acknowledged.v1'));
    expect(ack!.message!.data).toMatchObject({ caseId: opened.data.caseId, commandId: first, by });
    const [rejected] = await cases.waitFor('command-rejected', ofCase(opened.data.caseId, 'gridcase.case.command-rejected.v1'));
    expect(rejected!.message!.data).toMatchObject({ commandId: second, command: 'acknowledge', code: 'conflict', reason: expect.stringContaining('acknowledged') });
  });

  it('rejects a command for a case it does not know', async () => {
    const caseId = newId();
    const commandId = await sendCommand('gridcase.case-command.resolve.v1', caseId, { outcome: 'resolved', note: '' });
    const [rejected] = await cases.waitFor('command-rejected', ofCase(caseId, 'gridcase.case.command-rejected.v1'));
    expect(rejected!.message!.data).toMatchObject({ commandId, command: 'resolve', reason: expect.stringContaining('unknown case') });
  });

  it('refuses a reassign to someone on leave now (400-shaped: officerIds.N, until when), and allows it to someone who is not', async () => {
    const opened = await openCase({ gridCode: 'CG-12-01' });
    await assignedOf(opened.data.caseId);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const leave = { from: new Date(Date.now() - 3_600_000).toISOString(), until, reason: '借调市局专案组' };
    expect((await service.app.inject({ method: 'POST', url: '/v1/officers/officer-CG-12/leave', headers: bearer(deskToken()), payload: leave })).statusCode).toBe(201);
    const refused = await sendCommand('gridcase.case-command.reassign.v1', opened.data.caseId, { officerIds: ['lead-CG-12', 'officer-CG-12', 'officer-CG-13'] });
    const rejected = await eventOf(opened.data.caseId, 'command-rejected');
    expect(rejected).toMatchObject({
      commandId: refused,
      code: 'invalid',
      errors: [
        { path: 'officerIds.1', message: `this person is on leave until ${until} and cannot take a case now` },
        // The demo's seconded officer: imported leave counts as recorded leave does.
        { path: 'officerIds.2', message: expect.stringMatching(/^this person is on leave until 2027-/) },
      ],
    });
    // Not a word of the leave's reason in the rejection.
    expect(JSON.stringify(rejected)).not.toContain('借调');
    const taken = await sendCommand('gridcase.case-command.reassign.v1', opened.data.caseId, { officerIds: ['lead-CG-12'] });
    const [, reassigned] = await assignedOf(opened.data.caseId, 2);
    expect(reassigned).toMatchObject({ commandId: taken, routedBy: 'reassign', assignees: [{ officerId: 'lead-CG-12' }] });
  });

  it('serves the demo station: 19 police grids and their grids to any token of the station, the roster to its staff', async () => {
    expect((await service.app.inject({ method: 'GET', url: '/v1/police-grids' })).statusCode).toBe(401);
    // Only admin is station-wide without `stations`: a reporter of no station sees none of it.
    const unscoped = service.rt.signer.issue({ clientId: 'r-0', name: 'reporter', roles: ['reporter'] });
    expect((await service.app.inject({ method: 'GET', url: '/v1/police-grids', headers: bearer(unscoped) })).json().items).toEqual([]);
    const token = service.rt.signer.issue({ clientId: 'r-1', name: 'reporter', roles: ['reporter'], stations: ['CG'] });
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
    // Duty as the rosters have it now: someone on leave is shown on leave, not on duty by the stored flag.
    const leave = { from: new Date(Date.now() - 3_600_000).toISOString(), until: new Date(Date.now() + 3_600_000).toISOString(), reason: '病假' };
    expect((await service.app.inject({ method: 'POST', url: '/v1/officers/lead-CG-11/leave', headers: bearer(deskToken()), payload: leave })).statusCode).toBe(201);
    // The roster (names, who is on duty or on leave now) is for the station's own roles, not for senders (audit6 #7).
    const refused = await service.app.inject({ method: 'GET', url: '/v1/officers', headers: bearer(token) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toBe('this needs one of the roles: desk, officer, supervisor, community');
    const staff = service.rt.signer.issue({ clientId: 'w-1', name: 'grid worker', roles: ['community'], stations: ['CG'], grids: ['CG-01-01'] });
    const roster = await service.app.inject({ method: 'GET', url: '/v1/officers', headers: bearer(staff) });
    expect(roster.statusCode).toBe(200);
    const officers = roster.json().items as Record<string, unknown>[];
    expect(officers).toContainEqual({ officerId: 'lead-CG-11', name: '邓志强', role: 'lead', policeGridCode: 'CG-11', onDuty: false, duty: 'on-leave', onCall: false });
    expect(officers.find((o) => o.officerId === 'deputy-chief-CG')).toMatchObject({ name: '孙杰中', role: 'deputyChief', duty: expect.stringMatching(/^(on|off)-duty$/) });
    for (const o of officers) expect(o.onDuty, String(o.officerId)).toBe(o.duty === 'on-duty');
    const docs = await service.app.inject({ method: 'GET', url: '/docs', headers: bearer(token) });
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths)).toEqual(expect.arrayContaining(['/v1/grids', '/v1/reference-data', '/v1/cases/{caseId}']));
    // Every operation's errors as problem+json (audit12 #4).
    expect(openapiGaps(docs.json())).toEqual([]);
  });

  it('replaces the reference data from one document (admin only) and routes with it from the next case; leave recorded counts for the next case', async () => {
    // A case routed with the demo station first, so the routing cache holds its version.
    const before = await openCase({ lat: 38.5, lng: 101.5 });
    const [beforeAssigned] = await assignedOf(before.data.caseId);
    expect(beforeAssigned).toMatchObject({ routedBy: 'desk', decision: { referenceVersion: 1 } });

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
    const deskToken = service.rt.signer.issue({ clientId: 'desk-1', name: 'desk', roles: ['desk', 'supervisor'], stations: ['CG'] });
    const forbidden = await service.app.inject({ method: 'PUT', url: '/v1/reference-data', headers: bearer(deskToken), payload: doc });
    expect(forbidden.statusCode).toBe(403);

    const broken = { ...doc, grids: [{ ...doc.grids[0]!, policeGridCode: 'NOPE' }] };
    const bad = await service.app.inject({ method: 'PUT', url: '/v1/reference-data', headers: bearer(), payload: broken });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toContainEqual(expect.objectContaining({ path: 'grids.0.policeGridCode' }));

    const ok = await service.app.inject({ method: 'PUT', url: '/v1/reference-data', headers: bearer(), payload: doc });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ station: 'CG', policeGrids: 1, grids: 1, officers: 3 });
    // The audit says what was replaced and by what, in codes and counts: no officer's name, no address.
    const log = await service.app.inject({ method: 'GET', url: '/v1/audit?actor=admin', headers: bearer() });
    const replaced = log.json().items.filter((e: { action: string }) => e.action === 'reference-data.replaced');
    expect(replaced).toEqual([
      expect.objectContaining({
        target: 'reference-data:CG',
        before: expect.objectContaining({ station: 'CG', version: 1, policeGrids: DEMO_STATION.policeGrids.length, grids: DEMO_STATION.grids.length, officers: DEMO_STATION.officers.length }),
        after: { station: 'CG', version: ok.json().version, policeGrids: 1, grids: 1, officers: 3, addresses: 0, rosters: 0, leave: 0, pairingRules: 0 },
      }),
    ]);
    expect(JSON.stringify(replaced)).not.toMatch(/试点警格员|小试|值班长/);
    const policeGrids = await service.app.inject({ method: 'GET', url: '/v1/police-grids', headers: bearer(deskToken) });
    expect(policeGrids.json().items.map((p: { code: string }) => p.code)).toEqual(['X-01']);

    const opened = await openCase({ lat: 38.5, lng: 101.5 });
    const [assigned] = await assignedOf(opened.data.caseId);
    expect(assigned).toMatchObject({
      routedBy: 'point',
      gridCode: 'X-01-01',
      assignees: [{ officerId: 'x-officer' }, { officerId: 'x-worker' }],
      decision: { referenceVersion: ok.json().version },
    });

    // Leave is no part of the version: recorded now, it keeps the worker from the very next case.
    const leave = { from: new Date(Date.now() - 3_600_000).toISOString(), until: new Date(Date.now() + 3_600_000).toISOString(), reason: '病假' };
    expect((await service.app.inject({ method: 'POST', url: '/v1/officers/x-worker/leave', headers: bearer(deskToken), payload: leave })).statusCode).toBe(201);
    const onLeave = await openCase({ lat: 38.5, lng: 101.5 });
    const [leaveAssigned] = await assignedOf(onLeave.data.caseId);
    expect(leaveAssigned).toMatchObject({ routedBy: 'point', gridCode: 'X-01-01', assignees: [{ officerId: 'x-officer' }] });
    expect(leaveAssigned!.assignees).toHaveLength(1);
  });
});
