import {
  AcknowledgeBody,
  type Actor,
  type DeskCaseView,
  ExtensionApproveBody,
  ExtensionBody,
  ExtensionRejectBody,
  FollowUpBody,
  HoldBody,
  NoteBody,
  ReassignBody,
  ReopenBody,
  ResolveBody,
  ResumeBody,
  VerifyBody,
} from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { caseQuery, keepCase, searchTerm } from '../../web/src/filter.ts';
import { formatFigure, statsQuery } from '../../web/src/figures.ts';
import { bodyOf, type Fields, FORM, MULTILINE, reassignBody } from '../../web/src/forms.ts';
import { offers, PAGE_COMMANDS, type PageCommand } from '../../web/src/rules.ts';
import { dueClass, nextDeadline } from '../../web/src/deadline.ts';

const base: DeskCaseView = {
  caseId: 'c1',
  caseNumber: 'CG-2026-000001',
  status: 'open',
  level: 0,
  category: 'dispute.neighbour',
  severity: 'yellow',
  kind: 'dispute',
  title: null,
  assignees: [
    { officerId: 'o-1', role: 'officer', name: '王彦军' },
    { officerId: 'w-1', role: 'gridWorker', name: '小李' },
  ],
  policeGridCode: 'CG-01',
  gridCode: 'CG-01-01',
  respondBy: '2026-11-29T03:00:00.000Z',
  resolveBy: '2026-12-02T10:00:00.000Z',
  openedAt: '2026-11-29T02:30:00.000Z',
  acknowledgedAt: null,
  resolvedAt: null,
  outcome: null,
  escalations: 0,
  overdue: false,
  lastEventAt: '2026-11-29T02:30:00.000Z',
  reworkCount: 0,
  relapse: false,
  relatedCaseIds: [],
  verifyBy: null,
  followUpBy: null,
  hold: null,
  extension: null,
  warnings: 0,
  station: 'CG',
  description: '楼上噪音',
  reports: ['r1'],
  timeline: [],
};

const desk: Actor = { clientId: 'desk-1', roles: ['desk'] };
const owner: Actor = { clientId: 'phone-1', officerId: 'o-1', roles: ['officer'] };
const names = (c: DeskCaseView, a: Actor) => offers(c, a).map((o) => (o.blocked ? `${o.command}!` : o.command));

describe('desk page: the commands a token is offered', () => {
  it('offers what the role may do in the case status, as the desk would accept it', () => {
    expect(names(base, desk)).toEqual(['acknowledge', 'resolve', 'reassign', 'hold', 'note']);
    expect(names(base, owner)).toEqual(['acknowledge', 'resolve', 'extension', 'note']);
    expect(names({ ...base, status: 'on-hold' }, desk)).toEqual(['resume', 'note']);
    // 改派 (with the roster picker) is the desk's and the supervisor's, while the case is being worked.
    expect(names({ ...base, status: 'acknowledged' }, { clientId: 'lead', roles: ['supervisor'] })).toContain('reassign');
    expect(names(base, { clientId: 'phone-2', officerId: 'o-9', roles: ['officer'] })).not.toContain('reassign');
    expect(names({ ...base, status: 'resolved' }, desk)).not.toContain('reassign');
    expect(names({ ...base, status: 'closed' }, desk)).toEqual(['reopen', 'note']);
    expect(names({ ...base, status: 'follow-up' }, desk)).toEqual(['follow-up', 'hold', 'reopen', 'note']);
  });

  it("offers the grid worker's community token, an owner, a note as well (audit4 #8); a grid worker of another grid nothing", () => {
    const worker: Actor = { clientId: 'grid-1', officerId: 'w-1', roles: ['community'] };
    expect(names(base, worker)).toEqual(['acknowledge', 'resolve', 'extension', 'note']);
    expect(names(base, { ...worker, officerId: 'w-2' })).toEqual([]);
  });

  it('shows a person rule as blocked: no verifying your own resolution, no deciding your own extension', () => {
    const resolved: DeskCaseView = {
      ...base,
      status: 'resolved',
      timeline: [{ eventId: 'e', type: 'gridcase.case.resolved.v1', time: base.openedAt, actor: { clientId: 'desk-1' }, data: {} }],
    };
    expect(names(resolved, desk)).toContain('verify!');
    expect(names(resolved, { clientId: 'desk-2', roles: ['desk'] })).toContain('verify');
    const asked: DeskCaseView = {
      ...base,
      status: 'acknowledged',
      extension: { until: '2026-12-05T10:00:00.000Z', reason: '等鉴定', status: 'pending' },
      timeline: [{ eventId: 'e', type: 'gridcase.case.extension-requested.v1', time: base.openedAt, actor: { clientId: 'x', officerId: 'o-1' }, data: {} }],
    };
    expect(names(asked, { clientId: 'lead', officerId: 'o-1', roles: ['supervisor'] })).toEqual(expect.arrayContaining(['extension-approve!', 'extension-reject!']));
    expect(names(asked, desk)).toEqual(expect.arrayContaining(['extension-approve', 'extension-reject']));
  });

  it('takes the next deadline from the clocks that run in the status', () => {
    expect(nextDeadline(base)).toEqual({ kind: 'respond', due: base.respondBy });
    expect(nextDeadline({ ...base, status: 'acknowledged' })).toEqual({ kind: 'resolve', due: base.resolveBy });
    expect(nextDeadline({ ...base, status: 'on-hold' })).toBeUndefined();
  });

  it("shows the next deadline red while the case is overdue, even when the next level's fresh clock has time left", () => {
    const left = { overdue: false, soon: true };
    expect(dueClass(left)).toBe('due soon');
    expect(dueClass(left, true)).toBe('due overdue');
    expect(dueClass({ overdue: true, soon: false })).toBe('due overdue');
    expect(dueClass({ overdue: false, soon: false }, false)).toBe('due');
  });
});

describe('desk page: list queries and figures', () => {
  it('turns the quick views into GET /v1/cases queries', () => {
    expect(caseQuery({ quick: 'unresolved', policeGrid: 'CG-01' }).toString()).toBe('status=open%2Cacknowledged&policeGrid=CG-01&limit=50');
    expect(caseQuery({ quick: 'dueSoon' }).toString()).toBe('dueWithin=PT30M&limit=50');
    expect(caseQuery({ quick: 'overdue' }, 100).get('overdue')).toBe('true');
    expect(caseQuery({ quick: 'escalated' }).get('limit')).toBe('200');
    // As the queues count escalated: every case a clock runs in, a late 核查 or 回访 too (audit23 #3).
    expect(caseQuery({ quick: 'escalated' }).get('status')).toBe('open,acknowledged,resolved,follow-up');
    // The search box: what was typed, trimmed, beside the other filters.
    expect(caseQuery({ quick: 'all', grid: 'BHY-01', q: 'CG-2026-0001' }, 2).toString()).toBe('grid=BHY-01&q=CG-2026-0001&limit=2');
    expect(searchTerm('  cg-2026-000123 ')).toBe('cg-2026-000123');
    expect(searchTerm('   ')).toBeUndefined();
    expect(keepCase({ quick: 'escalated' }, { level: 0 })).toBe(false);
    expect(keepCase({ quick: 'escalated' }, { level: 1 })).toBe(true);
  });

  it('formats a figure by what its name says', () => {
    expect(formatFigure('zh', 'resolutionRate', 0.9834)).toBe('98.3%');
    expect(formatFigure('zh', 'medianSecondsToAcknowledge', 1500)).toBe('25 分钟');
    expect(formatFigure('zh', 'disputeObjectiveMet', true)).toBe('是');
    expect(formatFigure('en', 'onTimeRate', null)).toBe('—');
    expect(formatFigure('zh', 'asOf', '2026-11-29T02:44:00Z')).toBe('2026-11-29 10:44');
  });
});

describe('desk page: the range of the figures', () => {
  // 2026-12-01 01:30 in Beijing is still November 30 in UTC.
  const now = Date.parse('2026-11-30T17:30:00Z');
  it('starts months and years at midnight Beijing time', () => {
    expect(Object.fromEntries(statsQuery({ span: 'thisMonth', groupBy: 'policeGrid', period: '' }, now))).toEqual({ from: '2026-11-30T16:00:00.000Z' });
    expect(Object.fromEntries(statsQuery({ span: 'lastMonth', groupBy: 'grid', period: 'week' }, now))).toEqual({
      from: '2026-10-31T16:00:00.000Z',
      to: '2026-11-30T16:00:00.000Z',
      groupBy: 'grid',
      period: 'week',
    });
    expect(statsQuery({ span: 'thisYear', groupBy: 'policeGrid', period: 'month' }, Date.parse('2027-01-15T00:00:00Z')).get('from')).toBe('2026-12-31T16:00:00.000Z');
    expect(statsQuery({ span: '30d', groupBy: 'policeGrid', period: '' }, now).toString()).toBe('');
  });
});

describe('desk page: command forms against the contract bodies', () => {
  // Reassign has its own form (people from the roster), not fields: ReassignForm's test covers it.
  const BODY: Record<Exclude<PageCommand, 'reassign'>, z.ZodType> = {
    acknowledge: AcknowledgeBody,
    resolve: ResolveBody,
    verify: VerifyBody,
    'follow-up': FollowUpBody,
    extension: ExtensionBody,
    'extension-approve': ExtensionApproveBody,
    'extension-reject': ExtensionRejectBody,
    hold: HoldBody,
    resume: ResumeBody,
    reopen: ReopenBody,
    note: NoteBody,
  };
  // The selects start on a choice; the text fields as a person might fill them.
  const filled: Fields = { note: '已调解', reason: '当事人外出', until: '2026-12-05T10:00', outcome: 'mediated', result: 'passed', satisfaction: 'satisfied' };
  const TYPED = ['note', 'reason', 'until'] as const;

  it('requires exactly the typed fields the contract requires: a form that passes its own check is never refused for a missing field', () => {
    for (const command of PAGE_COMMANDS.filter((c): c is Exclude<PageCommand, 'reassign'> => c !== 'reassign')) {
      const spec = FORM[command];
      expect(BODY[command].safeParse(bodyOf(command, filled)).success, command).toBe(true);
      for (const k of TYPED.filter((k) => spec.fields.includes(k))) {
        // A text field left blank (white space is trimmed); a datetime input left empty is ''.
        const refused = !BODY[command].safeParse(bodyOf(command, { ...filled, [k]: k === 'until' ? '' : '  ' })).success;
        expect(spec.required.includes(k), `${command}.${k}`).toBe(refused);
      }
    }
    // A note is written on more than one line (audit5 #16).
    expect(MULTILINE.has('note')).toBe(true);
    // resolve, verify and follow-up need a note (audit4 #2).
    for (const command of ['resolve', 'verify', 'follow-up'] as const) expect(FORM[command].required, command).toContain('note');
    // What feeds the figures is chosen, never preselected (audit 7 #6): outcome, result and satisfaction.
    expect(FORM.resolve.required).toContain('outcome');
    expect(FORM.verify.required).toContain('result');
    expect(FORM['follow-up'].required).toContain('satisfaction');
  });
});

describe('desk page: 改派 body', () => {
  it('sends the reason only when one was written, and the contract takes both', () => {
    expect(reassignBody(['o-1', 'w-2'], '  ')).toEqual({ officerIds: ['o-1', 'w-2'] });
    expect(reassignBody(['o-1'], ' 原责任人借调 ')).toEqual({ officerIds: ['o-1'], reason: '原责任人借调' });
    expect(ReassignBody.safeParse(reassignBody(['o-1'], '原责任人借调')).success).toBe(true);
    expect(ReassignBody.safeParse(reassignBody(['o-1'], '')).success).toBe(true);
  });
});
