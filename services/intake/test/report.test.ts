import { makeMessage, MESSAGE_SCHEMAS, reportBodyWith } from '@gridcase/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCaseEvent, type CaseSummary, linkReport, nextReportStatus } from '../src/domain/case-summary.ts';
import { toReportReceived, toReportView } from '../src/domain/report.ts';

const at = new Date('2026-03-01T14:00:00Z');

describe('report.received data', () => {
  const body = {
    externalId: 'e1',
    description: '小孩的滑板车在广场丢了',
    location: { address: '城关镇中心广场' },
    reporter: { name: '张明', phone: '13800000000', idNumber: '620321199001011234' },
  };

  it('carries no personal data, only whether the reporter is anonymous and reachable', () => {
    const data = toReportReceived(body, { reportId: 'r1', clientId: 'c1' }, at);
    expect(JSON.stringify(data)).not.toMatch(/张明|13800000000|620321199001011234/);
    expect(data.reporter).toEqual({ anonymous: false, hasContact: true });
  });

  it('defaults occurredAt to the receipt time and attachments to none, and satisfies the contract', () => {
    const data = toReportReceived(body, { reportId: 'r1', clientId: 'c1' }, at);
    expect(data.occurredAt).toBe(at.toISOString());
    expect(data.attachments).toEqual([]);
    expect(() => makeMessage('gridcase.report.received.v1', { source: '/t', subject: 'r1', data })).not.toThrow();
  });
});

describe('report.received from any body intake accepts', () => {
  const some = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  // Graphemes, so no unpaired surrogate; NUL and the other controls included.
  const words = (min: number, max: number) => fc.string({ unit: 'grapheme', minLength: min, maxLength: max });
  const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2026-02-28T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  // A sender's deadlines lie ahead of the receipt.
  const deadline = fc.date({ min: at, max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  const body = fc.record(
    {
      externalId: words(1, 128),
      kind: some(fc.constantFrom('dispute', 'hazard', 'service', 'tip')),
      category: some(fc.constantFrom('dispute.neighbour', 'hazard.fire')),
      title: some(words(0, 200)),
      description: words(1, 300),
      occurredAt: some(instant),
      location: fc
        .record(
          { point: fc.tuple(fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true })), gridCode: words(1, 64), communityCode: words(1, 64), address: words(1, 500) },
          { requiredKeys: [] },
        )
        .map(({ point, ...rest }) => (point ? { lat: point[0], lng: point[1], ...rest } : rest)),
      reporter: some(fc.record({ name: words(0, 100), phone: words(0, 32), idNumber: words(0, 32), anonymous: fc.boolean(), email: fc.emailAddress() }, { requiredKeys: [] })),
      respondBy: some(deadline),
      resolveBy: some(deadline),
      attachments: some(fc.array(fc.record({ url: fc.webUrl(), mediaType: fc.constantFrom('image/jpeg', 'video/mp4', 'text/plain; charset=utf-8') }), { maxLength: 3 })),
    },
    { requiredKeys: ['externalId', 'description', 'location'] },
  );

  it('satisfies the event schema as built, so intake need not parse it again (envelopeOf)', () => {
    const accepts = reportBodyWith(() => true, () => at);
    const schema = MESSAGE_SCHEMAS['gridcase.report.received.v1'];
    let accepted = 0;
    fc.assert(
      fc.property(body, (candidate) => {
        const parsed = accepts.safeParse(candidate);
        if (!parsed.success) return;
        accepted++;
        const data = toReportReceived(parsed.data, { reportId: 'r1', clientId: 'c1' }, at);
        // What the parse would have sent is what is sent without it.
        expect(JSON.parse(JSON.stringify(schema.parse(data)))).toEqual(JSON.parse(JSON.stringify(data)));
      }),
      // A fixed seed: the same thousand bodies every run, so the count below cannot flake.
      { numRuns: 1000, seed: 20261129 },
    );
    // Many are refused (a NUL, a bad email): the property must still have been held over hundreds.
    expect(accepted).toBeGreaterThan(300);
  });
});

describe('report status', () => {
  it('moves received → triaged → assigned', () => {
    expect(nextReportStatus('received', 'opened')).toBe('triaged');
    expect(nextReportStatus('triaged', 'assigned')).toBe('assigned');
  });
  it('moves to merged, and a merged report stays merged when its case is assigned', () => {
    expect(nextReportStatus('received', 'merged')).toBe('merged');
    expect(nextReportStatus('merged', 'assigned')).toBe('merged');
  });
  it('never moves backwards on a redelivered case.opened', () => {
    expect(nextReportStatus('assigned', 'opened')).toBe('assigned');
  });
  it('links a report to the case that opened it only once, and always to the case it merged into', () => {
    expect(linkReport({ status: 'received', caseId: null }, 'opened', 'c1')).toEqual({ status: 'triaged', caseId: 'c1' });
    const merged = { status: 'merged' as const, caseId: 'c1' };
    expect(linkReport(merged, 'opened', 'c2')).toBe(merged);
    expect(linkReport({ status: 'received', caseId: null }, 'merged', 'c1')).toEqual({ status: 'merged', caseId: 'c1' });
  });
});

describe('case summary', () => {
  const caseId = 'case-1';
  const msg = <T extends Parameters<typeof makeMessage>[0]>(type: T, data: Parameters<typeof makeMessage<T>>[1]['data']) =>
    makeMessage(type, { source: '/t', subject: caseId, data });
  const opened = msg('gridcase.case.opened.v1', {
    caseId,
    caseNumber: 'CG-2026-000001',
    reportId: 'r1',
    station: 'CG',
    kind: 'hazard',
    category: 'hazard.facility',
    severity: 'orange',
    description: '门禁坏了',
    location: { gridCode: 'CG-01-01' },
    respondBy: '2026-03-01T14:15:00Z',
    resolveBy: '2026-03-02T14:00:00Z',
    rule: 'r',
    openedAt: at.toISOString(),
  });

  it('starts at case.opened and follows assignment, acknowledgement, escalation, resolution and reopening', () => {
    let s = applyCaseEvent(undefined, opened) as CaseSummary;
    expect(s).toMatchObject({ caseNumber: 'CG-2026-000001', status: 'open', level: 0, assignees: [] });
    const assignees = [{ officerId: 'o1', role: 'officer' as const }];
    s = applyCaseEvent(s, msg('gridcase.case.assigned.v1', { caseId, level: 0, assignees, routedBy: 'gridCode', at: at.toISOString() })) as CaseSummary;
    expect(s.assignees).toEqual(assignees);
    s = applyCaseEvent(
      s,
      msg('gridcase.case.escalated.v1', { caseId, fromLevel: 0, level: 1, reason: 'respond-overdue', deadline: '2026-03-01T14:15:00Z', respondBy: '2026-03-01T14:45:00Z', resolveBy: '2026-03-02T20:00:00Z', at: at.toISOString() }),
    ) as CaseSummary;
    expect(s).toMatchObject({ level: 1, respondBy: new Date('2026-03-01T14:45:00Z'), resolveBy: new Date('2026-03-02T20:00:00Z') });
    s = applyCaseEvent(s, msg('gridcase.case.acknowledged.v1', { caseId, commandId: 'k1', by: { clientId: 'd' }, at: at.toISOString() })) as CaseSummary;
    expect(s.status).toBe('acknowledged');
    s = applyCaseEvent(s, msg('gridcase.case.resolved.v1', { caseId, commandId: 'k2', outcome: 'mediated', note: '', by: { clientId: 'd' }, at: at.toISOString() })) as CaseSummary;
    expect(s.status).toBe('resolved');
    s = applyCaseEvent(
      s,
      msg('gridcase.case.reopened.v1', { caseId, commandId: 'k3', reason: 'again', by: { clientId: 'd' }, respondBy: '2026-03-03T00:00:00Z', resolveBy: '2026-03-04T00:00:00Z', at: at.toISOString() }),
    ) as CaseSummary;
    expect(s).toMatchObject({ status: 'open', level: 1, resolveBy: new Date('2026-03-04T00:00:00Z') });
  });

  it('follows the whole life: verification, follow-up, hold, resume, extension and the deadlines the case of record sets', () => {
    const by = { clientId: 'd', officerId: 'o1' };
    const t = at.toISOString();
    let s = applyCaseEvent(undefined, opened) as CaseSummary;
    s = applyCaseEvent(s, msg('gridcase.case.held.v1', { caseId, commandId: 'h', by, at: t, reason: '等待鉴定', fromStatus: 'open' })) as CaseSummary;
    expect(s.status).toBe('on-hold');
    // Held: nothing runs, the last due times stay shown.
    s = applyCaseEvent(s, msg('gridcase.case.deadlines-set.v1', { caseId, version: 2, level: 0, running: [], at: t })) as CaseSummary;
    expect(s).toMatchObject({ respondBy: new Date('2026-03-01T14:15:00Z'), resolveBy: new Date('2026-03-02T14:00:00Z') });
    s = applyCaseEvent(s, msg('gridcase.case.resumed.v1', { caseId, commandId: 'r', by, at: t, status: 'open', heldMs: 3_600_000 })) as CaseSummary;
    s = applyCaseEvent(
      s,
      msg('gridcase.case.deadlines-set.v1', {
        caseId,
        version: 3,
        level: 0,
        running: [
          { kind: 'respond', startedAt: t, dueAt: '2026-03-01T15:15:00Z' },
          { kind: 'resolve', startedAt: t, dueAt: '2026-03-02T15:00:00Z' },
        ],
        at: t,
      }),
    ) as CaseSummary;
    expect(s).toMatchObject({ status: 'open', respondBy: new Date('2026-03-01T15:15:00Z'), resolveBy: new Date('2026-03-02T15:00:00Z') });
    s = applyCaseEvent(s, msg('gridcase.case.extension-approved.v1', { caseId, commandId: 'x', by, at: t, until: '2026-03-05T10:00:00Z' })) as CaseSummary;
    expect(s.resolveBy).toEqual(new Date('2026-03-05T10:00:00Z'));
    s = applyCaseEvent(s, msg('gridcase.case.resolved.v1', { caseId, commandId: 'k2', outcome: 'mediated', note: '调解成功', by, at: t })) as CaseSummary;
    // Only the verify clock runs now; the sender still sees the resolve deadline.
    s = applyCaseEvent(s, msg('gridcase.case.deadlines-set.v1', { caseId, version: 5, level: 0, running: [{ kind: 'verify', startedAt: t, dueAt: '2026-03-04T10:00:00Z' }], at: t })) as CaseSummary;
    expect(s).toMatchObject({ status: 'resolved', resolveBy: new Date('2026-03-05T10:00:00Z') });
    s = applyCaseEvent(s, msg('gridcase.case.verified.v1', { caseId, commandId: 'v', by, at: t, result: 'passed', note: '属实', status: 'follow-up', reworkCount: 0 })) as CaseSummary;
    expect(s.status).toBe('follow-up');
    s = applyCaseEvent(s, msg('gridcase.case.followed-up.v1', { caseId, commandId: 'f', by, at: t, satisfaction: 'unsatisfied', note: '不满意', status: 'acknowledged', reworkCount: 1 })) as CaseSummary;
    expect(s.status).toBe('acknowledged');
    s = applyCaseEvent(s, msg('gridcase.case.reopened.v1', { caseId, commandId: 'o', reason: '复发', by, respondBy: t, resolveBy: '2026-03-09T10:00:00Z', status: 'acknowledged', reworkCount: 2, at: t })) as CaseSummary;
    expect(s).toMatchObject({ status: 'acknowledged', resolveBy: new Date('2026-03-09T10:00:00Z') });
    s = applyCaseEvent(s, msg('gridcase.case.closed.v1', { caseId, reason: 'followed-up', at: t })) as CaseSummary;
    expect(s.status).toBe('closed');
  });

  it('ignores a redelivered case.opened, and events of a case it never saw open', () => {
    const s = { ...(applyCaseEvent(undefined, opened) as CaseSummary), status: 'acknowledged' as const };
    expect(applyCaseEvent(s, opened)).toBe(s);
    expect(applyCaseEvent(undefined, msg('gridcase.case.acknowledged.v1', { caseId, commandId: 'k', by: { clientId: 'd' }, at: at.toISOString() }))).toBeUndefined();
  });

  it("shows a sender the case's owners by id and role only, as its webhooks do; desk roles see their names", () => {
    const summary = { ...(applyCaseEvent(undefined, opened) as CaseSummary), assignees: [{ officerId: 'officer-CG-03', role: 'officer' as const, name: '吴映蓉' }] };
    const report = { reportId: 'r1', externalId: 'e1', status: 'triaged', receivedAt: at, caseId };
    expect(toReportView(report, summary, { staffNames: false }).case?.assignees).toEqual([{ officerId: 'officer-CG-03', role: 'officer' }]);
    expect(toReportView(report, summary, { staffNames: true }).case?.assignees).toEqual([{ officerId: 'officer-CG-03', role: 'officer', name: '吴映蓉' }]);
  });

  it('shows the case in the report view once known', () => {
    const summary = applyCaseEvent(undefined, opened) as CaseSummary;
    const view = toReportView({ reportId: 'r1', externalId: 'e1', status: 'triaged', receivedAt: at, caseId }, summary, { staffNames: true });
    expect(view).toMatchObject({ status: 'triaged', caseId, case: { caseNumber: 'CG-2026-000001', respondBy: '2026-03-01T14:15:00.000Z' } });
    expect(toReportView({ reportId: 'r1', externalId: 'e1', status: 'received', receivedAt: at, caseId: null }, undefined, { staffNames: false })).toEqual({
      reportId: 'r1',
      externalId: 'e1',
      status: 'received',
      receivedAt: at.toISOString(),
    });
  });
});
