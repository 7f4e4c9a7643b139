import { describe, expect, it } from 'vitest';
import { type CaseEvent, type CaseState, commandOutcome, project } from '../src/domain/project.ts';

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

describe('commandOutcome', () => {
  it('marks a command applied by any event carrying its id, rejected by case.command-rejected', () => {
    expect(commandOutcome(ev('gridcase.case.acknowledged.v1', { caseId: CASE, commandId: 'c1', by, at: t(5).toISOString() }))).toEqual({ commandId: 'c1', status: 'applied' });
    expect(commandOutcome(assigned(0, { commandId: 'c2', routedBy: 'reassign' }))).toEqual({ commandId: 'c2', status: 'applied' });
    expect(commandOutcome(ev('gridcase.case.command-rejected.v1', { caseId: CASE, commandId: 'c3', command: 'acknowledge', reason: 'case is resolved', at: t(5).toISOString() }))).toEqual({ commandId: 'c3', status: 'rejected', reason: 'case is resolved' });
    expect(commandOutcome(opened())).toBeUndefined();
    expect(commandOutcome(assigned())).toBeUndefined();
  });
});
