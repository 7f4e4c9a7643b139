import { describe, expect, it } from 'vitest';
import { caseAcknowledged, caseOpened, caseReopened, caseResolved } from '../src/domain/case-events.ts';
import type { CaseState, Timer } from '../src/domain/timers.ts';

const c = (over: Partial<CaseState> = {}): CaseState => ({
  caseId: 'case-1',
  status: 'open',
  level: 1,
  round: 0,
  respondBy: new Date('2026-03-01T08:30:00Z'),
  resolveBy: new Date('2026-03-01T12:00:00Z'),
  ...over,
});
const pending: Timer[] = [
  { id: 'r', caseId: 'case-1', kind: 'respond', level: 1, round: 0, dueAt: new Date('2026-03-01T08:30:00Z'), status: 'pending' },
  { id: 's', caseId: 'case-1', kind: 'resolve', level: 1, round: 0, dueAt: new Date('2026-03-01T12:00:00Z'), status: 'pending' },
];
const by = { clientId: 'desk-1' };

describe('case events', () => {
  it('opens at level 0 with a respond and a resolve deadline', () => {
    const opened = caseOpened({
      caseId: 'case-1', caseNumber: 'CG-2026-000001', reportId: 'r1', station: 'CG', kind: 'dispute', category: 'dispute.neighbour',
      severity: 'yellow', description: '邻居夫妻吵了一夜', location: { gridCode: 'CG-01-01' }, respondBy: '2026-03-01T08:30:00Z',
      resolveBy: '2026-03-04T08:00:00Z', rule: 'test', openedAt: '2026-03-01T08:00:00Z',
    });
    expect(opened).toMatchObject({ status: 'open', level: 0, round: 0 });
    expect(opened.create.map((t) => [t.kind, t.level, t.round, t.dueAt.toISOString()])).toEqual([
      ['respond', 0, 0, '2026-03-01T08:30:00.000Z'],
      ['resolve', 0, 0, '2026-03-04T08:00:00.000Z'],
    ]);
  });

  it('acknowledging cancels only the respond deadline', () => {
    expect(caseAcknowledged(c(), pending)).toMatchObject({ changed: true, cancel: ['r'], create: [], case: { status: 'acknowledged' } });
    expect(caseAcknowledged(c({ status: 'resolved' }), pending)).toEqual({ changed: false, why: 'case is already resolved' });
  });

  it('resolving cancels everything pending', () => {
    expect(caseResolved(c({ status: 'acknowledged' }), pending)).toMatchObject({ changed: true, cancel: ['r', 's'], case: { status: 'resolved' } });
    expect(caseResolved(c({ status: 'resolved' }), [])).toEqual({ changed: false, why: 'case is already resolved' });
  });

  it('reopening starts a new round at the same level with the new deadlines', () => {
    const out = caseReopened(c({ status: 'resolved' }), [], {
      caseId: 'case-1', commandId: 'cmd', reason: 'again', by, respondBy: '2026-03-02T09:00:00Z', resolveBy: '2026-03-02T18:00:00Z', at: '2026-03-02T08:30:00Z',
    });
    expect(out).toMatchObject({ changed: true, case: { status: 'open', level: 1, round: 1 } });
    if (!out.changed) return;
    expect(out.create.map((t) => [t.kind, t.level, t.round, t.dueAt.toISOString()])).toEqual([
      ['respond', 1, 1, '2026-03-02T09:00:00.000Z'],
      ['resolve', 1, 1, '2026-03-02T18:00:00.000Z'],
    ]);
  });
});
