import type { Actor, DataOf } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { type CaseCommand, type CaseRecord, type CommandDecision, decideCommand, decideHoldExpired, decideReportMerged, openCase, reporterAfterMerge } from '../src/domain/case.ts';
import { DEMO_STATION } from '../src/domain/demo-station.ts';
import { calendar, DEMO_ROSTERED, minutes, NIGHT, opened, T0 } from './fixtures.ts';

const owner: Actor = { clientId: 'officer-app-1', name: '王彦军', officerId: 'officer-CG-01', roles: ['officer'] };
const worker: Actor = { clientId: 'worker-app-1', officerId: 'worker-CG-01-01', roles: ['officer'] };
const stranger: Actor = { clientId: 'officer-app-2', officerId: 'officer-CG-02', roles: ['officer'] };
const desk: Actor = { clientId: 'desk-1', name: '值班员', roles: ['desk'] };
const supervisor: Actor = { clientId: 'sup-1', name: '所领导', roles: ['supervisor'] };
const admin: Actor = { clientId: 'admin-1', roles: ['admin'] };

type Opened = DataOf<'gridcase.case.opened.v1'>;

const newCase = (extra: Partial<Opened> = {}) => openCase(opened(extra), DEMO_STATION, T0).record;

let n = 0;
const command = (type: CaseCommand['type'], by: Actor, extra: Record<string, unknown> = {}) =>
  ({ type, data: { commandId: `cmd-${++n}`, caseId: 'case-1', by, issuedAt: T0.toISOString(), ...extra } }) as unknown as CaseCommand;

const decide = (record: CaseRecord | undefined, cmd: CaseCommand, now = minutes(5)) => decideCommand(record, cmd, { now, officers: DEMO_STATION.officers, calendar });

const accepted = (d: CommandDecision) => {
  if (d.kind !== 'accepted') throw new Error(`expected accepted, got ${d.code}: ${d.reason}`);
  return d;
};
const types = (d: CommandDecision) => d.events.map((e) => e.type.replace(/^gridcase\.case\.|\.v1$/g, ''));
const dataOf = (d: CommandDecision, type: string) => d.events.find((e) => e.type === `gridcase.case.${type}.v1`)?.data as Record<string, unknown>;

const ACK = 'gridcase.case-command.acknowledge.v1';
const RESOLVE = 'gridcase.case-command.resolve.v1';
const VERIFY = 'gridcase.case-command.verify.v1';
const FOLLOW_UP = 'gridcase.case-command.follow-up.v1';
const EXTENSION = 'gridcase.case-command.extension.v1';
const APPROVE = 'gridcase.case-command.extension-approve.v1';
const REJECT = 'gridcase.case-command.extension-reject.v1';
const HOLD = 'gridcase.case-command.hold.v1';
const RESUME = 'gridcase.case-command.resume.v1';
const REOPEN = 'gridcase.case-command.reopen.v1';
const NOTE = 'gridcase.case-command.note.v1';
const REASSIGN = 'gridcase.case-command.reassign.v1';

const acknowledged = () => accepted(decide(newCase(), command(ACK, owner))).record;
const resolved = (outcome = 'mediated', extra: Partial<Opened> = {}, by = owner) =>
  accepted(decide(accepted(decide(newCase(extra), command(ACK, by))).record, command(RESOLVE, by, { outcome, note: '调解成功' }))).record;

describe('opening a case', () => {
  it('records it at level 0, deadline version 1, with the pair, and emits case.assigned and case.deadlines-set', () => {
    const { record, events } = openCase(opened({ relapse: true, relatedCaseIds: ['case-0'] }), DEMO_STATION, T0);
    expect(record).toMatchObject({ status: 'open', level: 0, deadlineVersion: 1, reworkCount: 0, relapse: true, relatedCaseIds: ['case-0'], reporter: { anonymous: false } });
    expect(record.budgets).toEqual({ respond: { minutes: 120 }, resolve: { workingDays: 5 } });
    expect(events.map((e) => e.type)).toEqual(['gridcase.case.assigned.v1', 'gridcase.case.deadlines-set.v1']);
    expect(events[0]?.data).toMatchObject({ level: 0, routedBy: 'gridCode', assignees: [{ officerId: 'officer-CG-01' }, { officerId: 'worker-CG-01-01' }] });
    expect(events[1]?.data).toEqual({
      caseId: 'case-1',
      station: DEMO_STATION.station.code,
      version: 1,
      level: 0,
      running: [
        { kind: 'respond', startedAt: T0.toISOString(), dueAt: minutes(120).toISOString() },
        // Working days: warned at 75 % of the office hours from Monday 09:00 to Thursday 09:00 (27 h), Wednesday 11:15.
        { kind: 'resolve', startedAt: T0.toISOString(), dueAt: minutes(72 * 60).toISOString(), warnAt: '2026-03-04T03:15:00.000Z' },
      ],
      at: T0.toISOString(),
    });
  });

  it('gives a red case the grid officer too, whatever its category (audit: 有人在天台要跳楼 as service.general)', () => {
    const jump = opened({ category: 'service.general', severity: 'red', description: '有人在天台要跳楼', location: { gridCode: 'CG-10-01' } });
    const { record, events } = openCase(jump, DEMO_STATION, T0);
    const owners = [
      { officerId: 'officer-CG-10', role: 'officer' },
      { officerId: 'worker-CG-10-01', role: 'gridWorker' },
    ];
    expect(record.assignees).toMatchObject(owners);
    expect(events[0]?.data).toMatchObject({ routedBy: 'gridCode', assignees: owners, decision: { rule: 'service-worker+risk-needs-officer' } });
    // The same request graded service stays the grid worker's.
    expect(openCase({ ...jump, severity: 'service' }, DEMO_STATION, T0).record.assignees).toMatchObject([{ officerId: 'worker-CG-10-01' }]);
  });

  it('gives a red case opened at night, its grid officer off duty, to the lead on duty at once; orange stays with the officer', () => {
    const fight = opened({ category: 'dispute.fight', severity: 'red', location: { gridCode: 'CG-10-01' }, openedAt: NIGHT.toISOString() });
    const { record, events } = openCase(fight, DEMO_ROSTERED, NIGHT);
    expect(record.assignees.map((a) => a.officerId)).toEqual(['lead-CG-10', 'worker-CG-10-01']);
    expect(events[0]?.data).toMatchObject({ decision: { rule: 'default-pair+red-needs-on-duty', posts: [{ post: 'officer', chosen: 'lead-CG-10', filledBy: 'ladder-on-duty' }, {}] } });
    expect(openCase({ ...fight, severity: 'orange' }, DEMO_ROSTERED, NIGHT).record.assignees.map((a) => a.officerId)).toEqual(['officer-CG-10', 'worker-CG-10-01']);
    // By day the grid officer is on duty and keeps it.
    expect(openCase(fight, DEMO_ROSTERED, T0).record.assignees.map((a) => a.officerId)).toEqual(['officer-CG-10', 'worker-CG-10-01']);
  });

  it('gives an unroutable case to the desk leader with the reason', () => {
    const { record, events } = openCase(opened({ location: { address: '不知道在哪' } }), DEMO_STATION, T0);
    expect(record).toMatchObject({ policeGridCode: null, routedBy: 'desk' });
    expect(events[0]?.data).toMatchObject({ routedBy: 'desk', assignees: [{ officerId: 'desk-leader-CG', role: 'deskLeader' }], reason: expect.stringMatching(/no gazetteer/) });
  });

  it("never takes a grid or community the station does not have as the case's grid", () => {
    const { record, events } = openCase(opened({ location: { gridCode: 'NOPE-99', communityCode: 'nowhere' } }), DEMO_STATION, T0);
    expect(record).toMatchObject({ gridCode: null, policeGridCode: null, routedBy: 'desk' });
    const assigned = events[0]?.type === 'gridcase.case.assigned.v1' ? events[0].data : undefined;
    expect(assigned).toMatchObject({ routedBy: 'desk', reason: expect.stringMatching(/gridCode NOPE-99 is not a known .*communityCode nowhere is not a known community/) });
    expect(assigned?.gridCode).toBeUndefined();
  });
});

describe('acknowledge', () => {
  it('an owner acknowledges an open case with a note; only the respond clock stops', () => {
    const d = accepted(decide(newCase(), command(ACK, worker, { note: '已到现场' })));
    expect(d.record).toMatchObject({ status: 'acknowledged', acknowledgedAt: minutes(5), deadlineVersion: 2 });
    expect(types(d)).toEqual(['deadlines-set', 'acknowledged']);
    expect(dataOf(d, 'acknowledged')).toMatchObject({ note: '已到现场', by: worker });
    expect(dataOf(d, 'deadlines-set')).toMatchObject({ version: 2, level: 0, running: [{ kind: 'resolve', dueAt: minutes(72 * 60).toISOString() }] });
  });

  it('the desk, a supervisor and an admin may too; nobody else', () => {
    for (const by of [desk, supervisor, admin]) expect(decide(newCase(), command(ACK, by)).kind).toBe('accepted');
    for (const by of [stranger, { clientId: 'desk-app' }]) {
      const d = decide(newCase(), command(ACK, by));
      expect(d).toMatchObject({ kind: 'rejected', code: 'forbidden' });
      expect(d.kind === 'rejected' && d.reason).toMatch(/^only an owner of the case, the desk or a supervisor may acknowledge.*owners: officer-CG-01, worker-CG-01-01/);
      expect(dataOf(d, 'command-rejected')).toMatchObject({ command: 'acknowledge', code: 'forbidden' });
    }
  });

  it('a second acknowledge conflicts with the state', () => {
    const d = decide(acknowledged(), command(ACK, owner));
    expect(d).toMatchObject({ kind: 'rejected', code: 'conflict', reason: 'case is acknowledged; acknowledge needs a case that is open' });
  });
});

describe('resolve', () => {
  it('resolves an open or acknowledged case; the verify clock is 2 working days (over National Day)', () => {
    const now = new Date('2026-09-30T02:00:00Z'); // 10:00 on the eve of the 2026 holiday
    for (const record of [newCase(), acknowledged()]) {
      const d = accepted(decide(record, command(RESOLVE, owner, { outcome: 'mediated', note: '调解成功' }), now));
      const verifyBy = new Date('2026-10-09T10:00:00Z'); // 18:00 on Friday 9 October: 8 and 9 October are working days 1 and 2
      expect(d.record).toMatchObject({ status: 'resolved', outcome: 'mediated', resolvedAt: now, resolvedBy: { clientId: owner.clientId, officerId: owner.officerId } });
      // Warned at 75 % of its 26 working hours (09-30 10:00–18:00, 10-08, 10-09): 10-09 11:30, not on the holiday (10-07 10:00).
      const warnAt = new Date('2026-10-09T03:30:00Z');
      expect(d.record.deadlines.verify).toEqual({ startedAt: now, dueAt: verifyBy, warnAt });
      expect(types(d)).toEqual(['deadlines-set', 'resolved']);
      expect(dataOf(d, 'deadlines-set')).toMatchObject({
        running: [{ kind: 'verify', startedAt: now.toISOString(), dueAt: verifyBy.toISOString(), warnAt: warnAt.toISOString() }],
      });
    }
  });

  it('rejects a resolved case (conflict) and a stranger (forbidden)', () => {
    expect(decide(resolved(), command(RESOLVE, desk, { outcome: 'resolved', note: '' }))).toMatchObject({ kind: 'rejected', code: 'conflict' });
    expect(decide(newCase(), command(RESOLVE, stranger, { outcome: 'resolved', note: '' }))).toMatchObject({ kind: 'rejected', code: 'forbidden' });
  });
});

describe('warnings of working-day clocks fall in office hours (audit 22 #2)', () => {
  const thursdayEvening = new Date('2026-03-05T12:15:00Z'); // Thursday 20:15 Shanghai
  const resolvedThen = () => accepted(decide(acknowledged(), command(RESOLVE, owner, { outcome: 'mediated', note: '调解成功' }), thursdayEvening));

  it('verify (2 working days, due Monday 18:00) warns Monday 13:30, not Sunday 18:36; the set carries it', () => {
    const d = resolvedThen();
    expect(d.record.deadlines.verify).toEqual({ startedAt: thursdayEvening, dueAt: new Date('2026-03-09T10:00:00Z'), warnAt: new Date('2026-03-09T05:30:00Z') });
    expect(dataOf(d, 'deadlines-set')).toMatchObject({ running: [{ kind: 'verify', warnAt: '2026-03-09T05:30:00.000Z' }] });
  });

  it('follow-up (5 working days, due next Thursday 18:00) warns Wednesday 15:45, not 00:37', () => {
    const d = accepted(decide(resolvedThen().record, command(VERIFY, supervisor, { result: 'passed', note: '' }), thursdayEvening));
    expect(d.record.deadlines['follow-up']).toEqual({ startedAt: thursdayEvening, dueAt: new Date('2026-03-12T10:00:00Z'), warnAt: new Date('2026-03-11T07:45:00Z') });
  });

  it('an extension of a working-day clock warns at 75 % of the working time granted; one of a minute clock on the clock', () => {
    const until = '2026-03-09T10:00:00Z'; // Monday 18:00
    const asked = accepted(decide(acknowledged(), command(EXTENSION, owner, { until, reason: '当事人外出' }))).record;
    const d = accepted(decide(asked, command(APPROVE, desk), thursdayEvening));
    expect(d.record.deadlines.resolve).toEqual({ startedAt: thursdayEvening, dueAt: new Date(until), warnAt: new Date('2026-03-09T05:30:00Z') });
    const minuteClock: CaseRecord = { ...asked, deadlines: { ...asked.deadlines, resolve: { startedAt: T0, dueAt: minutes(72 * 60) } } };
    expect(accepted(decide(minuteClock, command(APPROVE, desk), thursdayEvening)).record.deadlines.resolve).toEqual({ startedAt: thursdayEvening, dueAt: new Date(until) });
  });

  it('a hold and resume moves the warning with the clock, keeping its lead (the same deadline, warned once); acknowledge leaves it', () => {
    const record = resolvedThen().record;
    const verify = record.deadlines.verify!;
    const held = accepted(decide(record, command(HOLD, supervisor, { reason: '等待鉴定结果' }), new Date('2026-03-06T02:00:00Z'))).record;
    const d = accepted(decide(held, command(RESUME, supervisor), new Date('2026-03-07T05:00:00Z')));
    const heldMs = 27 * 3_600_000;
    const moved = d.record.deadlines.verify!;
    expect(moved.warnAt).toEqual(new Date(verify.warnAt!.getTime() + heldMs));
    expect(moved.dueAt.getTime() - moved.warnAt!.getTime()).toBe(verify.dueAt.getTime() - verify.warnAt!.getTime());
    expect(dataOf(d, 'deadlines-set')).toMatchObject({ running: [{ kind: 'verify', warnAt: moved.warnAt!.toISOString() }] });
    // Acknowledging stops respond only: the resolve clock, its warning with it, is announced unchanged.
    const open = newCase();
    expect(accepted(decide(open, command(ACK, owner))).record.deadlines.resolve).toEqual(open.deadlines.resolve);
  });
});

describe('verify (核查)', () => {
  const verify = (by: Actor, result: 'passed' | 'failed') => command(VERIFY, by, { result, note: '已核实' });

  it('passed with a named reachable reporter and outcome mediated → follow-up, 5 working days from verification', () => {
    const now = minutes(60 * 24); // Tuesday 09:00
    const d = accepted(decide(resolved('mediated'), verify(supervisor, 'passed'), now));
    expect(d.record.status).toBe('follow-up');
    expect(d.record.deadlines['follow-up']?.dueAt).toEqual(new Date('2026-03-10T10:00:00Z')); // Tuesday + 5 working days, 18:00
    expect(types(d)).toEqual(['deadlines-set', 'verified']);
    expect(dataOf(d, 'verified')).toMatchObject({ result: 'passed', status: 'follow-up', reworkCount: 0, note: '已核实' });
    expect(dataOf(d, 'deadlines-set')).toMatchObject({ running: [{ kind: 'follow-up' }] });
    // A met verify deadline stays on record; only rework clears it.
    expect(dataOf(d, 'deadlines-set')).not.toHaveProperty('cleared');
  });

  it('passed with a named reporter who left no contact still owes the follow-up (visited, or unreachable)', () => {
    const d = accepted(decide(resolved('resolved', { reporter: { anonymous: false, hasContact: false } }), verify(desk, 'passed')));
    expect(d.record.status).toBe('follow-up');
  });

  it('passed without a follow-up owed (anonymous, no reporter, or an outcome not to ask about) → closed', () => {
    const cases = [
      resolved('mediated', { reporter: { anonymous: true, hasContact: true } }),
      resolved('resolved', { reporter: undefined }),
      resolved('referred'),
    ];
    for (const record of cases) {
      const d = accepted(decide(record, verify(desk, 'passed')));
      expect(d.record.status).toBe('closed');
      expect(types(d)).toEqual(['deadlines-set', 'verified', 'closed']);
      expect(dataOf(d, 'closed')).toMatchObject({ reason: 'verified' });
      expect(dataOf(d, 'deadlines-set')).toMatchObject({ running: [] });
    }
  });

  it('failed → acknowledged, reworkCount + 1, a fresh resolve budget from the policy on the calendar', () => {
    const now = minutes(60 * 24);
    const d = accepted(decide(resolved(), verify(supervisor, 'failed'), now));
    expect(d.record).toMatchObject({ status: 'acknowledged', reworkCount: 1, outcome: null, resolvedBy: null });
    expect(d.record.deadlines.resolve).toEqual({ startedAt: now, dueAt: new Date('2026-03-10T10:00:00Z'), warnAt: new Date('2026-03-09T05:30:00Z') });
    expect(d.record.deadlines.verify).toBeUndefined();
    expect(dataOf(d, 'verified')).toMatchObject({ result: 'failed', status: 'acknowledged', reworkCount: 1 });
    // The verify round is over: the set says so, and the desk shows verifyBy as none.
    expect(dataOf(d, 'deadlines-set')).toMatchObject({ running: [{ kind: 'resolve' }], cleared: ['verify'] });
  });

  it('without policy budgets the fresh resolve budget is the first one (resolveBy − openedAt)', () => {
    const now = minutes(60 * 24);
    const d = accepted(decide(resolved('mediated', { budgets: undefined }), verify(supervisor, 'failed'), now));
    expect(d.record.deadlines.resolve.dueAt).toEqual(minutes(72 * 60, now));
  });

  it('not by whoever resolved (same client or same officer), not by an owner without the role, not before resolve', () => {
    const byDesk = resolved('mediated', {}, desk);
    expect(decide(byDesk, verify(desk, 'passed'))).toMatchObject({ kind: 'rejected', code: 'forbidden', reason: expect.stringMatching(/resolved a case may not verify/) });
    const sameOfficer: Actor = { clientId: 'another-app', officerId: owner.officerId, roles: ['supervisor'] };
    expect(decide(resolved(), verify(sameOfficer, 'passed'))).toMatchObject({ kind: 'rejected', code: 'forbidden' });
    expect(decide(resolved(), verify(worker, 'passed'))).toMatchObject({ kind: 'rejected', code: 'forbidden' });
    expect(decide(acknowledged(), verify(desk, 'passed'))).toMatchObject({ kind: 'rejected', code: 'conflict' });
  });
});

describe('follow-up (回访)', () => {
  const inFollowUp = () => accepted(decide(resolved(), command(VERIFY, supervisor, { result: 'passed', note: '' }))).record;
  const followUp = (by: Actor, satisfaction: string) => command(FOLLOW_UP, by, { satisfaction, note: '电话回访' });

  it('satisfied, basically satisfied or unreachable → closed', () => {
    for (const satisfaction of ['satisfied', 'basically-satisfied', 'unreachable']) {
      const d = accepted(decide(inFollowUp(), followUp(owner, satisfaction)));
      expect(d.record.status).toBe('closed');
      expect(types(d)).toEqual(['deadlines-set', 'followed-up', 'closed']);
      expect(dataOf(d, 'closed')).toMatchObject({ reason: 'followed-up' });
    }
  });

  it('unsatisfied → acknowledged with one more rework and a fresh resolve budget', () => {
    const d = accepted(decide(inFollowUp(), followUp(desk, 'unsatisfied')));
    expect(d.record).toMatchObject({ status: 'acknowledged', reworkCount: 1 });
    expect(dataOf(d, 'followed-up')).toMatchObject({ satisfaction: 'unsatisfied', status: 'acknowledged', reworkCount: 1 });
    expect(d.record.deadlines).not.toHaveProperty('verify');
    expect(d.record.deadlines).not.toHaveProperty('follow-up');
    expect(dataOf(d, 'deadlines-set')).toMatchObject({ running: [{ kind: 'resolve' }], cleared: ['verify', 'follow-up'] });
  });

  it('only in follow-up, and not by a stranger', () => {
    expect(decide(resolved(), followUp(owner, 'satisfied'))).toMatchObject({ kind: 'rejected', code: 'conflict' });
    expect(decide(inFollowUp(), followUp(stranger, 'satisfied'))).toMatchObject({ kind: 'rejected', code: 'forbidden' });
  });
});

const ask = (by: Actor, hoursAfterResolveBy = 24) => command(EXTENSION, by, { until: minutes((72 + hoursAfterResolveBy) * 60).toISOString(), reason: '当事人外出' });
const requested = (record = acknowledged(), by = owner) => accepted(decide(record, ask(by))).record;

describe('extension (延期)', () => {
  it('an owner asks: pending, no clock changes', () => {
    const d = accepted(decide(acknowledged(), ask(owner)));
    expect(d.record.extension).toMatchObject({ status: 'pending', until: minutes(96 * 60), requestedBy: { clientId: owner.clientId } });
    expect(d.record.deadlineVersion).toBe(2);
    expect(types(d)).toEqual(['extension-requested']);
  });

  it('rejects a non-owner, an end not after resolveBy, a second pending request, and a resolved case', () => {
    expect(decide(acknowledged(), ask(desk))).toMatchObject({ kind: 'rejected', code: 'forbidden', reason: expect.stringMatching(/^only an owner of the case may extension/) });
    expect(decide(acknowledged(), ask(owner, 0))).toMatchObject({ kind: 'rejected', code: 'conflict', reason: expect.stringMatching(/after the current resolveBy/) });
    expect(decide(requested(), ask(worker))).toMatchObject({ kind: 'rejected', code: 'conflict', reason: expect.stringMatching(/already pending/) });
    expect(decide(resolved(), ask(owner))).toMatchObject({ kind: 'rejected', code: 'conflict' });
  });

  it('takes an until only after the request is issued, naming the field, even past an overdue resolveBy', () => {
    // Overdue: resolveBy (72 h) passed a day ago. An until after resolveBy but before now would be overdue on approval.
    const issuedAt = minutes(96 * 60);
    for (const until of [minutes(90 * 60), issuedAt]) {
      const d = decide(acknowledged(), command(EXTENSION, owner, { until: until.toISOString(), reason: '当事人外出', issuedAt: issuedAt.toISOString() }), minutes(1, issuedAt));
      expect(d).toMatchObject({ kind: 'rejected', code: 'invalid' });
      expect(dataOf(d, 'command-rejected')).toMatchObject({ code: 'invalid', errors: [{ path: 'until', message: 'until must be later than now, when the extension is asked for' }] });
    }
    expect(accepted(decide(acknowledged(), command(EXTENSION, owner, { until: minutes(120 * 60).toISOString(), reason: '当事人外出', issuedAt: issuedAt.toISOString() }), issuedAt)).record.extension).toMatchObject({ status: 'pending' });
    // Judged at the command's issue: one that waited past its until is not refused for it.
    const waited = decide(acknowledged(), command(EXTENSION, owner, { until: minutes(97 * 60).toISOString(), reason: '当事人外出', issuedAt: issuedAt.toISOString() }), minutes(98 * 60));
    expect(waited.kind).toBe('accepted');
  });

  it('approve (not by the requester) moves resolveBy to until with a new deadline version', () => {
    const now = minutes(60);
    const d = accepted(decide(requested(), command(APPROVE, desk, { note: '同意' }), now));
    // A working-day resolve clock extended: 75 % of the working time granted (35 h from Monday 10:00), Thursday 09:15.
    expect(d.record.deadlines.resolve).toEqual({ startedAt: now, dueAt: minutes(96 * 60), warnAt: new Date('2026-03-05T01:15:00Z') });
    expect(d.record).toMatchObject({ extensionsApproved: 1, deadlineVersion: 3, extension: { status: 'approved' } });
    expect(types(d)).toEqual(['deadlines-set', 'extension-approved']);
    expect(dataOf(d, 'extension-approved')).toMatchObject({ until: minutes(96 * 60).toISOString(), note: '同意' });
    expect(dataOf(d, 'deadlines-set')).toMatchObject({ version: 3, running: [{ kind: 'resolve', dueAt: minutes(96 * 60).toISOString() }] });
  });

  it('approve refuses an until an escalation or the clock has overtaken: it would move resolveBy earlier, or into the past (audit19 #1, #2)', () => {
    // Asked for until 96 h against resolveBy 72 h; an escalation since gave the next rung until 100 h.
    const asked = requested();
    const escalated: CaseRecord = { ...asked, deadlines: { ...asked.deadlines, resolve: { startedAt: minutes(72 * 60), dueAt: minutes(100 * 60) } } };
    const d = decide(escalated, command(APPROVE, desk, { note: '同意' }), minutes(73 * 60));
    expect(d).toMatchObject({ kind: 'rejected', code: 'conflict' });
    expect(dataOf(d, 'command-rejected')).toMatchObject({
      reason: `the pending extension's until ${minutes(96 * 60).toISOString()} is no longer after the case's resolveBy ${minutes(100 * 60).toISOString()}; reject it and ask for a later until`,
    });
    // Overdue and approved only after the until passed: approving would escalate the case at once.
    const late = decide(asked, command(APPROVE, desk, { issuedAt: minutes(97 * 60).toISOString() }), minutes(97 * 60));
    expect(late).toMatchObject({ kind: 'rejected', code: 'conflict', reason: expect.stringContaining(`is no longer after now (${minutes(97 * 60).toISOString()})`) });
    // Rejecting it is still allowed, so that the owner may ask again.
    expect(accepted(decide(escalated, command(REJECT, desk, { reason: '已升级，请重新申请' }))).record.extension?.status).toBe('rejected');
  });

  it('the requester may not decide, even as a supervisor or through another client naming the same officer', () => {
    const bossOwner: Actor = { clientId: 'boss', officerId: 'officer-CG-01', roles: ['supervisor'] };
    expect(decide(requested(acknowledged(), bossOwner), command(APPROVE, bossOwner))).toMatchObject({ kind: 'rejected', code: 'forbidden' });
    const sameOfficer: Actor = { ...bossOwner, clientId: 'boss-laptop' };
    expect(decide(requested(acknowledged(), bossOwner), command(REJECT, sameOfficer, { reason: 'x' }))).toMatchObject({ kind: 'rejected', code: 'forbidden' });
    expect(decide(requested(), command(APPROVE, worker))).toMatchObject({ kind: 'rejected', code: 'forbidden' });
  });

  it('reject keeps resolveBy; approve or reject with nothing pending conflicts', () => {
    const d = accepted(decide(requested(), command(REJECT, supervisor, { reason: '理由不足' })));
    expect(d.record.extension?.status).toBe('rejected');
    expect(d.record.deadlines.resolve.dueAt).toEqual(minutes(72 * 60));
    expect(types(d)).toEqual(['extension-rejected']);
    expect(decide(d.record, command(APPROVE, desk))).toMatchObject({ kind: 'rejected', code: 'conflict', reason: 'no extension is pending on this case' });
    expect(decide(acknowledged(), command(REJECT, desk, { reason: 'x' }))).toMatchObject({ kind: 'rejected', code: 'conflict' });
  });

  it('at most two are approved per case', () => {
    let record = acknowledged();
    for (const hours of [24, 48]) {
      record = accepted(decide(record, ask(owner, hours + (record.extensionsApproved ? 24 : 0)))).record;
      record = accepted(decide(record, command(APPROVE, desk))).record;
    }
    expect(record.extensionsApproved).toBe(2);
    expect(decide(record, ask(owner, 200))).toMatchObject({ kind: 'rejected', code: 'conflict', reason: expect.stringMatching(/already had 2 extensions approved/) });
  });
});

describe('hold (挂账) and resume', () => {
  const hold = (by: Actor = supervisor) => command(HOLD, by, { reason: '等待鉴定结果', until: minutes(7 * 24 * 60).toISOString() });

  it('holds an active case: nothing runs', () => {
    const d = accepted(decide(acknowledged(), hold(), minutes(60)));
    expect(d.record).toMatchObject({ status: 'on-hold', hold: { since: minutes(60), reason: '等待鉴定结果', fromStatus: 'acknowledged', until: minutes(7 * 24 * 60) } });
    expect(types(d)).toEqual(['deadlines-set', 'held']);
    expect(dataOf(d, 'held')).toMatchObject({ fromStatus: 'acknowledged' });
    expect(dataOf(d, 'deadlines-set')).toMatchObject({ version: 3, running: [] });
  });

  it('resume returns to the status before the hold and moves every running clock later by the time held', () => {
    const heldAt = minutes(60);
    const open = newCase();
    const held = accepted(decide(open, hold(desk), heldAt)).record;
    const d = accepted(decide(held, command(RESUME, desk, { note: '鉴定结果已出' }), minutes(60 + 180)));
    const later = (date: Date) => minutes(180, date);
    expect(d.record).toMatchObject({ status: 'open', hold: null });
    expect(d.record.deadlines.respond).toEqual({ startedAt: later(T0), dueAt: later(minutes(120)) });
    // The warning moves with its clock, so it keeps its lead and escalation knows it as the one already sent.
    expect(d.record.deadlines.resolve).toEqual({ startedAt: later(T0), dueAt: later(minutes(72 * 60)), warnAt: later(open.deadlines.resolve.warnAt!) });
    expect(types(d)).toEqual(['deadlines-set', 'resumed']);
    expect(dataOf(d, 'resumed')).toMatchObject({ status: 'open', heldMs: 180 * 60_000, note: '鉴定结果已出' });
    expect(dataOf(d, 'deadlines-set')).toMatchObject({ version: 3, running: [{ kind: 'respond', dueAt: later(minutes(120)).toISOString() }, { kind: 'resolve' }] });
  });

  it("moves an approved extension's until later with resolveBy, so the two stay equal, and names it in resumed (extensionUntil); a pending one's moves too (audit18 #5, audit19 #2)", () => {
    const approved = accepted(decide(requested(), command(APPROVE, desk))).record;
    const held = accepted(decide(approved, hold(desk), minutes(60))).record;
    const d = accepted(decide(held, command(RESUME, desk), minutes(60 + 180)));
    expect(d.record.extension?.until).toEqual(minutes(180, approved.extension!.until));
    expect(d.record.extension?.until).toEqual(d.record.deadlines.resolve.dueAt);
    // The event names the moved until, so the desk shows it without working it out again.
    expect(dataOf(d, 'resumed')).toMatchObject({ heldMs: 180 * 60_000, extensionUntil: minutes(180, approved.extension!.until).toISOString() });
    const pending = accepted(decide(accepted(decide(requested(), hold(desk), minutes(60))).record, command(RESUME, desk), minutes(240)));
    // Asked for against the resolveBy the hold moved: it moves with it, and stays after it (approvable).
    expect(pending.record.extension).toMatchObject({ status: 'pending', until: minutes(180, requested().extension!.until) });
    expect(pending.record.extension!.until.getTime()).toBeGreaterThan(pending.record.deadlines.resolve.dueAt.getTime());
    expect(dataOf(pending, 'resumed')).toMatchObject({ extensionUntil: minutes(180, requested().extension!.until).toISOString() });
    expect(accepted(decide(pending.record, command(APPROVE, desk), minutes(241))).record.deadlines.resolve.dueAt).toEqual(minutes(180, requested().extension!.until));
    // Held after it was resolved, no resolve clock ran: a pending request stays as asked (review of audit19 #2).
    const resolvedWithRequest = accepted(decide(requested(), command(RESOLVE, owner, { outcome: 'mediated', note: '调解成功' }))).record;
    const heldResolved = accepted(decide(resolvedWithRequest, hold(desk), minutes(60))).record;
    const backToResolved = accepted(decide(heldResolved, command(RESUME, desk), minutes(240)));
    expect(backToResolved.record.extension).toEqual(resolvedWithRequest.extension);
    expect(dataOf(backToResolved, 'resumed')).not.toHaveProperty('extensionUntil');
    // A rejected one is history: it stays as it was.
    const rejected = accepted(decide(requested(), command(REJECT, desk, { reason: '理由不足' }))).record;
    const after = accepted(decide(accepted(decide(rejected, hold(desk), minutes(60))).record, command(RESUME, desk), minutes(240)));
    expect(after.record.extension).toEqual(rejected.extension);
    expect(dataOf(after, 'resumed')).not.toHaveProperty('extensionUntil');
  });

  it('a hold of a resolved case shifts the verify clock and nothing else', () => {
    const record = resolved();
    const verify = record.deadlines.verify!;
    const held = accepted(decide(record, hold(), minutes(10))).record;
    const d = accepted(decide(held, command(RESUME, supervisor), minutes(70)));
    expect(d.record.status).toBe('resolved');
    expect(d.record.deadlines.verify?.dueAt).toEqual(minutes(60, verify.dueAt));
    expect(d.record.deadlines.resolve).toEqual(record.deadlines.resolve);
  });

  it('takes an until only after the hold begins, naming the field; echoes it normalised', () => {
    const at = minutes(60);
    for (const until of ['2020-01-01T00:00:00Z', at.toISOString()]) {
      const d = decide(acknowledged(), command(HOLD, desk, { reason: '等待法院', until, issuedAt: at.toISOString() }), at);
      expect(d).toMatchObject({ kind: 'rejected', code: 'invalid', reason: expect.stringMatching(/is not after the hold begins/) });
      expect(dataOf(d, 'command-rejected')).toMatchObject({ code: 'invalid', errors: [{ path: 'until', message: 'until must be later than now, when the hold begins' }] });
    }
    // An offset is fine; the event carries the instant as every other one (….000Z).
    const d = accepted(decide(acknowledged(), command(HOLD, desk, { reason: '等待法院', until: '2026-03-03T09:00:00+08:00' }), at));
    expect(dataOf(d, 'held').until).toBe('2026-03-03T01:00:00.000Z');
    const without = accepted(decide(acknowledged(), command(HOLD, desk, { reason: '等待法院' }), at));
    expect(without.record.hold?.until).toBeNull();
    // Judged at the command's issue: one that waited (the database away) past its until is not refused for it.
    const waited = decide(acknowledged(), command(HOLD, desk, { reason: '等待法院', until: minutes(30).toISOString(), issuedAt: minutes(20).toISOString() }), at);
    expect(waited.kind).toBe('accepted');
    expect(dataOf(without, 'held')).not.toHaveProperty('until');
  });

  it('rejects an owner, a closed case, a second hold, and a resume of a case not held', () => {
    expect(decide(acknowledged(), hold(owner))).toMatchObject({ kind: 'rejected', code: 'forbidden' });
    const closed = accepted(decide(resolved('referred'), command(VERIFY, desk, { result: 'passed', note: '' }))).record;
    expect(decide(closed, hold())).toMatchObject({ kind: 'rejected', code: 'conflict' });
    const held = accepted(decide(acknowledged(), hold())).record;
    expect(decide(held, hold())).toMatchObject({ kind: 'rejected', code: 'conflict' });
    expect(decide(acknowledged(), command(RESUME, desk))).toMatchObject({ kind: 'rejected', code: 'conflict', reason: 'case is acknowledged; resume needs a case that is on-hold' });
    expect(decide(held, command(ACK, owner))).toMatchObject({ kind: 'rejected', code: 'conflict' });
  });
});

describe('a hold whose until passes (挂账到期) resumes by itself', () => {
  const until = minutes(24 * 60);
  const holdUntil = (at: Date) => command(HOLD, desk, { reason: '等待鉴定结果', until: at.toISOString() });
  const heldUntil = (at = until, record = newCase(), heldAt = minutes(60)) => accepted(decide(record, holdUntil(at), heldAt));
  const fact = (record: CaseRecord, at = until) => ({ caseId: record.caseId, until: at.toISOString(), version: record.deadlineVersion, at: at.toISOString() });

  it('tells the timers when: the hold’s deadlines-set carries holdUntil, a hold without until and the resume’s set do not', () => {
    const held = heldUntil();
    expect(dataOf(held, 'deadlines-set')).toMatchObject({ running: [], holdUntil: until.toISOString() });
    expect(dataOf(accepted(decide(newCase(), command(HOLD, desk, { reason: '等待' }), minutes(60))), 'deadlines-set')).not.toHaveProperty('holdUntil');
    expect(dataOf(accepted(decide(held.record, command(RESUME, desk), minutes(90))), 'deadlines-set')).not.toHaveProperty('holdUntil');
  });

  it('resumes exactly as a resume command would, by the system, with reason hold-expired and the fact’s id', () => {
    const held = heldUntil().record;
    const now = minutes(1, until);
    const d = decideHoldExpired(held, fact(held), 'fact-1', now);
    const byHand = accepted(decide(held, command(RESUME, desk), now));
    if (d.kind !== 'resumed') throw new Error(`expected resumed, got ${d.kind}: ${d.reason}`);
    expect(d.record).toEqual(byHand.record);
    expect(d.record).toMatchObject({ status: 'open', hold: null, deadlineVersion: held.deadlineVersion + 1 });
    const heldMs = now.getTime() - minutes(60).getTime();
    expect(d.record.deadlines.respond.dueAt).toEqual(new Date(minutes(120).getTime() + heldMs));
    expect(d.events.map((e) => e.type)).toEqual(['gridcase.case.deadlines-set.v1', 'gridcase.case.resumed.v1']);
    expect(d.events[0]?.data).toEqual(byHand.events[0]?.data);
    expect(d.events[1]?.data).toEqual({
      caseId: held.caseId,
      commandId: 'fact-1',
      by: { clientId: 'system' },
      at: now.toISOString(),
      note: undefined,
      status: 'open',
      heldMs,
      reason: 'hold-expired',
    });
    expect(dataOf(byHand, 'resumed')).not.toHaveProperty('reason');
  });

  it('ignores a stale fact: resumed by hand first, held again with another until, or a hold of another end', () => {
    const held = heldUntil().record;
    const resumedByHand = accepted(decide(held, command(RESUME, desk), minutes(90))).record;
    expect(decideHoldExpired(resumedByHand, fact(held), 'fact-1', until)).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/^stale/) });

    const heldAgain = heldUntil(minutes(48 * 60), resumedByHand, minutes(120)).record;
    expect(decideHoldExpired(heldAgain, fact(held), 'fact-1', until)).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/^stale/) });
    expect(decideHoldExpired(heldAgain, fact(heldAgain, minutes(48 * 60)), 'fact-2', minutes(48 * 60))).toMatchObject({ kind: 'resumed' });

    expect(decideHoldExpired(held, fact(held, minutes(30, until)), 'fact-3', until)).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/^the hold ends/) });
    const noEnd = accepted(decide(newCase(), command(HOLD, desk, { reason: '等待' }), minutes(60))).record;
    expect(decideHoldExpired(noEnd, fact(noEnd), 'fact-4', until)).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/without an until/) });
  });
});

describe('reopen', () => {
  it('from resolved, follow-up or closed → acknowledged, reworkCount + 1, a fresh resolve budget', () => {
    const now = minutes(60 * 24);
    const inFollowUp = accepted(decide(resolved(), command(VERIFY, desk, { result: 'passed', note: '' }))).record;
    const closed = accepted(decide(resolved('referred'), command(VERIFY, desk, { result: 'passed', note: '' }))).record;
    const ended = [['verify'], ['verify', 'follow-up'], ['verify']];
    for (const [i, record] of [resolved(), inFollowUp, closed].entries()) {
      const d = accepted(decide(record, command(REOPEN, supervisor, { reason: '又吵起来了' }), now));
      expect(d.record).toMatchObject({ status: 'acknowledged', reworkCount: 1 });
      expect(d.record.deadlines.resolve).toEqual({ startedAt: now, dueAt: new Date('2026-03-10T10:00:00Z'), warnAt: new Date('2026-03-09T05:30:00Z') });
      // No verify or follow-up clock runs after a reopen: the case drops them and the set names them cleared.
      expect(Object.keys(d.record.deadlines)).toEqual(['respond', 'resolve']);
      expect(dataOf(d, 'deadlines-set')).toMatchObject({ running: [{ kind: 'resolve' }], cleared: ended[i] });
      expect(types(d)).toEqual(['deadlines-set', 'reopened']);
      expect(dataOf(d, 'reopened')).toMatchObject({ status: 'acknowledged', reworkCount: 1, reason: '又吵起来了', resolveBy: '2026-03-10T10:00:00.000Z' });
    }
  });

  it('not an open case, not by an owner', () => {
    expect(decide(newCase(), command(REOPEN, desk, { reason: 'x' }))).toMatchObject({ kind: 'rejected', code: 'conflict' });
    expect(decide(resolved(), command(REOPEN, owner, { reason: 'x' }))).toMatchObject({ kind: 'rejected', code: 'forbidden' });
  });
});

describe('note and reassign', () => {
  it('adds a note in any state without touching the clocks', () => {
    for (const record of [newCase(), acknowledged(), resolved()]) {
      const d = accepted(decide(record, command(NOTE, stranger, { text: '已电话联系' })));
      expect(d).toMatchObject({ note: { text: '已电话联系' } });
      expect(types(d)).toEqual(['note-added']);
      expect(d.record.deadlineVersion).toBe(record.deadlineVersion);
    }
  });

  it('reassigns to people on the roster keeping the level, and rejects unknown officers', () => {
    const inCG02 = newCase({ location: { gridCode: 'CG-02-01' } });
    const d = accepted(decide({ ...inCG02, level: 2 }, command(REASSIGN, desk, { officerIds: ['officer-CG-02', 'worker-CG-02-01'] })));
    expect(types(d)).toEqual(['assigned']);
    expect(dataOf(d, 'assigned')).toMatchObject({ level: 2, routedBy: 'reassign', assignees: [{ name: '张明辉', role: 'officer' }, { role: 'gridWorker' }] });
    expect(dataOf(d, 'assigned')).toMatchObject({ decision: { rule: 'reassign', posts: [{ post: 'officer' }, { post: 'gridWorker' }], fallback: null } });
    // The timeline names who reassigned, as it does for every other command.
    expect(dataOf(d, 'assigned')).toMatchObject({ by: desk });
    // Whether a person named is on duty is read from the rosters at the time, not the stored flag (audit22 #4).
    const nightsOnly = new Map([['officer-CG-02', { shifts: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '20:00', end: '08:00' }], onCall: false, leave: [] }]]);
    const offShift = accepted(decideCommand(inCG02, command(REASSIGN, desk, { officerIds: ['officer-CG-02'] }), { now: minutes(5), officers: DEMO_STATION.officers, calendar, duty: nightsOnly }));
    expect(dataOf(offShift, 'assigned')).toMatchObject({ decision: { posts: [{ post: 'officer', chosen: 'officer-CG-02', filledBy: 'off-duty-owner' }] } });
    const unknown = decide(newCase(), command(REASSIGN, desk, { officerIds: ['officer-CG-02', 'ghost'] }));
    // An id the station does not have is named by its place, never quoted: it may be anything typed, a phone number (audit22 #1).
    expect(unknown).toMatchObject({ kind: 'rejected', code: 'invalid', reason: 'may not own this case: officerIds.1: unknown officer' });
    const typed = decide(newCase(), command(REASSIGN, desk, { officerIds: ['13800138000'] }));
    expect(JSON.stringify(typed)).not.toContain('13800138000');
    // Named as a validation problem names the field (the desk answers 400 with it), without the id.
    expect(dataOf(unknown, 'command-rejected')).toMatchObject({ code: 'invalid', errors: [{ path: 'officerIds.1', message: 'no officer of the station has this id' }] });
    expect(decide(resolved(), command(REASSIGN, desk, { officerIds: ['officer-CG-02'] }))).toMatchObject({ kind: 'rejected', code: 'conflict' });
  });

  it('reassigns for the desk, a supervisor or an officer who owns the case; never for another officer, nor a grid worker', () => {
    const to = (officerIds: string[], reason?: string) => ({ officerIds, ...(reason ? { reason } : {}) });
    // An officer who is not an owner may not take the case (audit4 #1), nor one escalated away from it.
    const taken = decide(acknowledged(), command(REASSIGN, stranger, to(['officer-CG-02'])));
    expect(taken).toMatchObject({ kind: 'rejected', code: 'forbidden', reason: expect.stringMatching(/only an officer who owns the case, the desk or a supervisor may reassign.*officer-CG-02/) });
    const chiefs = { ...acknowledged(), level: 4, assignees: [{ officerId: 'chief-CG', name: '马国华', role: 'chief' }] } as CaseRecord;
    expect(decide(chiefs, command(REASSIGN, owner, to(['officer-CG-01'])))).toMatchObject({ kind: 'rejected', code: 'forbidden' });
    // A grid worker's community token owns the case but is no officer: it may note and resolve, not reassign.
    const gridWorker: Actor = { clientId: 'grid-app', officerId: 'worker-CG-01-01', roles: ['community'] };
    expect(decide(acknowledged(), command(REASSIGN, gridWorker, to(['officer-CG-01'])))).toMatchObject({
      kind: 'rejected',
      code: 'forbidden',
      reason: expect.stringContaining('this token is community and names officer worker-CG-01-01'),
    });
    expect(accepted(decide(acknowledged(), command(NOTE, gridWorker, { text: '已上门' }))).events).toHaveLength(1);
    // The owner, the desk, a supervisor and admin may; the reason is on the assigned event (the timeline shows it).
    const d = accepted(decide(acknowledged(), command(REASSIGN, owner, to(['officer-CG-01', 'worker-CG-01-01'], '本人明日休假'))));
    expect(dataOf(d, 'assigned')).toMatchObject({ routedBy: 'reassign', reason: '本人明日休假', by: owner });
    for (const by of [desk, supervisor, admin]) expect(decide(chiefs, command(REASSIGN, by, to(['officer-CG-01']))).kind, by.clientId).toBe('accepted');
    expect(dataOf(accepted(decide(acknowledged(), command(REASSIGN, desk, to(['officer-CG-01'])))), 'assigned')).not.toHaveProperty('reason');
  });

  it("never gives a tip.* case to a grid worker, naming the field as it names an unknown officer", () => {
    const tip = newCase({ category: 'tip.fraud' });
    expect(tip.assignees.map((a) => a.role)).toEqual(['officer']);
    const d = decide(tip, command(REASSIGN, desk, { officerIds: ['officer-CG-01', 'worker-CG-01-01'] }));
    expect(d).toMatchObject({ kind: 'rejected', code: 'invalid', reason: expect.stringMatching(/worker-CG-01-01: a grid worker, and the case is a tip \(tip\.fraud\)/) });
    expect(dataOf(d, 'command-rejected')).toMatchObject({
      code: 'invalid',
      errors: [{ path: 'officerIds.1', message: 'a grid worker is never assigned a tip.* case' }],
    });
    // The police may take it: the rule is about grid workers, not about moving a tip.
    expect(accepted(decide(tip, command(REASSIGN, desk, { officerIds: ['officer-CG-02'] }))).record.assignees).toMatchObject([{ officerId: 'officer-CG-02' }]);
  });

  it('never leaves a red or orange case to grid workers alone, as routing does not (400 naming officerIds)', () => {
    for (const severity of ['red', 'orange']) {
      const d = decide({ ...acknowledged(), severity }, command(REASSIGN, desk, { officerIds: ['worker-CG-01-01'] }));
      expect(d).toMatchObject({ kind: 'rejected', code: 'invalid', reason: expect.stringMatching(new RegExp(`a ${severity} case needs a police officer`)) });
      expect(dataOf(d, 'command-rejected')?.errors).toEqual([{ path: 'officerIds', message: expect.stringMatching(/needs a police officer/) }]);
      // With an officer beside the worker it is the pair routing gives.
      expect(accepted(decide({ ...acknowledged(), severity }, command(REASSIGN, desk, { officerIds: ['worker-CG-01-01', 'officer-CG-01'] }))).record.assignees).toHaveLength(2);
    }
    expect(accepted(decide({ ...acknowledged(), severity: 'yellow' }, command(REASSIGN, desk, { officerIds: ['worker-CG-01-01'] }))).record.assignees).toMatchObject([{ role: 'gridWorker' }]);
  });

  it("gives a case to a grid worker only of the case's own community grid (elsewhere their token cannot see it)", () => {
    const d = decide(newCase(), command(REASSIGN, supervisor, { officerIds: ['worker-CG-02-01'] }));
    expect(d).toMatchObject({ kind: 'rejected', code: 'invalid', reason: expect.stringMatching(/worker-CG-02-01: a grid worker of CG-02-01, and the case is in CG-01-01/) });
    const errors = dataOf(d, 'command-rejected')?.errors as { path: string; message: string }[];
    expect(errors).toEqual([{ path: 'officerIds.0', message: expect.stringMatching(/own community grid/) }]);
    // Said of the field without the id or the worker's name.
    expect(JSON.stringify(errors)).not.toMatch(/worker-CG-02-01|CG-02-01/);
    // Another grid of the same police grid is another grid all the same.
    expect(decide(newCase(), command(REASSIGN, desk, { officerIds: ['officer-CG-01', 'worker-CG-01-02'] }))).toMatchObject({ kind: 'rejected', code: 'invalid' });
    // A case routed to no grid (the desk leader's) has no grid worker of its own.
    const unroutable = openCase(opened({ location: { address: '不知道在哪' } }), DEMO_STATION, T0).record;
    expect(decide(unroutable, command(REASSIGN, desk, { officerIds: ['worker-CG-01-01'] }))).toMatchObject({ kind: 'rejected', code: 'invalid', reason: expect.stringMatching(/no community grid/) });
    // The worker of the case's own grid may own it, with or without a police officer.
    expect(accepted(decide(acknowledged(), command(REASSIGN, desk, { officerIds: ['worker-CG-01-01'] }))).record.assignees).toMatchObject([{ officerId: 'worker-CG-01-01', role: 'gridWorker' }]);
  });

  it('never gives a case to someone on leave now, naming officerIds.N with the day the leave ends; off shift is allowed', () => {
    const red = { ...newCase({ location: { gridCode: 'CG-02-01' }, severity: 'red' }), level: 1 };
    // A secondment of a year, and two back-to-back periods that end with the second.
    const away = (leave: { from: string; until: string }[]) => ({ shifts: [], onCall: false, leave });
    const duty = new Map([
      ['officer-CG-13', away([{ from: '2026-03-01T00:00:00Z', until: '2027-03-01T00:00:00Z' }])],
      ['officer-CG-02', away([{ from: '2026-03-01T00:00:00Z', until: '2026-03-03T00:00:00Z' }, { from: '2026-03-03T00:00:00Z', until: '2026-03-05T00:00:00Z' }])],
      // Leave that is over, or yet to come, does not count.
      ['lead-CG-02', away([{ from: '2026-02-01T00:00:00Z', until: '2026-02-10T00:00:00Z' }, { from: '2026-04-01T00:00:00Z', until: '2026-04-10T00:00:00Z' }])],
    ]);
    const ctx = { now: minutes(5), officers: DEMO_STATION.officers, calendar, duty };
    const d = decideCommand(red, command(REASSIGN, desk, { officerIds: ['lead-CG-02', 'officer-CG-13', 'officer-CG-02'] }), ctx);
    expect(d).toMatchObject({ kind: 'rejected', code: 'invalid', reason: expect.stringMatching(/officer-CG-13: on leave until 2027-03-01T00:00:00.000Z; officer-CG-02: on leave until 2026-03-05/) });
    expect(dataOf(d, 'command-rejected')?.errors).toEqual([
      { path: 'officerIds.1', message: 'this person is on leave until 2027-03-01T00:00:00.000Z and cannot take a case now' },
      { path: 'officerIds.2', message: 'this person is on leave until 2026-03-05T00:00:00.000Z and cannot take a case now' },
    ]);
    // Once the leave is over the same person may be named; someone off shift (at night) may be called in.
    // Unknown ids and people on leave are named together, so one correction fixes the request (audit14 #8).
    const mixed = decideCommand(red, command(REASSIGN, desk, { officerIds: ['officer-CG-02', 'nobody-1', 'nobody-2'] }), ctx);
    expect(dataOf(mixed, 'command-rejected')).toMatchObject({
      code: 'invalid',
      errors: [
        { path: 'officerIds.0', message: 'this person is on leave until 2026-03-05T00:00:00.000Z and cannot take a case now' },
        { path: 'officerIds.1', message: 'no officer of the station has this id' },
        { path: 'officerIds.2', message: 'no officer of the station has this id' },
      ],
    });
    expect(decideCommand(red, command(REASSIGN, desk, { officerIds: ['officer-CG-02'] }), { ...ctx, now: new Date('2026-03-05T00:00:00Z') }).kind).toBe('accepted');
    expect(decideCommand(red, command(REASSIGN, desk, { officerIds: ['lead-CG-02'] }), ctx).kind).toBe('accepted');
    expect(decideCommand(red, command(REASSIGN, desk, { officerIds: ['officer-CG-01'] }), { ...ctx, now: NIGHT }).kind).toBe('accepted');
  });

  it('rejects any command for a case it does not know', () => {
    const d = decide(undefined, command(NOTE, desk, { text: 'x' }));
    expect(d).toMatchObject({ kind: 'rejected', code: 'conflict', reason: expect.stringMatching(/unknown case case-1/) });
    expect(dataOf(d, 'command-rejected')).toMatchObject({ caseId: 'case-1', command: 'note' });
  });

  it('names the actor of a rejected command, whatever the rejection', () => {
    const rejections = [
      decide(undefined, command(NOTE, desk, { text: 'x' })),
      decide(newCase(), command(RESOLVE, stranger, { outcome: 'resolved', note: '' })),
      decide(resolved(), command(ACK, owner)),
      decide(newCase(), command(REASSIGN, supervisor, { officerIds: ['ghost'] })),
    ];
    expect(rejections.map((d) => dataOf(d, 'command-rejected')?.by)).toEqual([desk, stranger, owner, supervisor]);
  });
});

describe('a whole life with two different people', () => {
  it('open → acknowledged → resolved → follow-up → closed, one deadline version per change of the clocks', () => {
    let record = newCase();
    const steps: [CaseCommand, string][] = [
      [command(ACK, worker, { note: '收到' }), 'acknowledged'],
      [command(RESOLVE, worker, { outcome: 'resolved', note: '已处理' }), 'resolved'],
      [command(VERIFY, supervisor, { result: 'passed', note: '核查属实' }), 'follow-up'],
      [command(FOLLOW_UP, desk, { satisfaction: 'satisfied', note: '群众满意' }), 'closed'],
    ];
    steps.forEach(([cmd, status], i) => {
      record = accepted(decide(record, cmd, minutes(10 * (i + 1)))).record;
      expect(record.status).toBe(status);
      expect(record.deadlineVersion).toBe(i + 2);
    });
    expect(record.reworkCount).toBe(0);
  });
});

describe('a report merged into the case (回访 is owed to a named reporter of any of its reports)', () => {
  const anonymous = { anonymous: true, hasContact: false };
  const namedNoContact = { anonymous: false, hasContact: false };
  const reachable = { anonymous: false, hasContact: true };
  it('takes a named reporter over an anonymous one or none, a reachable one over one without contact', () => {
    expect(reporterAfterMerge(anonymous, reachable)).toBe(reachable);
    expect(reporterAfterMerge(null, namedNoContact)).toBe(namedNoContact);
    expect(reporterAfterMerge(namedNoContact, reachable)).toBe(reachable);
  });
  it('never takes back the call the first reporter is owed', () => {
    expect(reporterAfterMerge(reachable, anonymous)).toBe(reachable);
    expect(reporterAfterMerge(reachable, namedNoContact)).toBe(reachable);
    expect(reporterAfterMerge(namedNoContact, undefined)).toBe(namedNoContact);
    expect(reporterAfterMerge(anonymous, anonymous)).toBe(anonymous);
  });
});

describe('a report merged with deadlines its sender required (the case keeps the earlier of each)', () => {
  const now = minutes(10);
  it('moves a running deadline earlier, as a new deadline version with its deadlines-set', () => {
    const record = newCase();
    const d = decideReportMerged(record, { respondBy: minutes(30).toISOString(), resolveBy: minutes(600).toISOString() }, now);
    expect(d?.record.deadlines.respond).toEqual({ startedAt: T0, dueAt: minutes(30) });
    expect(d?.record.deadlines.resolve).toEqual({ startedAt: T0, dueAt: minutes(600) });
    expect(d?.record.deadlineVersion).toBe(record.deadlineVersion + 1);
    expect(d?.events.map((e) => e.type)).toEqual(['gridcase.case.deadlines-set.v1']);
    expect(d?.events[0]?.data).toMatchObject({
      version: record.deadlineVersion + 1,
      running: [
        { kind: 'respond', dueAt: minutes(30).toISOString() },
        { kind: 'resolve', dueAt: minutes(600).toISOString() },
      ],
    });
  });

  it("ignores a deadline already past (audit 8: another sender's report would make the case overdue at once and escalate it)", () => {
    const record = newCase();
    expect(decideReportMerged(record, { respondBy: '2000-01-01T00:00:00Z', resolveBy: '2000-01-01T00:00:00Z' }, now)).toBeUndefined();
    expect(decideReportMerged(record, { respondBy: now.toISOString() }, now)).toBeUndefined();
    const d = decideReportMerged(record, { respondBy: minutes(5).toISOString(), resolveBy: minutes(150).toISOString() }, now);
    expect(d?.record.deadlines.respond).toBe(record.deadlines.respond);
    expect(d?.record.deadlines.resolve.dueAt).toEqual(minutes(150));
  });

  it('keeps a deadline that is already earlier, and changes nothing without a reason to', () => {
    const record = newCase();
    expect(decideReportMerged(record, { respondBy: minutes(180).toISOString() }, now)).toBeUndefined();
    expect(decideReportMerged(record, {}, now)).toBeUndefined();
    const d = decideReportMerged(record, { respondBy: minutes(180).toISOString(), resolveBy: minutes(150).toISOString() }, now);
    expect(d?.record.deadlines.respond).toBe(record.deadlines.respond);
    expect(d?.record.deadlines.resolve.dueAt).toEqual(minutes(150));
  });

  it('pulls a running respond clock in to a resolveBy the merge moved before it: never respond after resolve (audit19 #4)', () => {
    // respondBy 120 min; another sender requires resolveBy 60 min (and no respondBy, or a later one).
    for (const required of [{ resolveBy: minutes(60).toISOString() }, { respondBy: minutes(180).toISOString(), resolveBy: minutes(60).toISOString() }]) {
      const record = newCase();
      const d = decideReportMerged(record, required, now);
      expect(d?.record.deadlines.resolve).toEqual({ startedAt: T0, dueAt: minutes(60) });
      expect(d?.record.deadlines.respond).toEqual({ startedAt: T0, dueAt: minutes(60) });
      expect(d?.events[0]?.data).toMatchObject({ running: [{ kind: 'respond', dueAt: minutes(60).toISOString() }, { kind: 'resolve', dueAt: minutes(60).toISOString() }] });
    }
    // Acknowledged: no respond clock runs, nothing to pull in.
    const ack = acknowledged();
    expect(decideReportMerged(ack, { resolveBy: minutes(60).toISOString() }, now)?.record.deadlines.respond).toBe(ack.deadlines.respond);
  });

  it('moves only a clock that still runs: respond while open, resolve until resolved, nothing while held', () => {
    const ack = acknowledged();
    const d = decideReportMerged(ack, { respondBy: minutes(20).toISOString(), resolveBy: minutes(90).toISOString() }, now);
    expect(d?.record.deadlines.respond).toBe(ack.deadlines.respond);
    expect(d?.record.deadlines.resolve.dueAt).toEqual(minutes(90));
    expect(decideReportMerged(resolved(), { resolveBy: minutes(90).toISOString() }, now)).toBeUndefined();
    const held = accepted(decide(newCase(), command(HOLD, desk, { reason: '等待鉴定' }))).record;
    expect(decideReportMerged(held, { respondBy: minutes(20).toISOString(), resolveBy: minutes(90).toISOString() }, now)).toBeUndefined();
  });

  it('takes a reachable named reporter without a deadlines-set', () => {
    const record = newCase({ reporter: { anonymous: true, hasContact: false } });
    const d = decideReportMerged(record, { reporter: { anonymous: false, hasContact: true } }, now);
    expect(d?.record.reporter).toEqual({ anonymous: false, hasContact: true });
    expect(d?.record.deadlineVersion).toBe(record.deadlineVersion);
    expect(d?.events).toEqual([]);
  });
});
