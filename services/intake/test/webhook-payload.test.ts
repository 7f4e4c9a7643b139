import { makeMessage, newId, SYSTEM_ACTOR } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { webhookPayload } from '../src/domain/webhook-payload.ts';

const at = '2026-11-30T02:00:00.000Z';
const by = { clientId: 'desk-client', officerId: 'wang-yanjun' };
const payload = (message: unknown) => JSON.parse(webhookPayload(JSON.stringify(message))) as { type: string; data: Record<string, unknown> };

describe('a webhook payload', () => {
  it('withholds what staff wrote and who acted, and names what it withheld', () => {
    const followedUp = makeMessage('gridcase.case.followed-up.v1', {
      source: '/test',
      subject: 'c1',
      data: { caseId: 'c1', commandId: newId(), satisfaction: 'satisfied', note: '电话回访周九先生（13112345678），表示满意', status: 'closed', reworkCount: 0, by, at },
    });
    const sent = payload(followedUp);
    expect(sent.data).toMatchObject({ caseId: 'c1', satisfaction: 'satisfied', redacted: ['by', 'note'] });
    expect(JSON.stringify(sent)).not.toContain('13112345678');
    expect(JSON.stringify(sent)).not.toContain('wang-yanjun');
  });

  const mergedEvent = makeMessage('gridcase.case.report-merged.v1', {
    source: '/test',
    subject: 'c1',
    data: {
      caseId: 'c1',
      reportId: 'r2',
      reason: 'same kind and place as open case c1, words 77% alike',
      mergedAt: at,
      reporter: { anonymous: false, hasContact: true },
      title: '张三家吵架',
      description: '我是李四，电话13912345678，楼上张三在打老婆',
      respondBy: at,
      resolveBy: at,
    },
  });

  it("withholds what a merged report said and required, and which report it was and why it joined, from another report's sender (audit15 #12)", () => {
    const merged = payload(mergedEvent);
    expect(merged.data).toEqual({
      caseId: 'c1',
      mergedAt: at,
      redacted: ['description', 'reason', 'reportId', 'reporter', 'resolveBy', 'respondBy', 'title'],
    });
    expect(JSON.stringify(merged)).not.toContain('13912345678');
    expect(JSON.stringify(merged)).not.toContain('张三');
    expect(JSON.stringify(merged)).not.toContain('r2');
    expect(JSON.stringify(merged)).not.toContain('alike');
    // Said outright, as the handler says it for a client whose report it is not.
    expect(JSON.parse(webhookPayload(JSON.stringify(mergedEvent), { ownReport: false }))).toEqual(merged);
  });

  it('tells the merged report\'s own sender which report joined the case and why, still without what it said', () => {
    const merged = JSON.parse(webhookPayload(JSON.stringify(mergedEvent), { ownReport: true })) as { data: Record<string, unknown> };
    expect(merged.data).toEqual({
      caseId: 'c1',
      reportId: 'r2',
      reason: 'same kind and place as open case c1, words 77% alike',
      mergedAt: at,
      redacted: ['description', 'reporter', 'resolveBy', 'respondBy', 'title'],
    });
  });

  it("keeps case.opened's report id, whoever hears of it", () => {
    const opened = { type: 'gridcase.case.opened.v1', data: { caseId: 'c1', reportId: 'r1', rule: 'test' } };
    expect(JSON.parse(webhookPayload(JSON.stringify(opened))).data).toEqual({ caseId: 'c1', reportId: 'r1', redacted: ['rule'] });
  });

  it("withholds a person's reason for a hold, reopen or extension, and keeps the system's reason codes", () => {
    const held = payload(
      makeMessage('gridcase.case.held.v1', {
        source: '/test',
        subject: 'c1',
        data: { caseId: 'c1', commandId: newId(), reason: '等待当事人张三出院', fromStatus: 'acknowledged', by, at },
      }),
    );
    expect(held.data).not.toHaveProperty('reason');
    expect(held.data.redacted).toEqual(['by', 'reason']);
    const escalated = payload(
      makeMessage('gridcase.case.escalated.v1', {
        source: '/test',
        subject: 'c1',
        data: { caseId: 'c1', fromLevel: 0, level: 1, reason: 'respond-overdue', deadline: at, resolveBy: at, at },
      }),
    );
    expect(escalated.data.reason).toBe('respond-overdue');
    expect(escalated.data).not.toHaveProperty('redacted');
    // A hold that ran out: the sender learns why the case resumed without anyone resuming it.
    const resumed = payload(
      makeMessage('gridcase.case.resumed.v1', {
        source: '/test',
        subject: 'c1',
        data: { caseId: 'c1', commandId: newId(), by: SYSTEM_ACTOR, status: 'acknowledged', heldMs: 60_000, reason: 'hold-expired', at },
      }),
    );
    expect(resumed.data).toMatchObject({ status: 'acknowledged', heldMs: 60_000, reason: 'hold-expired', redacted: ['by'] });
    // A reassign's reason is what the person wrote; routing's (a handover's "officer off-duty → …") is the
    // station's internals: neither is sent.
    const assigned = (routedBy: 'reassign' | 'desk', reason: string) =>
      payload(
        makeMessage('gridcase.case.assigned.v1', {
          source: '/test',
          subject: 'c1',
          data: { caseId: 'c1', level: 0, assignees: [], routedBy, reason, ...(routedBy === 'reassign' ? { by } : {}), at },
        }),
      ).data;
    expect(assigned('reassign', '王警官家中有事，当事人李四要求换人')).toMatchObject({ redacted: ['by', 'reason'] });
    expect(assigned('reassign', 'x')).not.toHaveProperty('reason');
    expect(assigned('desk', 'no grid at this location')).toMatchObject({ redacted: ['reason'] });
    expect(assigned('desk', 'no grid at this location')).not.toHaveProperty('reason');
  });

  it("withholds routing's and triage's internals and the owners' names; keeps what became of the report", () => {
    const assigned = payload(
      makeMessage('gridcase.case.assigned.v1', {
        source: '/test',
        subject: 'c1',
        data: {
          caseId: 'c1',
          level: 0,
          assignees: [{ officerId: 'wang-yanjun', role: 'officer', name: '王彦军' }],
          policeGridCode: 'PG-01',
          routedBy: 'handover',
          reason: 'handed on: officer off-duty → officer on-duty',
          decision: {
            referenceVersion: 7,
            rule: 'handover',
            posts: [{ post: 'officer', chosen: 'wang-yanjun', filledBy: 'off-duty-owner', candidates: [{ officerId: 'li-si', role: 'officer', openCases: 9, passedOver: 'on-leave' }] }],
            fallback: null,
          },
          at,
        },
      }),
    );
    expect(assigned.data).toEqual({
      caseId: 'c1',
      level: 0,
      assignees: [{ officerId: 'wang-yanjun', role: 'officer' }],
      policeGridCode: 'PG-01',
      routedBy: 'handover',
      at,
      redacted: ['assignees.name', 'decision', 'reason'],
    });
    const opened = payload(
      makeMessage('gridcase.case.opened.v1', {
        source: '/test',
        subject: 'c1',
        data: {
          caseId: 'c1',
          caseNumber: 'CG-2026-000001',
          reportId: 'r1',
          station: 'CG',
          kind: 'tip',
          category: 'tip.fraud',
          severity: 'yellow',
          description: '有人在小区推销高额回报理财',
          location: { gridCode: 'BHY-01' },
          respondBy: at,
          resolveBy: at,
          rule: 'tip-fraud: 高额回报',
          openedAt: at,
          budgets: { respond: { minutes: 120 }, resolve: { workingDays: 5 } },
          reporter: { anonymous: false, hasContact: true },
          relapse: true,
          relatedCaseIds: ['c0'],
          ruleVersion: 3,
          decidedBy: { by: 'rule', rule: 'tip-fraud' },
        },
      }),
    );
    expect(Object.keys(opened.data).sort()).toEqual(
      ['caseId', 'caseNumber', 'reportId', 'station', 'kind', 'category', 'severity', 'description', 'location', 'respondBy', 'resolveBy', 'openedAt', 'redacted'].sort(),
    );
    expect(opened.data.redacted).toEqual(['budgets', 'decidedBy', 'relapse', 'relatedCaseIds', 'reporter', 'rule', 'ruleVersion']);
  });

  it('sends an event with nothing to withhold byte for byte', () => {
    const raw = JSON.stringify({ id: 'e1', type: 'gridcase.case.assigned.v1', data: { caseId: 'c1', assignees: [] } });
    expect(webhookPayload(raw)).toBe(raw);
  });
});
