import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, isolatedEnv } from '../harness.ts';
import { Stack } from '../stack.ts';
import { type Client, Station } from './station.ts';

interface TimelineEntry {
  type: string;
  at?: string;
  actor?: { clientId: string; officerId?: string } | null;
  note?: string | null;
  reason?: string | null;
}

const ms = (iso: string) => Date.parse(iso);

describe('the life of a case (CONTRACT.md "The life of a case") on the real stack', () => {
  let stack: Stack;
  let st: Station;

  beforeAll(async () => {
    stack = await Stack.start(isolatedEnv);
    st = await Station.open(stack);
  });

  afterAll(async () => {
    await st?.close();
    await stack?.stop();
  });

  /** Intake's report view and Open311 request once intake shows the case in `status` (read as admin: no rate limit). */
  const intakeAt = (reportId: string, status: string) =>
    eventually(`intake to show case status ${status}`, async () => {
      const view = (await stack.call('intake', 'GET', `/v1/reports/${reportId}`)).body;
      if (view?.case?.status !== status) return undefined;
      const [request] = (await stack.call('intake', 'GET', `/open311/v2/requests/${reportId}.json`)).body;
      return { view, request };
    });

  /** A case no escalation touched, shown by the topic once a later deadline (the marker's) has escalated. */
  const markerEscalates = async (after: number) => {
    const { caseId } = await st.openCase({ respondBy: new Date(after + 1000).toISOString(), description: `标记案件 ${Date.now()}` });
    await st.cases.waitFor(`marker ${caseId} escalated`, (r) => st.is(r, 'escalated') && r.key === caseId, 1, 90_000);
  };

  it('walks one case from open to closed with two people: the grid officer resolves, a supervisor verifies', async () => {
    const grid = st.grids[2]!;
    const officer = st.officerOf(grid, 'officer');
    const lead = st.officerOf(grid, 'lead');
    // The grid officer also holds the supervisor role, so refusing their verify proves the "not the resolver" rule, not a role check.
    const owner: Client = await st.client(officer.name, ['officer', 'supervisor'], officer.officerId);
    const supervisor: Client = await st.client(lead.name, ['supervisor'], lead.officerId);

    const { reportId, caseId } = await st.openCase({
      location: { gridCode: grid.code },
      description: '宝河苑3号楼楼上漏水，两户邻居为赔偿争吵多次',
      reporter: { name: '李秀兰', phone: '13912345678' },
    });
    const [opened] = st.events(caseId, 'opened');
    // A named reporter who can be reached: follow-up (回访) is required.
    expect(opened!.data.reporter).toEqual({ anonymous: false, hasContact: true });
    expect(opened!.data.budgets).toMatchObject({ respond: expect.any(Object), resolve: expect.any(Object) });

    const ack = await st.command(owner, caseId, 'acknowledge', { note: '已电话联系双方，今晚上门' });
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);
    expect(ack.body.status).toBe('acknowledged');
    expect((await intakeAt(reportId, 'acknowledged')).request.status).toBe('open');

    const resolved = await st.command(owner, caseId, 'resolve', { outcome: 'mediated', note: '双方达成调解协议，楼上负责维修' });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', outcome: 'mediated' });
    expect(resolved.body.verifyBy).toEqual(expect.any(String));
    expect((await intakeAt(reportId, 'resolved')).request.status).toBe('open');

    const byResolver = await st.command(owner, caseId, 'verify', { result: 'passed', note: '自己核查' });
    expect(byResolver.status, JSON.stringify(byResolver.body)).toBe(403);
    expect(byResolver.body.detail).toEqual(expect.any(String));

    const verified = await st.command(supervisor, caseId, 'verify', { result: 'passed', note: '现场核查，已维修' });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.status).toBe('follow-up');
    expect(verified.body.followUpBy).toEqual(expect.any(String));
    expect((await intakeAt(reportId, 'follow-up')).request.status).toBe('open');

    // The 回访 call needs the reporter's number: the desk relays intake's answer for the caller's token, and intake audits the read.
    const reporters = await stack.call('desk', 'GET', `/v1/cases/${caseId}/reporters`, { token: owner.token });
    expect(reporters.status, JSON.stringify(reporters.body)).toBe(200);
    expect(reporters.headers.get('cache-control')).toBe('no-store');
    expect(reporters.body).toEqual({ caseId, items: [expect.objectContaining({ reportId, name: '李秀兰', phone: '13912345678', masked: false })] });
    const audited = await stack.call('intake', 'GET', `/v1/audit?actor=${owner.clientId}`);
    expect(audited.body.items, JSON.stringify(audited.body)).toContainEqual(expect.objectContaining({ action: 'reporter.read', target: `report:${reportId}` }));
    const community = await st.client('社区网格员', ['community'], st.officerOf(grid, 'gridWorker').officerId);
    expect((await stack.call('desk', 'GET', `/v1/cases/${caseId}/reporters`, { token: community.token })).status).toBe(403);
    // Need to know (audit9 #8): an owner with no other role sees the reporter whole; an officer of another police grid
    // learns there is a reporter to call back, not who.
    const reportersFor = async (client: Client) => (await stack.call('desk', 'GET', `/v1/cases/${caseId}/reporters`, { token: client.token })).body;
    const plainOwner = await st.client(`${officer.name} (officer only)`, ['officer'], officer.officerId);
    expect(await reportersFor(plainOwner)).toEqual({ caseId, items: [expect.objectContaining({ reportId, name: '李秀兰', phone: '13912345678', masked: false })] });
    const elsewhere = st.officerOf(st.grids.find((g) => g.policeGridCode !== grid.policeGridCode)!, 'officer');
    const stranger = await st.client(elsewhere.name, ['officer'], elsewhere.officerId);
    expect(await reportersFor(stranger)).toEqual({ caseId, items: [expect.objectContaining({ reportId, name: '李**', phone: '139****5678', masked: true })] });

    const followedUp = await st.command(owner, caseId, 'follow-up', { satisfaction: 'satisfied', note: '电话回访李女士，表示满意' });
    expect(followedUp.status, JSON.stringify(followedUp.body)).toBe(200);
    expect(followedUp.body.status).toBe('closed');

    const { view } = await intakeAt(reportId, 'closed');
    expect(view.status).toBe('assigned');
    // The sender's own read, once: closed only now.
    const [request] = (await stack.call('intake', 'GET', `/open311/v2/requests/${reportId}.json`, { token: st.reporter.token })).body;
    expect(request).toMatchObject({ status: 'closed', status_notes: expect.stringContaining('closed') });

    const timeline: TimelineEntry[] = await eventually('the timeline to end with case.closed', async () => {
      const t = (await st.deskCase(caseId)).body?.timeline as TimelineEntry[] | undefined;
      return t?.some((e) => e.type === 'gridcase.case.closed.v1') ? t : undefined;
    });
    const step = (type: string) => {
      const i = timeline.findIndex((e) => e.type === `gridcase.case.${type}.v1`);
      expect(i, `${type} on the timeline`).toBeGreaterThanOrEqual(0);
      expect(timeline[i]!.at, `${type} has at`).toEqual(expect.any(String));
      return { i, entry: timeline[i]! };
    };
    const steps = [
      [step('acknowledged'), owner, officer.officerId, '已电话联系双方，今晚上门'],
      [step('resolved'), owner, officer.officerId, '双方达成调解协议，楼上负责维修'],
      [step('verified'), supervisor, lead.officerId, '现场核查，已维修'],
      [step('followed-up'), owner, officer.officerId, '电话回访李女士，表示满意'],
    ] as const;
    for (const [{ entry }, client, officerId, note] of steps) {
      expect(entry, entry.type).toMatchObject({ actor: { clientId: client.clientId, officerId }, note });
    }
    const order = [...steps.map(([s]) => s.i), step('closed').i];
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('holds a case so nothing escalates, and on resume moves every running deadline later by the time held', async () => {
    const supervisor = await st.client('李教导员', ['supervisor']);
    const respondBy = new Date(Date.now() + 15_000).toISOString();
    const { caseId } = await st.openCase({ respondBy, description: `挂账：等待房屋鉴定 ${Date.now()}` });
    const before = await eventually('the desk to show the case', async () => {
      const c = (await st.deskCase(caseId)).body;
      return c?.respondBy ? c : undefined;
    });

    const held = await st.command(supervisor, caseId, 'hold', { reason: '等待房屋安全鉴定结论' });
    expect(held.status, JSON.stringify(held.body)).toBe(200);
    expect(held.body).toMatchObject({ status: 'on-hold', hold: { reason: '等待房屋安全鉴定结论', since: expect.any(String) } });

    await markerEscalates(ms(respondBy));
    expect(st.events(caseId, 'escalated'), 'escalations of the held case').toEqual([]);

    const resumed = await st.command(supervisor, caseId, 'resume', { note: '鉴定结论已出' });
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'open', hold: null });
    const [event] = await st.cases.waitFor('case.resumed', (r) => st.is(r, 'resumed') && r.key === caseId);
    const heldMs: number = (event!.message!.data as { heldMs: number }).heldMs;
    expect(heldMs).toBeGreaterThan(0);

    const after = await eventually('the desk to show the moved deadlines', async () => {
      const c = (await st.deskCase(caseId)).body;
      return c?.respondBy && c.respondBy !== before.respondBy ? c : undefined;
    });
    expect(ms(after.respondBy) - ms(before.respondBy)).toBe(heldMs);
    expect(ms(after.resolveBy) - ms(before.resolveBy)).toBe(heldMs);

    // The moved deadline is not lost: it passes and escalates once, at its new time.
    const [escalated] = await st.cases.waitFor('the resumed case escalated', (r) => st.is(r, 'escalated') && r.key === caseId, 1, 90_000);
    const data = escalated!.message!.data as { reason: string; level: number; deadline: string };
    expect(data).toMatchObject({ reason: 'respond-overdue', level: 1 });
    expect(ms(data.deadline)).toBe(ms(after.respondBy));
  });

  it('resumes by itself a case held until an instant once it passes: by the system, its deadlines moved later by the time held', async () => {
    const supervisor = await st.client('李教导员', ['supervisor']);
    const { caseId } = await st.openCase({ description: `挂账到期：等待当事人出院 ${Date.now()}` });
    const before = await eventually('the desk to show the case', async () => {
      const c = (await st.deskCase(caseId)).body;
      return c?.respondBy ? c : undefined;
    });

    const until = new Date(Date.now() + 5_000).toISOString();
    const held = await st.command(supervisor, caseId, 'hold', { reason: '等待当事人出院', until });
    expect(held.status, JSON.stringify(held.body)).toBe(200);
    expect(held.body).toMatchObject({ status: 'on-hold', hold: { until } });

    // Nobody resumes it: the hold's end does.
    const [event] = await st.cases.waitFor('case.resumed by itself', (r) => st.is(r, 'resumed') && r.key === caseId, 1, 60_000);
    const data = event!.message!.data as { status: string; heldMs: number; at: string; reason?: string; by: { clientId: string } };
    expect(data).toMatchObject({ status: 'open', reason: 'hold-expired', by: { clientId: 'system' } });
    expect(ms(data.at)).toBeGreaterThanOrEqual(ms(until));
    expect(st.events(caseId, 'hold-expired').map((e) => e.data)).toEqual([expect.objectContaining({ caseId, until })]);

    const after = await eventually('the desk to show the case back, its deadlines moved', async () => {
      const c = (await st.deskCase(caseId)).body;
      return c?.status === 'open' && c.respondBy !== before.respondBy ? c : undefined;
    });
    expect(after.hold).toBeNull();
    expect(ms(after.respondBy) - ms(before.respondBy)).toBe(data.heldMs);
    expect(ms(after.resolveBy) - ms(before.resolveBy)).toBe(data.heldMs);
    const timeline = after.timeline as TimelineEntry[];
    expect(timeline.find((e) => e.type === 'gridcase.case.resumed.v1')).toMatchObject({ actor: { clientId: 'system' }, reason: 'hold-expired' });
  });

  it('refuses a reassign that puts a grid worker on a tip or on a case of another grid: 400 naming officerIds.N, a rejection without wait', async () => {
    const [grid, other] = [st.grids[6]!, st.grids[7]!];
    const worker = st.officerOf(grid, 'gridWorker');
    const stranger = st.officerOf(other, 'gridWorker');
    expect(stranger.gridCode).not.toBe(worker.gridCode);
    const assignees = async (caseId: string) => ((await st.deskCase(caseId)).body?.assignees as { officerId: string; role: string }[] | undefined)?.map((a) => `${a.role} ${a.officerId}`).sort() ?? [];
    const projected = (caseId: string) => eventually(`the desk to show ${caseId}'s owners`, async () => ((await assignees(caseId)).length ? assignees(caseId) : undefined));
    /** The refusal, as the desk answers an unknown officer: a validation problem naming the field, without the id or the name. */
    const expectRefused = (res: { status: number; body: any }, path: string, message: RegExp, person: { officerId: string; name: string }) => {
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body).toMatchObject({ type: 'urn:gridcase:problem:validation', errors: [{ path, message: expect.stringMatching(message) }] });
      expect(JSON.stringify(res.body)).not.toContain(person.officerId);
      expect(JSON.stringify(res.body)).not.toContain(person.name);
    };

    // CONTRACT.md "Scope and roles": tip.* cases are never assigned to a grid worker, not by routing, not by a person.
    const tip = await st.openCase({ location: { gridCode: grid.code }, category: 'tip.fraud', description: `举报：有人冒充客服打电话骗取验证码 ${Date.now()}` });
    const police = await projected(tip.caseId);
    expect(police).toEqual([expect.stringMatching(/^officer /)]);
    const officerId = police[0]!.split(' ')[1]!;
    expectRefused(await st.command(st.desk, tip.caseId, 'reassign', { officerIds: [officerId, worker.officerId] }), 'officerIds.1', /tip/, worker);
    expect(await assignees(tip.caseId)).toEqual(police);

    // A grid worker of another grid could not even see the case with their own token.
    const { caseId } = await st.openCase({ location: { gridCode: grid.code } });
    const pair = await projected(caseId);
    expect(pair).toContain(`gridWorker ${worker.officerId}`);
    expectRefused(await st.command(st.desk, caseId, 'reassign', { officerIds: [stranger.officerId] }), 'officerIds.0', /own community grid/, stranger);
    // Without wait the command is taken (202), and the case of record rejects it naming the field.
    const queued = await st.command(st.desk, caseId, 'reassign', { officerIds: [officerId, stranger.officerId] }, false);
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    const [rejected] = await st.cases.waitFor('the reassign rejected', (r) => st.is(r, 'command-rejected') && r.key === caseId && (r.message!.data as { commandId: string }).commandId === queued.body.commandId);
    expect(rejected!.message!.data).toMatchObject({ command: 'reassign', code: 'invalid', errors: [{ path: 'officerIds.1' }] });
    expect(await assignees(caseId)).toEqual(pair);

    // The case's own grid worker may still take it alone.
    const moved = await st.command(st.desk, caseId, 'reassign', { officerIds: [worker.officerId] });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.assignees.map((a: { officerId: string }) => a.officerId)).toEqual([worker.officerId]);
  });

  it('lets only the desk, a supervisor or an officer who owns a case reassign it, with its reason on the timeline; the grid worker who owns it adds notes', async () => {
    const grid = st.grids[3]!;
    const other = st.grids.find((g) => g.policeGridCode !== grid.policeGridCode)!;
    const [officer, worker, lead, stranger] = [st.officerOf(grid, 'officer'), st.officerOf(grid, 'gridWorker'), st.officerOf(grid, 'lead'), st.officerOf(other, 'officer')];
    const owner = await st.client(officer.name, ['officer'], officer.officerId);
    const outsider = await st.client(stranger.name, ['officer'], stranger.officerId);
    const community = await st.client(worker.name, ['community'], worker.officerId);
    const { caseId } = await st.openCase({ location: { gridCode: grid.code }, description: `宝河苑${Date.now()}号楼两户邻居因楼道堆物争吵` });
    const owners = async () => ((await st.deskCase(caseId)).body?.assignees as { officerId: string }[] | undefined)?.map((a) => a.officerId) ?? [];
    expect(await eventually('the desk to show the owners', async () => ((await owners()).length ? owners() : undefined))).toContain(officer.officerId);

    // audit4 #1: an officer of another grid may not take the case; the grid worker owns it but is no officer.
    const taken = await st.command(outsider, caseId, 'reassign', { officerIds: [stranger.officerId] });
    expect(taken.status, JSON.stringify(taken.body)).toBe(403);
    expect(taken.body.detail).toMatch(/reassign needs an officer who owns the case.*not an owner/);
    const byWorker = await st.command(community, caseId, 'reassign', { officerIds: [worker.officerId] });
    expect(byWorker.status, JSON.stringify(byWorker.body)).toBe(403);
    expect(byWorker.body.detail).toContain('an owner but not an officer token');
    // audit4 #8: the grid worker records progress on its own case.
    const noted = await st.command(community, caseId, 'notes', { text: '已上门了解情况，双方情绪平稳' });
    expect(noted.status, JSON.stringify(noted.body)).toBe(200);
    // audit4 #2: no resolve without a written note.
    const bare = await st.command(owner, caseId, 'resolve', { outcome: 'mediated' });
    expect(bare.status, JSON.stringify(bare.body)).toBe(400);
    expect(bare.body.errors).toEqual([{ path: 'note', message: expect.any(String) }]);

    const handed = await st.command(owner, caseId, 'reassign', { officerIds: [lead.officerId], reason: '本人明日起休假，交片区长跟进' });
    expect(handed.status, JSON.stringify(handed.body)).toBe(200);
    expect(handed.body.assignees.map((a: { officerId: string }) => a.officerId)).toEqual([lead.officerId]);
    // No longer an owner, the officer cannot take it back.
    expect((await st.command(owner, caseId, 'reassign', { officerIds: [officer.officerId] })).status).toBe(403);
    expect(await owners()).toEqual([lead.officerId]);

    const timeline = handed.body.timeline as TimelineEntry[];
    expect(timeline.find((e) => e.type === 'gridcase.case.note-added.v1')).toMatchObject({ actor: { clientId: community.clientId, officerId: worker.officerId }, note: '已上门了解情况，双方情绪平稳' });
    expect(timeline.at(-1)).toMatchObject({ type: 'gridcase.case.assigned.v1', actor: { clientId: owner.clientId }, reason: '本人明日起休假，交片区长跟进' });
  });

  it('keeps a case that missed its respond deadline overdue after the escalation gave it a fresh one, until it is acknowledged', async () => {
    const respondBy = new Date(Date.now() + 5_000).toISOString();
    const { caseId } = await st.openCase({ respondBy, description: `有人拿着刀在小区门口威胁要砍人 ${Date.now()}` });
    const [escalated] = await st.cases.waitFor('the unacknowledged case escalated', (r) => st.is(r, 'escalated') && r.key === caseId, 1, 90_000);
    expect(escalated!.message!.data).toMatchObject({ reason: 'respond-overdue', level: 1 });
    const desk = st.desk.token;
    const escalatedCase = await eventually('the desk to show the escalation', async () => {
      const c = (await st.deskCase(caseId)).body;
      return c?.escalations >= 1 ? c : undefined;
    });
    // The next level's respondBy is a fresh one, not the one missed; the case is overdue all the same.
    expect(ms(escalatedCase.respondBy)).toBeGreaterThan(ms(respondBy));
    expect(escalatedCase).toMatchObject({ status: 'open', overdue: true });
    const overdueIds = async () =>
      ((await stack.call('desk', 'GET', '/v1/cases?overdue=true&limit=200', { token: desk })).body.items as { caseId: string }[]).map((c) => c.caseId);
    expect(await overdueIds()).toContain(caseId);
    const queues = (await stack.call('desk', 'GET', '/v1/queues', { token: desk })).body;
    const queue = queues.policeGrids.find((q: { policeGridCode: string | null }) => q.policeGridCode === escalatedCase.policeGridCode);
    expect(queue?.overdue).toBeGreaterThanOrEqual(1);
    const owner = escalatedCase.assignees[0].officerId;
    expect(queues.officers.find((o: { officerId: string }) => o.officerId === owner)?.overdue).toBeGreaterThanOrEqual(1);

    const acked = await st.command(st.desk, caseId, 'acknowledge', { note: '已派警' });
    expect(acked.status, JSON.stringify(acked.body)).toBe(200);
    expect(acked.body).toMatchObject({ status: 'acknowledged', overdue: false });
    expect(await overdueIds()).not.toContain(caseId);
  });

  it('extends resolveBy on approval: one pending request at a time, never approved by the requester', async () => {
    const grid = st.grids[5]!;
    const officer = st.officerOf(grid, 'officer');
    // An owner who may also supervise: refusing their approval proves the "not the requester" rule.
    const owner = await st.client(officer.name, ['officer', 'supervisor'], officer.officerId);
    const supervisor = await st.client('张所长', ['supervisor']);
    const resolveBy = new Date(Date.now() + 20_000).toISOString();
    const { reportId, caseId } = await st.openCase({
      location: { gridCode: grid.code },
      respondBy: new Date(Date.now() + 19_000).toISOString(),
      resolveBy,
      description: `欠薪纠纷：需等待老板回来协商 ${Date.now()}`,
    });
    expect((await st.command(owner, caseId, 'acknowledge', { note: '已受理' })).status).toBe(200);

    const until = new Date(ms(resolveBy) + 3_600_000).toISOString();
    const asked = await st.command(owner, caseId, 'extension', { until, reason: '老板出差，下周回来' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect(asked.body.extension).toMatchObject({ status: 'pending', reason: '老板出差，下周回来' });
    expect(ms(asked.body.extension.until)).toBe(ms(until));

    const again = await st.command(owner, caseId, 'extension', { until: new Date(ms(until) + 3_600_000).toISOString(), reason: '再延' });
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    const selfApproved = await st.command(owner, caseId, 'extension/approve', { note: '自批' });
    expect(selfApproved.status, JSON.stringify(selfApproved.body)).toBe(403);

    const approved = await st.command(supervisor, caseId, 'extension/approve', { note: '同意延期' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.extension).toMatchObject({ status: 'approved' });
    const moved = await eventually('the desk to show the new resolveBy', async () => {
      const c = (await st.deskCase(caseId)).body;
      return c && ms(c.resolveBy) === ms(until) ? c : undefined;
    });
    expect(moved.status).toBe('acknowledged');
    await eventually('Open311 expected_datetime to follow', async () => {
      const [request] = (await stack.call('intake', 'GET', `/open311/v2/requests/${reportId}.json`)).body;
      return ms(request.expected_datetime) === ms(until) ? true : undefined;
    });

    // The old resolveBy passes without escalating the case.
    await markerEscalates(ms(resolveBy));
    expect(st.events(caseId, 'escalated'), 'escalations of the extended case').toEqual([]);
  });
});
