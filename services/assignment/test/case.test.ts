import type { DataOf, Officer } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { type CaseCommand, type CaseRecord, decideCommand, escalateCase, openCase } from '../src/domain/case.ts';
import { DEMO_STATION } from '../src/domain/demo-station.ts';

const T0 = new Date('2026-03-01T08:00:00Z');
const minutes = (n: number, from = T0) => new Date(from.getTime() + n * 60_000);
const by = { clientId: 'desk-1', name: '值班员' };

const opened = (location: DataOf<'gridcase.case.opened.v1'>['location']): DataOf<'gridcase.case.opened.v1'> => ({
  caseId: 'case-1',
  caseNumber: 'CG-2026-000001',
  reportId: 'report-1',
  station: 'CG',
  kind: 'dispute',
  category: 'dispute.neighbour',
  severity: 'yellow',
  description: '邻居夫妻吵了一整夜',
  location,
  respondBy: minutes(30).toISOString(),
  resolveBy: minutes(72 * 60).toISOString(),
  rule: 'test',
  openedAt: T0.toISOString(),
});

const newCase = (location: DataOf<'gridcase.case.opened.v1'>['location'] = { gridCode: 'CG-01-01' }) =>
  openCase(opened(location), DEMO_STATION, T0).record;

const command = <T extends CaseCommand['type']>(type: T, extra: Record<string, unknown> = {}) =>
  ({ type, data: { commandId: `cmd-${type}`, caseId: 'case-1', by, issuedAt: T0.toISOString(), ...extra } }) as unknown as CaseCommand;

const decide = (record: CaseRecord | undefined, cmd: CaseCommand, now = minutes(5), officers: readonly Officer[] = DEMO_STATION.officers) =>
  decideCommand(record, cmd, { now, officers });

describe('opening a case', () => {
  it('records it at level 0 with the pair and emits case.assigned', () => {
    const { record, assigned } = openCase(opened({ gridCode: 'CG-01-01' }), DEMO_STATION, T0);
    expect(record).toMatchObject({ status: 'open', level: 0, policeGridCode: 'CG-01', gridCode: 'CG-01-01', respondBudgetMs: 30 * 60_000 });
    expect(assigned.type).toBe('gridcase.case.assigned.v1');
    expect(assigned.data).toMatchObject({
      level: 0,
      routedBy: 'gridCode',
      assignees: [
        { officerId: 'officer-CG-01', role: 'officer', name: '王彦军' },
        { officerId: 'worker-CG-01-01', role: 'gridWorker', name: '小李' },
      ],
    });
  });

  it('gives an unroutable case to the desk leader with the reason', () => {
    const { record, assigned } = openCase(opened({ address: '不知道在哪' }), DEMO_STATION, T0);
    expect(record).toMatchObject({ policeGridCode: null, routedBy: 'desk' });
    expect(assigned.data).toMatchObject({ routedBy: 'desk', assignees: [{ officerId: 'desk-leader-CG', role: 'deskLeader' }] });
    expect(assigned.type === 'gridcase.case.assigned.v1' && assigned.data.reason).toMatch(/not geocoded/);
  });
});

describe('escalating a case', () => {
  const escalated = (level: number): DataOf<'gridcase.case.escalated.v1'> => ({
    caseId: 'case-1',
    fromLevel: level - 1,
    level,
    reason: 'respond-overdue',
    deadline: minutes(30).toISOString(),
    respondBy: minutes(60).toISOString(),
    resolveBy: minutes(600).toISOString(),
    at: minutes(31).toISOString(),
  });

  it('moves level 1 to the police grid lead with the fresh deadlines', () => {
    const decision = escalateCase(newCase(), escalated(1), DEMO_STATION.officers, minutes(31));
    expect(decision.kind).toBe('escalated');
    if (decision.kind !== 'escalated') return;
    expect(decision.record).toMatchObject({ level: 1, respondBy: minutes(60), resolveBy: minutes(600), routedBy: 'escalation' });
    expect(decision.event.data).toMatchObject({ level: 1, routedBy: 'escalation', assignees: [{ officerId: 'lead-CG-01', role: 'lead' }], gridCode: 'CG-01-01' });
  });

  it('moves levels 2, 3 and 4+ to the desk leader, deputy chief and chief', () => {
    const roles = [2, 3, 4, 6].map((level) => {
      const d = escalateCase({ ...newCase(), level: level - 1 }, escalated(level), DEMO_STATION.officers, minutes(31));
      return d.kind === 'escalated' ? d.record.assignees.map((a) => a.role) : d.reason;
    });
    expect(roles).toEqual([['deskLeader'], ['deputyChief'], ['chief'], ['chief']]);
  });

  it('ignores a level already reached and a resolved case', () => {
    expect(escalateCase({ ...newCase(), level: 1 }, escalated(1), DEMO_STATION.officers, T0)).toMatchObject({ kind: 'ignored' });
    expect(escalateCase({ ...newCase(), status: 'resolved' }, escalated(1), DEMO_STATION.officers, T0)).toMatchObject({ kind: 'ignored', reason: 'case is resolved' });
  });
});

describe('duty-desk commands', () => {
  it('acknowledges an open case once, and rejects the second', () => {
    const first = decide(newCase(), command('gridcase.case-command.acknowledge.v1'));
    expect(first.kind).toBe('accepted');
    expect(first.event).toMatchObject({ type: 'gridcase.case.acknowledged.v1', data: { commandId: 'cmd-gridcase.case-command.acknowledge.v1', by } });
    const second = decide(first.kind === 'accepted' ? first.record : undefined, command('gridcase.case-command.acknowledge.v1'));
    expect(second).toMatchObject({ kind: 'rejected', reason: 'case is acknowledged; only an open case can be acknowledged' });
    expect(second.event).toMatchObject({ type: 'gridcase.case.command-rejected.v1', data: { command: 'acknowledge' } });
  });

  it('resolves an open or acknowledged case, not a resolved one', () => {
    const resolve = command('gridcase.case-command.resolve.v1', { outcome: 'mediated', note: '调解成功' });
    for (const status of ['open', 'acknowledged'] as const) {
      const d = decide({ ...newCase(), status }, resolve);
      expect(d.kind === 'accepted' && d.record).toMatchObject({ status: 'resolved', outcome: 'mediated', resolvedAt: minutes(5) });
      expect(d.event).toMatchObject({ type: 'gridcase.case.resolved.v1', data: { outcome: 'mediated', note: '调解成功' } });
    }
    expect(decide({ ...newCase(), status: 'resolved' }, resolve).kind).toBe('rejected');
  });

  it('reopens only a resolved case, with its first budgets counted from now', () => {
    const reopen = command('gridcase.case-command.reopen.v1', { reason: '又吵起来了' });
    const now = minutes(24 * 60);
    const d = decide({ ...newCase(), status: 'resolved', respondBy: minutes(999), outcome: 'mediated' }, reopen, now);
    expect(d.kind).toBe('accepted');
    expect(d.kind === 'accepted' && d.record).toMatchObject({ status: 'open', respondBy: minutes(30, now), resolveBy: minutes(72 * 60, now), outcome: null });
    expect(d.event.data).toMatchObject({ respondBy: minutes(30, now).toISOString(), resolveBy: minutes(72 * 60, now).toISOString(), reason: '又吵起来了' });
    expect(decide(newCase(), reopen)).toMatchObject({ kind: 'rejected', reason: 'case is open; only a resolved case can be reopened' });
  });

  it('adds a note in any state', () => {
    for (const status of ['open', 'acknowledged', 'resolved', 'closed'] as const) {
      const d = decide({ ...newCase(), status }, command('gridcase.case-command.note.v1', { text: '已电话联系' }));
      expect(d).toMatchObject({ kind: 'accepted', note: { text: '已电话联系' }, event: { type: 'gridcase.case.note-added.v1' } });
    }
  });

  it('reassigns to people on the roster keeping the level, and rejects unknown officers', () => {
    const d = decide({ ...newCase(), level: 2 }, command('gridcase.case-command.reassign.v1', { officerIds: ['officer-CG-02', 'worker-CG-02-01'] }));
    expect(d.kind).toBe('accepted');
    expect(d.event).toMatchObject({
      type: 'gridcase.case.assigned.v1',
      data: { level: 2, routedBy: 'reassign', commandId: 'cmd-gridcase.case-command.reassign.v1', assignees: [{ name: '张明辉', role: 'officer' }, { role: 'gridWorker' }] },
    });
    const bad = decide(newCase(), command('gridcase.case-command.reassign.v1', { officerIds: ['officer-CG-02', 'ghost'] }));
    expect(bad).toMatchObject({ kind: 'rejected', reason: 'unknown officer: ghost' });
  });

  it('rejects any command for a case it does not know', () => {
    const d = decide(undefined, command('gridcase.case-command.note.v1', { text: 'x' }));
    expect(d).toMatchObject({ kind: 'rejected', event: { data: { caseId: 'case-1', command: 'note' } } });
    expect(d.kind === 'rejected' && d.reason).toMatch(/unknown case case-1/);
  });
});
