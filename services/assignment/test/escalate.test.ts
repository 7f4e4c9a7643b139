import type { Actor, DataOf, DeadlineKind } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { type CaseRecord, type CommandDecision, decideCommand, openCase } from '../src/domain/case.ts';
import { DEMO_STATION } from '../src/domain/demo-station.ts';
import { decideDeadlinePassed, type EscalationDecision } from '../src/domain/escalate.ts';
import { DEFAULT_LADDER } from '../src/domain/ladder.ts';
import { calendar, minutes, opened, T0 } from './fixtures.ts';

const desk: Actor = { clientId: 'desk-1', roles: ['desk'] };

// Budgets left out: escalation budgets come from the ladder whatever the policy.
const newCase = () => openCase(opened({ budgets: undefined }), DEMO_STATION, T0).record;

const fact = (record: CaseRecord, kind: DeadlineKind, extra: Partial<DataOf<'gridcase.case.deadline-passed.v1'>> = {}) => ({
  caseId: record.caseId,
  kind,
  dueAt: (record.deadlines[kind]?.dueAt ?? T0).toISOString(),
  version: record.deadlineVersion,
  at: minutes(121).toISOString(),
  ...extra,
});
const passed = (record: CaseRecord, f: DataOf<'gridcase.case.deadline-passed.v1'>, now = minutes(121), ladder = DEFAULT_LADDER) =>
  decideDeadlinePassed(record, f, { now, officers: DEMO_STATION.officers, ladder });
const escalated = (d: EscalationDecision) => {
  if (d.kind !== 'escalated') throw new Error(`expected escalated, got ignored: ${d.reason}`);
  return d;
};
const command = (record: CaseRecord, type: 'gridcase.case-command.resolve.v1' | 'gridcase.case-command.acknowledge.v1', now: Date): CommandDecision =>
  decideCommand(
    record,
    { type, data: { commandId: `c-${type}`, caseId: 'case-1', by: desk, issuedAt: now.toISOString(), outcome: 'resolved', note: '' } } as never,
    { now, officers: DEMO_STATION.officers, calendar },
  );

describe('a passed deadline', () => {
  it('of the current version escalates one level: the lead, fresh ladder budgets for every running clock, three events', () => {
    const record = newCase();
    const now = minutes(121);
    const d = escalated(passed(record, fact(record, 'respond'), now));
    expect(d.record).toMatchObject({ level: 1, routedBy: 'escalation', deadlineVersion: 2, assignees: [{ officerId: 'lead-CG-01', role: 'lead' }] });
    expect(d.record.deadlines.respond).toEqual({ startedAt: now, dueAt: minutes(30, now) });
    expect(d.record.deadlines.resolve).toEqual({ startedAt: now, dueAt: minutes(240, now) });
    expect(d.events.map((e) => e.type)).toEqual(['gridcase.case.deadlines-set.v1', 'gridcase.case.escalated.v1', 'gridcase.case.assigned.v1']);
    expect(d.events[1]?.data).toEqual({
      caseId: 'case-1',
      fromLevel: 0,
      level: 1,
      reason: 'respond-overdue',
      kind: 'respond',
      deadline: minutes(120).toISOString(),
      respondBy: minutes(30, now).toISOString(),
      resolveBy: minutes(240, now).toISOString(),
      at: now.toISOString(),
    });
    expect(d.events[2]?.data).toMatchObject({ level: 1, routedBy: 'escalation', assignees: [{ officerId: 'lead-CG-01' }] });
    expect(d.events[0]?.data).toMatchObject({ version: 2, level: 1, running: [{ kind: 'respond' }, { kind: 'resolve' }] });
  });

  it("keeps a running clock's due time when it is sooner than the fresh budget: a sender's resolveBy survives a respond-overdue escalation", () => {
    const base = newCase();
    // The sender required resolution 150 minutes after opening: sooner than the lead's fresh 240 minutes.
    const record: CaseRecord = { ...base, deadlines: { ...base.deadlines, resolve: { startedAt: T0, dueAt: minutes(150) } } };
    const now = minutes(121);
    const d = escalated(passed(record, fact(record, 'respond'), now));
    expect(d.record.deadlines.resolve).toEqual({ startedAt: T0, dueAt: minutes(150) });
    // Acknowledging is due no later than resolving.
    expect(d.record.deadlines.respond).toEqual({ startedAt: now, dueAt: minutes(150) });
    expect(d.events[1]?.data).toMatchObject({ respondBy: minutes(150).toISOString(), resolveBy: minutes(150).toISOString() });
    // One already past when the respond clock's escalation comes starts afresh: one level at a time.
    const late: CaseRecord = { ...base, deadlines: { ...base.deadlines, resolve: { startedAt: T0, dueAt: minutes(120) } } };
    const both = escalated(passed(late, fact(late, 'respond'), now));
    expect(both.record.deadlines.resolve).toEqual({ startedAt: now, dueAt: minutes(240, now) });
    // …and is named on the escalation, so the timeline says both deadlines were missed.
    expect(both.events[1]?.data).toMatchObject({ reason: 'respond-overdue', kind: 'respond', alsoPassed: ['resolve'] });
    expect(d.events[1]?.data).not.toHaveProperty('alsoPassed');
  });

  it('keeps the working-time warning of a clock it keeps (a working-day resolveBy still ahead and sooner)', () => {
    const base = newCase();
    const warnAt = minutes(140);
    const record: CaseRecord = { ...base, deadlines: { ...base.deadlines, resolve: { startedAt: T0, dueAt: minutes(150), warnAt } } };
    const d = escalated(passed(record, fact(record, 'respond'), minutes(121)));
    expect(d.record.deadlines.resolve).toEqual({ startedAt: T0, dueAt: minutes(150), warnAt });
  });

  it('records why the ladder chose: the rung, who stood on it with their open cases, and no fallback when the rung was filled', () => {
    const record = newCase();
    const d = decideDeadlinePassed(record, fact(record, 'respond'), {
      now: minutes(121),
      officers: DEMO_STATION.officers,
      ladder: DEFAULT_LADDER,
      openCases: new Map([['lead-CG-01', 3]]),
    });
    const assigned = escalated(d).events.find((e) => e.type === 'gridcase.case.assigned.v1');
    expect(assigned?.data).toMatchObject({
      decision: {
        rule: 'ladder',
        posts: [{ post: 'lead', chosen: 'lead-CG-01', filledBy: 'on-duty', candidates: [{ officerId: 'lead-CG-01', role: 'lead', openCases: 3 }] }],
        fallback: null,
      },
    });
    // The ladder decided, not a person: no actor (the desk's timeline shows null).
    expect(assigned?.data).not.toHaveProperty('by');
  });

  it('records the rungs passed over when nobody stands on them', () => {
    const record = newCase();
    const withoutLeads = DEMO_STATION.officers.filter((o) => o.role !== 'lead');
    const d = escalated(decideDeadlinePassed(record, fact(record, 'respond'), { now: minutes(121), officers: withoutLeads, ladder: DEFAULT_LADDER }));
    const assigned = d.events.find((e) => e.type === 'gridcase.case.assigned.v1');
    if (assigned?.type !== 'gridcase.case.assigned.v1' || !assigned.data.decision) throw new Error('expected case.assigned with a decision');
    const { decision } = assigned.data;
    expect(decision.posts.map((p) => [p.post, p.filledBy])).toEqual([['lead', 'none'], ['deskLeader', 'on-duty']]);
    expect(decision.fallback).toBe('lead: nobody on the roster; passed up to deskLeader');
  });

  it('goes by the rosters: a lead on leave is passed over to the desk leader, one off shift is taken only when nobody of the rung is on duty', () => {
    const record = newCase();
    const now = minutes(121);
    const onLeave = new Map([['lead-CG-01', { shifts: [], onCall: false, leave: [{ from: T0.toISOString(), until: minutes(600).toISOString() }] }]]);
    const d = escalated(decideDeadlinePassed(record, fact(record, 'respond'), { now, officers: DEMO_STATION.officers, ladder: DEFAULT_LADDER, duty: onLeave }));
    const assigned = d.events.find((e) => e.type === 'gridcase.case.assigned.v1');
    if (assigned?.type !== 'gridcase.case.assigned.v1' || !assigned.data.decision) throw new Error('expected case.assigned with a decision');
    expect(d.record.assignees.map((a) => a.officerId)).toEqual([expect.stringMatching(/^desk-leader-/)]);
    expect(assigned.data.decision.posts.map((p) => [p.post, p.filledBy, p.candidates.map((c) => c.passedOver)])).toEqual([
      ['lead', 'none', ['on-leave']],
      ['deskLeader', 'on-duty', [undefined]],
    ]);
    // The lead is on the roster: the words say leave, not an empty rung (audit20 #7).
    expect(assigned.data.decision.fallback).toBe('lead: on leave; passed up to deskLeader');
    // Off shift (not on leave) and nobody else on the rung: the lead stays the rung's owner, as before rosters.
    const offShift = new Map([['lead-CG-01', { shifts: [{ name: 'x', days: [1], start: '03:00', end: '03:01' }], onCall: false, leave: [] }]]);
    const off = escalated(decideDeadlinePassed(record, fact(record, 'respond'), { now, officers: DEMO_STATION.officers, ladder: DEFAULT_LADDER, duty: offShift }));
    expect(off.record.assignees.map((a) => a.officerId)).toEqual(['lead-CG-01']);
  });

  it('with everyone above on leave, moves the case up a level but leaves it with its owners, and says so (audit19 #8)', () => {
    const record = newCase();
    const now = minutes(121);
    const leave = [{ from: T0.toISOString(), until: minutes(600).toISOString() }];
    const above = DEMO_STATION.officers.filter((o) => ['lead', 'deskLeader', 'deputyChief', 'chief'].includes(o.role));
    const allAway = new Map(above.map((o) => [o.officerId, { shifts: [], onCall: false, leave }]));
    const d = escalated(decideDeadlinePassed(record, fact(record, 'respond'), { now, officers: DEMO_STATION.officers, ladder: DEFAULT_LADDER, duty: allAway }));
    expect(d.keptOwners).toBe(true);
    expect(d.record).toMatchObject({ level: 1, assignees: record.assignees });
    const assigned = d.events.find((e) => e.type === 'gridcase.case.assigned.v1');
    expect(assigned?.data).toMatchObject({ level: 1, reason: 'lead: on leave; deskLeader: on leave; deputyChief: on leave; chief: on leave; nobody at or above lead, so the current owners keep the case',
    });
  });

  it('reaches someone new: a lead who already owns the case (a red case routed up at night) is passed over to the desk leader; the chief at the top stays', () => {
    const lead = DEMO_STATION.officers.find((o) => o.officerId === 'lead-CG-01');
    if (!lead) throw new Error('the demo station has lead-CG-01');
    const record: CaseRecord = { ...newCase(), assignees: [{ officerId: lead.officerId, role: 'lead', name: lead.name }] };
    const d = escalated(passed(record, fact(record, 'respond')));
    expect(d.record).toMatchObject({ level: 1, assignees: [{ role: 'deskLeader' }] });
    const assigned = d.events.find((e) => e.type === 'gridcase.case.assigned.v1');
    if (assigned?.type !== 'gridcase.case.assigned.v1' || !assigned.data.decision) throw new Error('expected case.assigned with a decision');
    expect(assigned.data.decision.posts.map((p) => p.post)).toEqual(['deskLeader']);
    expect(assigned.data.decision.fallback).toBe("lead: the case's owners hold that rank or higher; passed up to deskLeader");

    const atTop: CaseRecord = { ...newCase(), level: 5, assignees: [{ officerId: 'chief-CG', role: 'chief', name: '马国华' }] };
    expect(escalated(passed(atTop, fact(atTop, 'respond'))).record.assignees.map((a) => a.officerId)).toEqual(['chief-CG']);
  });

  it('climbs above the highest rank its owners hold: a level-0 case the desk leader took over goes to the deputy chief, never down to a lead (audit20 #1)', () => {
    const worker = newCase().assignees.find((a) => a.role === 'gridWorker');
    if (!worker) throw new Error('a routed case has a grid worker');
    const record: CaseRecord = { ...newCase(), assignees: [{ officerId: 'desk-leader-CG', role: 'deskLeader', name: '董振林' }, worker] };
    const d = escalated(passed(record, fact(record, 'respond')));
    expect(d.record).toMatchObject({ level: 1, assignees: [{ role: 'deputyChief' }] });
    const assigned = d.events.find((e) => e.type === 'gridcase.case.assigned.v1');
    if (assigned?.type !== 'gridcase.case.assigned.v1' || !assigned.data.decision) throw new Error('expected case.assigned with a decision');
    expect(assigned.data.decision.posts.map((p) => p.post)).toEqual(['deputyChief']);
    expect(assigned.data.decision.fallback).toBe("lead, deskLeader: the case's owners hold that rank or higher; passed up to deputyChief");
    // The next escalation goes on up, to the chief, not back to the desk leader.
    const again = escalated(passed(d.record, fact(d.record, 'respond'), minutes(400)));
    expect(again.record).toMatchObject({ level: 2, assignees: [{ role: 'chief' }] });
  });

  it('of a resolved case escalates its verify clock (verify-overdue) with the resolve budget, leaving resolveBy as it was', () => {
    const resolved = (command(newCase(), 'gridcase.case-command.resolve.v1', minutes(10)) as { record: CaseRecord }).record;
    const d = escalated(passed(resolved, fact(resolved, 'verify'), minutes(5000)));
    expect(d.events[1]?.data).toMatchObject({ reason: 'verify-overdue', kind: 'verify', respondBy: undefined, resolveBy: minutes(72 * 60).toISOString() });
    expect(d.record.deadlines.verify?.dueAt).toEqual(minutes(240, minutes(5000)));
    expect(d.events[0]?.data).toMatchObject({ running: [{ kind: 'verify' }] });
  });

  it('past the top repeats the top budget and stays with the chief; an operator-set ladder is used', () => {
    const record = { ...newCase(), level: 6 };
    const d = escalated(passed(record, fact(record, 'resolve'), minutes(121), [{ level: 1, respondMinutes: 5, resolveMinutes: 10 }, { level: 4, respondMinutes: 7, resolveMinutes: 70 }]));
    expect(d.record).toMatchObject({ level: 7, assignees: [{ role: 'chief' }] });
    expect(d.record.deadlines.resolve.dueAt).toEqual(minutes(70, minutes(121)));
  });

  it('of an older version is stale and changes nothing', () => {
    const record = newCase();
    const acked = (command(record, 'gridcase.case-command.acknowledge.v1', minutes(10)) as { record: CaseRecord }).record;
    expect(passed(acked, fact(record, 'resolve'))).toEqual({ kind: 'ignored', reason: 'stale: the fact is about deadline version 1, the case is at version 2' });
  });

  it('of a clock that does not run now, or with another due time, changes nothing', () => {
    const record = newCase();
    expect(passed(record, fact(record, 'verify'))).toMatchObject({ kind: 'ignored', reason: 'the verify clock does not run while the case is open' });
    expect(passed(record, fact(record, 'respond', { dueAt: minutes(1).toISOString() }))).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/^the respond clock is due/) });
  });

  it('crossing a resolve gives the same owners and level in either order', () => {
    const record = newCase();
    const f = fact(record, 'resolve');
    // Resolve first: the fact is stale, the case stays at level 0 with its first owners.
    const resolvedFirst = (command(record, 'gridcase.case-command.resolve.v1', minutes(10)) as { record: CaseRecord }).record;
    expect(passed(resolvedFirst, f).kind).toBe('ignored');
    expect(resolvedFirst).toMatchObject({ level: 0, status: 'resolved', assignees: record.assignees });
    // Escalation first: level 1 with the lead, then the desk resolves it there.
    const up = escalated(passed(record, f)).record;
    const resolvedAfter = command(up, 'gridcase.case-command.resolve.v1', minutes(130));
    expect(resolvedAfter.kind === 'accepted' && resolvedAfter.record).toMatchObject({ level: 1, status: 'resolved', assignees: [{ officerId: 'lead-CG-01' }] });
  });
});
