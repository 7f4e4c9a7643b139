import { describe, expect, it } from 'vitest';
import { type CaseEvent, type CaseState, commandOutcome, project } from '../src/domain/project.ts';
import { timelineDetails } from '../src/domain/timeline.ts';

const CASE = 'case-1';
const t = (minutes: number) => new Date(Date.UTC(2026, 2, 1, 8, minutes));
const by = { clientId: 'desk-1', name: '值班员' };

let n = 0;
const ev = <E extends CaseEvent>(type: E['type'], data: E['data'], time = t(n)): CaseEvent =>
  ({ id: `e${++n}`, type, time, data }) as CaseEvent;

const opened = () =>
  ev('gridcase.case.opened.v1', {
    caseId: CASE,
    caseNumber: 'CG-2026-000001',
    reportId: 'r1',
    station: 'CG',
    kind: 'dispute',
    category: 'dispute.neighbour',
    severity: 'yellow',
    title: '邻居吵架',
    description: '隔壁夫妻吵了一整夜',
    location: { gridCode: 'CG-01-01' },
    respondBy: t(30).toISOString(),
    resolveBy: t(600).toISOString(),
    rule: 'test',
    openedAt: t(0).toISOString(),
  });

const assigned = (level = 0, extra: Record<string, unknown> = {}) =>
  ev('gridcase.case.assigned.v1', {
    caseId: CASE,
    level,
    assignees: [
      { officerId: 'o-wang', role: 'officer', name: '王彦军' },
      { officerId: 'w-li', role: 'gridWorker', name: '小李' },
    ],
    policeGridCode: 'PG-01',
    gridCode: 'CG-01-01',
    routedBy: 'gridCode',
    at: t(1).toISOString(),
    ...extra,
  } as never);

const run = (...events: CaseEvent[]) => events.reduce<CaseState | undefined>((s, e) => project(s, e), undefined) as CaseState;

describe('project: case state + event → new case state', () => {
  it('opens a case with its description, deadlines and first report', () => {
    const s = run(opened());
    expect(s).toMatchObject({ caseNumber: 'CG-2026-000001', status: 'open', level: 0, category: 'dispute.neighbour', severity: 'yellow', gridCode: 'CG-01-01', reports: ['r1'], escalations: 0 });
    expect(s.respondBy).toEqual(t(30));
    expect(s.openedAt).toEqual(t(0));
  });

  it("takes the case's grid from the case of record once it routed the case, the sender's until then", () => {
    // Until routed the case is in the sender's grid (community staff see it open); then in the one routing found.
    expect(run(opened()).gridCode).toBe('CG-01-01');
    expect(run(opened(), assigned())).toMatchObject({ gridCode: 'CG-01-01', policeGridCode: 'PG-01' });
    // A grid the station does not have: routed to the desk leader, and the case has no grid.
    const invented = { ...opened(), data: { ...opened().data, location: { gridCode: 'NOPE-99', communityCode: 'nowhere' } } } as CaseEvent;
    const toDesk = assigned(0, { policeGridCode: undefined, gridCode: undefined, routedBy: 'desk', reason: 'gridCode NOPE-99 is not a known community or police grid' });
    expect(run(invented, toDesk)).toMatchObject({ gridCode: null, policeGridCode: null });
    // Seen in the other order, the routed case keeps no grid; a redraw into no grid leaves none either.
    expect(run(toDesk, invented)).toMatchObject({ gridCode: null, policeGridCode: null });
    const redrawnOut = assigned(0, { policeGridCode: undefined, gridCode: undefined, routedBy: 'redrawn' });
    expect(run(opened(), assigned(), redrawnOut)).toMatchObject({ gridCode: null, policeGridCode: null });
  });

  it('assigns owners and the police grid, merges reports once', () => {
    const merged = ev('gridcase.case.report-merged.v1', { caseId: CASE, reportId: 'r2', reason: 'same', mergedAt: t(2).toISOString() });
    const s = run(opened(), assigned(), merged, merged);
    expect(s.assignees.map((a) => a.officerId)).toEqual(['o-wang', 'w-li']);
    expect(s.policeGridCode).toBe('PG-01');
    expect(s.reports).toEqual(['r1', 'r2']);
  });

  it('walks acknowledge → resolve → reopen, keeping the first acknowledgement', () => {
    const ack1 = ev('gridcase.case.acknowledged.v1', { caseId: CASE, commandId: 'c1', by, at: t(5).toISOString() });
    const resolved = ev('gridcase.case.resolved.v1', { caseId: CASE, commandId: 'c2', outcome: 'mediated', note: '调解成功', by, at: t(40).toISOString() });
    let s = run(opened(), assigned(), ack1, resolved);
    expect(s).toMatchObject({ status: 'resolved', outcome: 'mediated' });
    expect(s.resolvedAt).toEqual(t(40));
    const reopened = ev('gridcase.case.reopened.v1', { caseId: CASE, commandId: 'c3', reason: '又吵了', by, respondBy: t(90).toISOString(), resolveBy: t(900).toISOString(), at: t(60).toISOString() });
    s = project(s, reopened);
    expect(s).toMatchObject({ status: 'open', outcome: null, resolvedAt: null });
    expect(s.respondBy).toEqual(t(90));
    s = project(s, ev('gridcase.case.acknowledged.v1', { caseId: CASE, commandId: 'c4', by, at: t(70).toISOString() }));
    expect(s.status).toBe('acknowledged');
    expect(s.acknowledgedAt).toEqual(t(5));
  });

  it('escalates: level up, count up, fresh deadlines; respondBy kept when the event gives none', () => {
    const escalated = ev('gridcase.case.escalated.v1', { caseId: CASE, fromLevel: 0, level: 1, reason: 'resolve-overdue', deadline: t(600).toISOString(), resolveBy: t(800).toISOString(), at: t(601).toISOString() });
    const s = run(opened(), assigned(), escalated);
    expect(s).toMatchObject({ level: 1, escalations: 1 });
    expect(s.resolveBy).toEqual(t(800));
    expect(s.respondBy).toEqual(t(30));
  });

  it('keeps a clock the case was escalated for as missed until its step is done', () => {
    const escalate = (reason: 'respond-overdue' | 'resolve-overdue', level: number, extra: Record<string, unknown> = {}) =>
      ev('gridcase.case.escalated.v1', { caseId: CASE, fromLevel: level - 1, level, reason, deadline: t(30).toISOString(), respondBy: t(60).toISOString(), resolveBy: t(700).toISOString(), at: t(31).toISOString(), ...extra });
    let s = run(opened(), assigned(), escalate('respond-overdue', 1));
    expect(s.missedDeadlines).toEqual(['respond']);
    // Escalated again for the same clock (the next level missed it too): still one miss.
    s = project(s, escalate('respond-overdue', 2));
    expect(s.missedDeadlines).toEqual(['respond']);
    // Held and resumed: the miss waits, it is not forgiven.
    s = project(s, ev('gridcase.case.held.v1', { caseId: CASE, commandId: 'h1', by, reason: '等待鉴定', fromStatus: 'open', at: t(40).toISOString() }));
    s = project(s, ev('gridcase.case.resumed.v1', { caseId: CASE, commandId: 'h2', by, status: 'open', heldMs: 60_000, at: t(41).toISOString() }));
    expect(s.missedDeadlines).toEqual(['respond']);
    s = project(s, ev('gridcase.case.acknowledged.v1', { caseId: CASE, commandId: 'c1', by, at: t(45).toISOString() }));
    expect(s.missedDeadlines).toEqual([]);
    // `kind` names the clock; events from before it only the reason.
    s = project(s, escalate('resolve-overdue', 3, { kind: 'resolve' }));
    expect(s.missedDeadlines).toEqual(['resolve']);
    s = project(s, ev('gridcase.case.resolved.v1', { caseId: CASE, commandId: 'c2', outcome: 'mediated', note: '', by, at: t(800).toISOString() }));
    expect(s.missedDeadlines).toEqual([]);
  });

  it('counts as missed every deadline an escalation names, those past due with it too (alsoPassed)', () => {
    const both = ev('gridcase.case.escalated.v1', { caseId: CASE, fromLevel: 0, level: 1, reason: 'respond-overdue', kind: 'respond', alsoPassed: ['resolve'], deadline: t(30).toISOString(), respondBy: t(60).toISOString(), resolveBy: t(60).toISOString(), at: t(31).toISOString() });
    let s = run(opened(), assigned(), both);
    expect(s).toMatchObject({ level: 1, escalations: 1, missedDeadlines: ['respond', 'resolve'] });
    s = project(s, ev('gridcase.case.acknowledged.v1', { caseId: CASE, commandId: 'c1', by, at: t(45).toISOString() }));
    expect(s.missedDeadlines).toEqual(['resolve']);
  });

  it('drops a missed clock when it is met some other way: resolved unacknowledged, extended, cleared, reopened, closed', () => {
    const escalated = (kind: 'respond' | 'resolve' | 'verify' | 'follow-up') =>
      ev('gridcase.case.escalated.v1', { caseId: CASE, fromLevel: 0, level: 1, reason: `${kind}-overdue` as const, kind, deadline: t(30).toISOString(), resolveBy: t(700).toISOString(), at: t(31).toISOString() });
    const base = run(opened(), assigned(), escalated('respond'), escalated('resolve'));
    expect(base.missedDeadlines).toEqual(['respond', 'resolve']);
    const resolved = project(base, ev('gridcase.case.resolved.v1', { caseId: CASE, commandId: 'c1', outcome: 'mediated', note: '', by, at: t(50).toISOString() }));
    expect(resolved.missedDeadlines).toEqual([]);
    const extended = project(base, ev('gridcase.case.extension-approved.v1', { caseId: CASE, commandId: 'c2', by, until: t(900).toISOString(), at: t(50).toISOString() }));
    expect(extended.missedDeadlines).toEqual(['respond']);
    const verifyMissed = project(resolved, escalated('verify'));
    expect(verifyMissed.missedDeadlines).toEqual(['verify']);
    const verified = project(verifyMissed, ev('gridcase.case.verified.v1', { caseId: CASE, commandId: 'c3', by, result: 'passed', note: '', status: 'follow-up', reworkCount: 0, at: t(60).toISOString() }));
    expect(verified.missedDeadlines).toEqual([]);
    const followUpMissed = project(verified, escalated('follow-up'));
    const followedUp = project(followUpMissed, ev('gridcase.case.followed-up.v1', { caseId: CASE, commandId: 'c4', by, satisfaction: 'unsatisfied', note: '', status: 'acknowledged', reworkCount: 1, at: t(70).toISOString() }));
    expect(followedUp.missedDeadlines).toEqual([]);
    const cleared = project(verifyMissed, ev('gridcase.case.deadlines-set.v1', { caseId: CASE, version: 9, level: 1, running: [], cleared: ['verify'], at: t(61).toISOString() }));
    expect(cleared.missedDeadlines).toEqual([]);
    expect(project(verifyMissed, ev('gridcase.case.closed.v1', { caseId: CASE, reason: 'verified', at: t(61).toISOString() })).missedDeadlines).toEqual([]);
    const reopened = project(verifyMissed, ev('gridcase.case.reopened.v1', { caseId: CASE, commandId: 'c5', reason: '复发', by, respondBy: t(90).toISOString(), resolveBy: t(900).toISOString(), at: t(61).toISOString() }));
    expect(reopened.missedDeadlines).toEqual([]);
  });

  it('keeps the grid when a later assignment names none', () => {
    const s = run(opened(), assigned(), assigned(2, { policeGridCode: undefined, gridCode: undefined, routedBy: 'escalation', assignees: [{ officerId: 'd-1', role: 'deskLeader' }] }));
    expect(s).toMatchObject({ level: 2, policeGridCode: 'PG-01', gridCode: 'CG-01-01' });
    expect(s.assignees).toEqual([{ officerId: 'd-1', role: 'deskLeader' }]);
  });

  it('notes and rejections change only when the case last moved', () => {
    const before = run(opened());
    const note = ev('gridcase.case.note-added.v1', { caseId: CASE, commandId: 'c9', text: '已电话联系', by, at: t(9).toISOString() }, t(9));
    const after = project(before, note);
    expect({ ...after, lastEventAt: before.lastEventAt }).toEqual(before);
    expect(after.lastEventAt).toEqual(t(9));
  });

  it('builds a partial case from an event whose case.opened never came, and completes it when it does', () => {
    const first = assigned();
    const partial = run(first);
    expect(partial).toMatchObject({ caseId: CASE, caseNumber: null, status: 'open', policeGridCode: 'PG-01', assignees: [{ officerId: 'o-wang' }, { officerId: 'w-li' }] });
    expect(partial.openedAt).toEqual(first.time);
    const acked = project(partial, ev('gridcase.case.acknowledged.v1', { caseId: CASE, commandId: 'c1', by, at: t(5).toISOString() }));
    const completed = project(acked, opened());
    expect(completed).toMatchObject({ caseNumber: 'CG-2026-000001', status: 'acknowledged', category: 'dispute.neighbour', reports: ['r1'] });
    expect(completed.openedAt).toEqual(t(0));
  });

  it('carries the traceparent of the latest event that had one', () => {
    const e1 = { ...opened(), traceparent: '00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01' } as CaseEvent;
    const s = run(e1, assigned());
    expect(s.lastTraceparent).toBe(e1.traceparent);
  });
});

describe('project: the life of a case', () => {
  const owner = { clientId: 'c-wang', name: '王彦军', officerId: 'o-wang', roles: ['officer' as const] };
  const sup = { clientId: 'sup-1', name: '所长', roles: ['supervisor' as const] };
  const deadlines = (version: number, running: [string, number, number][], cleared?: string[], time = t(n)) =>
    ev(
      'gridcase.case.deadlines-set.v1',
      {
        caseId: CASE,
        version,
        level: 0,
        running: running.map(([kind, s, d]) => ({ kind, startedAt: t(s).toISOString(), dueAt: t(d).toISOString() })),
        ...(cleared ? { cleared } : {}),
        at: time.toISOString(),
      } as never,
      time,
    );
  const resolved = () => ev('gridcase.case.resolved.v1', { caseId: CASE, commandId: 'c-r', outcome: 'mediated', note: '调解', by: owner, at: t(40).toISOString() });

  it('takes relapse and related cases from case.opened', () => {
    const relapse = { ...opened(), data: { ...opened().data, relapse: true, relatedCaseIds: ['case-0'] } } as CaseEvent;
    expect(run(relapse)).toMatchObject({ relapse: true, relatedCaseIds: ['case-0'], reworkCount: 0, warnings: 0, hold: null, extension: null });
    expect(run(opened())).toMatchObject({ relapse: false, relatedCaseIds: [] });
  });

  it('follows the newest case.deadlines-set: each running clock shows in its field, an older version changes nothing', () => {
    let s = run(opened(), assigned(), deadlines(1, [['respond', 0, 30], ['resolve', 0, 600]]));
    s = project(s, deadlines(3, [['resolve', 0, 700]]));
    expect(s.resolveBy).toEqual(t(700));
    expect(s.respondBy).toEqual(t(30));
    expect(s.deadlinesVersion).toBe(3);
    const stale = project(s, deadlines(2, [['resolve', 0, 650]]));
    expect(stale.resolveBy).toEqual(t(700));
    s = project(s, deadlines(4, [['verify', 40, 3000]]));
    expect(s.verifyBy).toEqual(t(3000));
    s = project(s, deadlines(5, [['follow-up', 50, 9000]]));
    expect(s.followUpBy).toEqual(t(9000));
    // Held: nothing runs, the last deadlines still show.
    s = project(s, deadlines(6, []));
    expect(s).toMatchObject({ deadlinesVersion: 6, followUpBy: t(9000), verifyBy: t(3000) });
  });

  it('shows the clocks a set names cleared as none (rework: reopen, verify failed, follow-up unsatisfied)', () => {
    let s = run(opened(), assigned(), deadlines(1, [['verify', 40, 3000]]), deadlines(2, [['follow-up', 50, 9000]]));
    expect(s).toMatchObject({ verifyBy: t(3000), followUpBy: t(9000) });
    s = project(s, deadlines(3, [['resolve', 70, 5000]], ['verify', 'follow-up']));
    expect(s).toMatchObject({ deadlinesVersion: 3, resolveBy: t(5000), verifyBy: null, followUpBy: null });
  });

  it('remembers who resolved', () => {
    expect(run(opened(), resolved()).resolvedBy).toEqual(owner);
  });

  it('verified passed → follow-up or closed; failed → acknowledged with rework, the resolution gone', () => {
    const passed = ev('gridcase.case.verified.v1', { caseId: CASE, commandId: 'c-v', by: sup, at: t(50).toISOString(), result: 'passed', note: '属实', status: 'follow-up', reworkCount: 0 });
    expect(run(opened(), resolved(), passed)).toMatchObject({ status: 'follow-up', outcome: 'mediated', resolvedAt: t(40) });
    const failed = ev('gridcase.case.verified.v1', { caseId: CASE, commandId: 'c-v2', by: sup, at: t(50).toISOString(), result: 'failed', note: '未处理', status: 'acknowledged', reworkCount: 1 });
    expect(run(opened(), resolved(), failed)).toMatchObject({ status: 'acknowledged', reworkCount: 1, outcome: null, resolvedAt: null });
  });

  it('followed-up unsatisfied → acknowledged with rework; otherwise closed by case.closed', () => {
    const unsatisfied = ev('gridcase.case.followed-up.v1', { caseId: CASE, commandId: 'c-f', by: owner, at: t(60).toISOString(), satisfaction: 'unsatisfied', note: '不满意', status: 'acknowledged', reworkCount: 2 });
    expect(run(opened(), resolved(), unsatisfied)).toMatchObject({ status: 'acknowledged', reworkCount: 2, resolvedAt: null });
    const satisfied = ev('gridcase.case.followed-up.v1', { caseId: CASE, commandId: 'c-f2', by: owner, at: t(60).toISOString(), satisfaction: 'satisfied', note: '满意', status: 'closed', reworkCount: 0 });
    const closed = ev('gridcase.case.closed.v1', { caseId: CASE, reason: 'followed-up', at: t(60).toISOString() });
    expect(run(opened(), resolved(), satisfied, closed)).toMatchObject({ status: 'closed', resolvedAt: t(40), outcome: 'mediated' });
    expect(run(opened(), resolved(), ev('gridcase.case.closed.v1', { caseId: CASE, reason: 'verified', at: t(61).toISOString() })).status).toBe('closed');
  });

  it('reopen takes status and rework from the event; an older event without them means open and one more rework', () => {
    const reopened = (extra: Record<string, unknown>) =>
      ev('gridcase.case.reopened.v1', { caseId: CASE, commandId: 'c-o', reason: '又吵', by: sup, respondBy: t(90).toISOString(), resolveBy: t(900).toISOString(), at: t(70).toISOString(), ...extra } as never);
    expect(run(opened(), resolved(), reopened({ status: 'acknowledged', reworkCount: 3 }))).toMatchObject({ status: 'acknowledged', reworkCount: 3, resolvedAt: null });
    expect(run(opened(), resolved(), reopened({}))).toMatchObject({ status: 'open', reworkCount: 1 });
  });

  it('tracks an extension: pending with its requester, approved (resolveBy moves, counted), rejected', () => {
    const requested = ev('gridcase.case.extension-requested.v1', { caseId: CASE, commandId: 'c-e', by: owner, at: t(10).toISOString(), until: t(900).toISOString(), reason: '需协调多方' });
    const pending = run(opened(), requested);
    expect(pending.extension).toEqual({ until: t(900).toISOString(), reason: '需协调多方', status: 'pending', requestedBy: owner });
    const approved = project(pending, ev('gridcase.case.extension-approved.v1', { caseId: CASE, commandId: 'c-a', by: sup, at: t(11).toISOString(), until: t(900).toISOString() }));
    expect(approved).toMatchObject({ extension: { status: 'approved', reason: '需协调多方' }, extensionsApproved: 1 });
    expect(approved.resolveBy).toEqual(t(900));
    const rejected = project(pending, ev('gridcase.case.extension-rejected.v1', { caseId: CASE, commandId: 'c-j', by: sup, at: t(11).toISOString(), reason: '理由不足' }));
    expect(rejected).toMatchObject({ extension: { status: 'rejected' }, extensionsApproved: 0 });
    expect(rejected.resolveBy).toEqual(t(600));
  });

  it("drops a decided extension when a rework starts a new round, keeping the count; a resume shows the approved one's until the event names (audit6 #15)", () => {
    const requested = ev('gridcase.case.extension-requested.v1', { caseId: CASE, commandId: 'c-e', by: owner, at: t(10).toISOString(), until: t(900).toISOString(), reason: '需协调多方' });
    const approved = ev('gridcase.case.extension-approved.v1', { caseId: CASE, commandId: 'c-a', by: sup, at: t(11).toISOString(), until: t(900).toISOString() });
    const resolvedAt = ev('gridcase.case.resolved.v1', { caseId: CASE, commandId: 'c-r', by: owner, outcome: 'mediated', note: '已调解', at: t(40).toISOString() } as never);
    const failed = ev('gridcase.case.verified.v1', { caseId: CASE, commandId: 'c-v', by: sup, result: 'failed', note: '未解决', status: 'acknowledged', reworkCount: 1, at: t(50).toISOString() } as never);
    const reworked = run(opened(), requested, approved, resolvedAt, failed);
    expect(reworked).toMatchObject({ status: 'acknowledged', extension: null, extensionsApproved: 1 });
    const reopened = ev('gridcase.case.reopened.v1', { caseId: CASE, commandId: 'c-o', reason: '又吵', by: sup, status: 'acknowledged', reworkCount: 1, respondBy: t(90).toISOString(), resolveBy: t(1900).toISOString(), at: t(70).toISOString() } as never);
    expect(run(opened(), requested, approved, resolvedAt, reopened)).toMatchObject({ extension: null, extensionsApproved: 1 });
    // A request still pending is still to be decided.
    expect(run(opened(), requested, resolvedAt, failed).extension).toMatchObject({ status: 'pending' });
    const held = ev('gridcase.case.held.v1', { caseId: CASE, commandId: 'c-h', by: sup, at: t(20).toISOString(), reason: '等待鉴定', fromStatus: 'open' });
    // The until the case of record names, not one worked out from heldMs (t(900) + 3.2 s).
    const resumed = (extensionUntil?: string) =>
      ev('gridcase.case.resumed.v1', { caseId: CASE, commandId: 'c-u', by: sup, at: t(80).toISOString(), status: 'open', heldMs: 3_200, ...(extensionUntil ? { extensionUntil } : {}) });
    expect(run(opened(), requested, approved, held, resumed(t(960).toISOString())).extension).toMatchObject({ status: 'approved', until: t(960).toISOString() });
    // An event from before extensionUntil leaves the extension as it was.
    expect(run(opened(), requested, approved, held, resumed()).extension).toMatchObject({ status: 'approved', until: t(900).toISOString() });
  });

  it('holds (挂账) and resumes to the status the event names', () => {
    const ack = ev('gridcase.case.acknowledged.v1', { caseId: CASE, commandId: 'c1', by: owner, at: t(5).toISOString() });
    const held = ev('gridcase.case.held.v1', { caseId: CASE, commandId: 'c-h', by: sup, at: t(20).toISOString(), reason: '等待鉴定', until: t(2000).toISOString(), fromStatus: 'acknowledged' });
    const s = run(opened(), ack, held);
    expect(s).toMatchObject({ status: 'on-hold', hold: { since: t(20).toISOString(), reason: '等待鉴定', until: t(2000).toISOString() } });
    const resumed = project(s, ev('gridcase.case.resumed.v1', { caseId: CASE, commandId: 'c-u', by: sup, at: t(80).toISOString(), status: 'acknowledged', heldMs: 3_600_000 }));
    expect(resumed).toMatchObject({ status: 'acknowledged', hold: null });
  });

  it("takes a hold's expiry as history; the system's resume that follows brings the case back", () => {
    const held = ev('gridcase.case.held.v1', { caseId: CASE, commandId: 'c-h', by: sup, at: t(20).toISOString(), reason: '等待鉴定', until: t(80).toISOString(), fromStatus: 'open' });
    const s = run(opened(), held);
    const expired = project(s, ev('gridcase.case.hold-expired.v1', { caseId: CASE, until: t(80).toISOString(), version: 2, at: t(80).toISOString() }, t(80)));
    expect({ ...expired, lastEventAt: s.lastEventAt }).toEqual(s);
    const resumed = project(
      expired,
      ev('gridcase.case.resumed.v1', { caseId: CASE, commandId: 'fact-1', by: { clientId: 'system' }, at: t(80).toISOString(), status: 'open', heldMs: 3_600_000, reason: 'hold-expired' }),
    );
    expect(resumed).toMatchObject({ status: 'open', hold: null });
    expect(timelineDetails(t(80), { by: { clientId: 'system' }, reason: 'hold-expired', at: t(80).toISOString() })).toMatchObject({ actor: { clientId: 'system' }, reason: 'hold-expired' });
  });

  it("shows a hold's until normalised like every other instant, and leaves it out when none was given (until?)", () => {
    const held = (until?: string) =>
      run(opened(), ev('gridcase.case.held.v1', { caseId: CASE, commandId: 'c-h', by: sup, at: t(20).toISOString(), reason: '等待法院', ...(until ? { until } : {}), fromStatus: 'open' })).hold;
    // An event of before the case of record normalised it carries the client's string.
    expect(held('2026-03-09T09:00:00+08:00')).toEqual({ since: t(20).toISOString(), reason: '等待法院', until: '2026-03-09T01:00:00.000Z' });
    expect(held()).toEqual({ since: t(20).toISOString(), reason: '等待法院' });
  });

  it('counts 催办 warnings; a passed deadline alone changes nothing but when the case last moved', () => {
    const warning = (kind: string, v: number) => ev('gridcase.case.deadline-warning.v1', { caseId: CASE, kind, dueAt: t(30).toISOString(), version: v, at: t(23).toISOString() } as never);
    const s = run(opened(), warning('respond', 1), warning('resolve', 1));
    expect(s.warnings).toBe(2);
    const passed = project(s, ev('gridcase.case.deadline-passed.v1', { caseId: CASE, kind: 'respond', dueAt: t(30).toISOString(), version: 1, at: t(30).toISOString() }, t(30)));
    expect({ ...passed, lastEventAt: s.lastEventAt }).toEqual(s);
  });
});

describe('timelineDetails', () => {
  it('shows when, who (without roles) and the note or reason an event carries', () => {
    const time = t(99);
    expect(timelineDetails(time, { at: t(5).toISOString(), by: { clientId: 'c-wang', name: '王', officerId: 'o-wang', roles: ['officer'] }, note: '已到场' })).toEqual({
      at: t(5).toISOString(),
      actor: { clientId: 'c-wang', name: '王', officerId: 'o-wang' },
      note: '已到场',
      reason: null,
    });
    expect(timelineDetails(time, { reason: '等待鉴定', by: { clientId: 'sup-1' }, at: t(6).toISOString() })).toMatchObject({ actor: { clientId: 'sup-1' }, reason: '等待鉴定', note: null });
    expect(timelineDetails(time, { text: '电话联系', by: { clientId: 'x' } }).note).toBe('电话联系');
    expect(timelineDetails(time, { openedAt: t(0).toISOString() })).toEqual({ at: t(0).toISOString(), actor: null, note: null, reason: null });
    expect(timelineDetails(time, {}).at).toBe(time.toISOString());
  });
});

describe('commandOutcome', () => {
  it('marks a command applied by any event carrying its id, rejected by case.command-rejected', () => {
    expect(commandOutcome(ev('gridcase.case.acknowledged.v1', { caseId: CASE, commandId: 'c1', by, at: t(5).toISOString() }))).toEqual({ commandId: 'c1', status: 'applied' });
    expect(commandOutcome(assigned(0, { commandId: 'c2', routedBy: 'reassign' }))).toEqual({ commandId: 'c2', status: 'applied' });
    expect(commandOutcome(ev('gridcase.case.command-rejected.v1', { caseId: CASE, commandId: 'c3', command: 'acknowledge', reason: 'case is resolved', at: t(5).toISOString() }))).toEqual({ commandId: 'c3', status: 'rejected', reason: 'case is resolved', code: null });
    expect(commandOutcome(ev('gridcase.case.command-rejected.v1', { caseId: CASE, commandId: 'c4', command: 'verify', reason: 'resolved it yourself', code: 'forbidden', at: t(5).toISOString() }))).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(commandOutcome(opened())).toBeUndefined();
    expect(commandOutcome(assigned())).toBeUndefined();
  });
});
