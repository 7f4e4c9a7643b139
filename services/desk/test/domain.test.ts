import { describe, expect, it } from 'vitest';
import type { CaseStatus } from '@gridcase/contracts';
import { type CommandName, type CommandView, fieldIssues, forbiddenBecause, refusal } from '../src/domain/commands.ts';
import { decodeCursor, encodeCursor } from '../src/domain/cursor.ts';
import { isDueWithin, isOverdue, pendingDeadlines } from '../src/domain/deadlines.ts';

const now = new Date('2026-03-01T08:00:00Z');
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const MIN30 = 30 * 60_000;

describe('overdue', () => {
  it('counts respondBy only while the case is open', () => {
    expect(isOverdue({ status: 'open', respondBy: at(-1), resolveBy: at(600) }, now)).toBe(true);
    expect(isOverdue({ status: 'acknowledged', respondBy: at(-1), resolveBy: at(600) }, now)).toBe(false);
  });

  it('counts verifyBy while resolved and followUpBy in follow-up; nothing while held or closed', () => {
    const all = { respondBy: at(-100), resolveBy: at(-50), verifyBy: at(-10), followUpBy: at(-5) };
    expect(pendingDeadlines({ status: 'resolved', ...all })).toEqual([at(-10)]);
    expect(pendingDeadlines({ status: 'follow-up', ...all })).toEqual([at(-5)]);
    expect(isOverdue({ status: 'resolved', ...all, verifyBy: at(1) }, now)).toBe(false);
    expect(isOverdue({ status: 'follow-up', ...all }, now)).toBe(true);
    expect(isOverdue({ status: 'on-hold', ...all }, now)).toBe(false);
    expect(isOverdue({ status: 'closed', ...all }, now)).toBe(false);
  });

  it('counts resolveBy while the case is unresolved, and not after', () => {
    expect(isOverdue({ status: 'acknowledged', respondBy: at(-100), resolveBy: at(-1) }, now)).toBe(true);
    expect(isOverdue({ status: 'resolved', respondBy: at(-100), resolveBy: at(-1) }, now)).toBe(false);
    expect(isOverdue({ status: 'closed', respondBy: at(-100), resolveBy: at(-1) }, now)).toBe(false);
  });

  it('counts a missed clock (escalated for it) until its step is done, whatever fresh deadline the next level got', () => {
    // The respond deadline passed and the case was escalated: the new level's respondBy is 29 minutes away.
    const escalated = { respondBy: at(29), resolveBy: at(600), missedDeadlines: ['respond'] as const };
    expect(isOverdue({ status: 'open', ...escalated }, now)).toBe(true);
    // Acknowledged: respond no longer runs, so the miss no longer counts (the projection also drops it).
    expect(isOverdue({ status: 'acknowledged', ...escalated }, now)).toBe(false);
    // No clock runs while held, and nothing counts once closed.
    expect(isOverdue({ status: 'on-hold', ...escalated }, now)).toBe(false);
    expect(isOverdue({ status: 'closed', ...escalated }, now)).toBe(false);
    const missedResolve = { respondBy: at(-100), resolveBy: at(600), missedDeadlines: ['resolve'] as const };
    expect(isOverdue({ status: 'acknowledged', ...missedResolve }, now)).toBe(true);
    expect(isOverdue({ status: 'resolved', ...missedResolve, verifyBy: at(60) }, now)).toBe(false);
    expect(isOverdue({ status: 'resolved', respondBy: null, resolveBy: null, verifyBy: at(60), missedDeadlines: ['verify'] }, now)).toBe(true);
    expect(isOverdue({ status: 'follow-up', respondBy: null, resolveBy: null, followUpBy: at(60), missedDeadlines: ['follow-up'] }, now)).toBe(true);
  });

  it('treats a deadline equal to now as not yet passed, and a missing one as none', () => {
    expect(isOverdue({ status: 'open', respondBy: now, resolveBy: at(1) }, now)).toBe(false);
    expect(isOverdue({ status: 'open', respondBy: null, resolveBy: null }, now)).toBe(false);
  });
});

describe('dueWithin', () => {
  it('includes a pending deadline inside (now, now + window]', () => {
    expect(isDueWithin({ status: 'open', respondBy: at(30), resolveBy: at(600) }, now, MIN30)).toBe(true);
    expect(isDueWithin({ status: 'acknowledged', respondBy: at(5), resolveBy: at(20) }, now, MIN30)).toBe(true);
  });

  it('excludes deadlines beyond the window, already passed, or already met', () => {
    expect(isDueWithin({ status: 'open', respondBy: at(31), resolveBy: at(600) }, now, MIN30)).toBe(false);
    expect(isDueWithin({ status: 'open', respondBy: at(-5), resolveBy: at(600) }, now, MIN30)).toBe(false);
    expect(isDueWithin({ status: 'acknowledged', respondBy: at(5), resolveBy: at(600) }, now, MIN30)).toBe(false);
    expect(isDueWithin({ status: 'resolved', respondBy: at(5), resolveBy: at(10) }, now, MIN30)).toBe(false);
  });

  it('counts the fresh deadline of a missed clock: the escalated case is due soon at its new level too', () => {
    expect(isDueWithin({ status: 'open', respondBy: at(29), resolveBy: at(600), missedDeadlines: ['respond'] }, now, MIN30)).toBe(true);
    expect(isDueWithin({ status: 'open', respondBy: at(31), resolveBy: at(600), missedDeadlines: ['respond'] }, now, MIN30)).toBe(false);
    expect(isDueWithin({ status: 'open', respondBy: at(-1), resolveBy: at(600), missedDeadlines: ['respond'] }, now, MIN30)).toBe(false);
    expect(isDueWithin({ status: 'acknowledged', respondBy: at(29), resolveBy: at(600), missedDeadlines: ['resolve'] }, now, MIN30)).toBe(false);
  });

  it('lists the deadlines still to meet', () => {
    expect(pendingDeadlines({ status: 'open', respondBy: at(1), resolveBy: at(2) })).toEqual([at(1), at(2)]);
    expect(pendingDeadlines({ status: 'acknowledged', respondBy: at(1), resolveBy: at(2) })).toEqual([at(2)]);
    expect(pendingDeadlines({ status: 'resolved', respondBy: at(1), resolveBy: at(2) })).toEqual([]);
  });
});

describe('cursor', () => {
  it('round-trips and is opaque (no raw ids or dates visible)', () => {
    const cursor = { openedAt: new Date('2026-03-01T08:00:00.123Z'), caseId: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' };
    const token = encodeCursor(cursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).not.toContain(cursor.caseId);
    expect(decodeCursor(token)).toEqual(cursor);
  });

  it('rejects what it did not issue', () => {
    expect(decodeCursor('not-a-cursor')).toBeUndefined();
    expect(decodeCursor(Buffer.from('{"a":1}').toString('base64url'))).toBeUndefined();
    expect(decodeCursor(Buffer.from('["yesterday","x"]').toString('base64url'))).toBeUndefined();
    expect(decodeCursor(Buffer.from('["2026-03-01T08:00:00.000Z",""]').toString('base64url'))).toBeUndefined();
    expect(decodeCursor(Buffer.from('["2026-03-01T08:00:00.000Z",7]').toString('base64url'))).toBeUndefined();
  });
});

const view = (status: CaseStatus, extra: Partial<CommandView> = {}): CommandView => ({
  status,
  assignees: [{ officerId: 'o-wang', role: 'officer' }],
  resolveBy: at(600),
  resolvedBy: null,
  extension: null,
  extensionsApproved: 0,
  ...extra,
});
const desk = { clientId: 'desk-1', name: '值班员', roles: ['desk' as const] };
const supervisor = { clientId: 'sup-1', name: '所长', officerId: 'o-chief', roles: ['supervisor' as const] };
const owner = { clientId: 'c-wang', name: '王彦军', officerId: 'o-wang', roles: ['officer' as const] };
const stranger = { clientId: 'c-zhao', name: '赵', officerId: 'o-zhao', roles: ['officer' as const] };
const gridWorker = { clientId: 'c-li', name: '小李', officerId: 'o-worker', roles: ['community' as const] };
const pair = [
  { officerId: 'o-wang', role: 'officer' as const },
  { officerId: 'o-worker', role: 'gridWorker' as const },
];

describe('commands against the case state', () => {
  const why = (command: CommandName, status: CaseStatus, extra: Partial<CommandView> = {}, until?: Date) => forbiddenBecause(command, view(status, extra), until);

  it('acknowledges only an open case', () => {
    expect(why('acknowledge', 'open')).toBeUndefined();
    expect(why('acknowledge', 'acknowledged')).toMatch(/acknowledged/);
    expect(why('acknowledge', 'resolved')).toMatch(/resolved/);
  });

  it('resolves an open or acknowledged case only', () => {
    expect(why('resolve', 'open')).toBeUndefined();
    expect(why('resolve', 'acknowledged')).toBeUndefined();
    expect(why('resolve', 'resolved')).toMatch(/resolved/);
    expect(why('resolve', 'on-hold')).toMatch(/on-hold/);
    expect(why('resolve', 'closed')).toMatch(/closed/);
  });

  it('reopens a resolved, follow-up or closed case', () => {
    for (const s of ['resolved', 'follow-up', 'closed'] as const) expect(why('reopen', s), s).toBeUndefined();
    expect(why('reopen', 'open')).toMatch(/open/);
    expect(why('reopen', 'on-hold')).toMatch(/on-hold/);
  });

  it('takes notes at any status and reassigns open or acknowledged cases only', () => {
    expect(why('note', 'resolved')).toBeUndefined();
    expect(why('note', 'closed')).toBeUndefined();
    expect(why('reassign', 'acknowledged')).toBeUndefined();
    for (const s of ['resolved', 'follow-up', 'on-hold', 'closed'] as const) expect(why('reassign', s), s).toMatch(s);
  });

  it('verifies a resolved case, follows up a follow-up case', () => {
    expect(why('verify', 'resolved')).toBeUndefined();
    expect(why('verify', 'acknowledged')).toMatch(/only a resolved case/);
    expect(why('follow-up', 'follow-up')).toBeUndefined();
    expect(why('follow-up', 'resolved')).toMatch(/awaiting follow-up/);
  });

  it('holds an active case and resumes a held one', () => {
    for (const s of ['open', 'acknowledged', 'resolved', 'follow-up'] as const) expect(why('hold', s), s).toBeUndefined();
    expect(why('hold', 'on-hold')).toMatch(/on-hold/);
    expect(why('resume', 'on-hold')).toBeUndefined();
    expect(why('resume', 'open')).toMatch(/only a held case/);
  });

  it('takes an extension request while unresolved, later than resolveBy, none pending, at most two approved', () => {
    expect(why('extension', 'acknowledged', {}, at(700))).toBeUndefined();
    expect(why('extension', 'resolved', {}, at(700))).toMatch(/resolved/);
    expect(why('extension', 'open', {}, at(600))).toMatch(/later than/);
    const pending = { until: at(700).toISOString(), reason: '需要协调', status: 'pending' as const, requestedBy: owner };
    expect(why('extension', 'open', { extension: pending }, at(800))).toMatch(/already pending/);
    expect(why('extension', 'open', { extensionsApproved: 2 }, at(800))).toMatch(/2 extensions/);
    expect(why('extension-approve', 'open', { extension: pending })).toBeUndefined();
    expect(why('extension-reject', 'open', { extension: { ...pending, status: 'rejected' } })).toMatch(/no pending/);
    // An escalation (or a hold) has since given a later resolveBy: approving would move it earlier (audit19 #1); rejecting may go on.
    const overtaken = { extension: pending, resolveBy: at(750) };
    expect(why('extension-approve', 'open', overtaken)).toBe(
      `the pending extension's until ${at(700).toISOString()} is no longer after the case's resolveBy ${at(750).toISOString()}; reject it and ask for a later until`,
    );
    expect(why('extension-reject', 'open', overtaken)).toBeUndefined();
    // Overdue, the escalation not yet in: the clock has overtaken it (the case of record would refuse it too).
    expect(forbiddenBecause('extension-approve', view('open', { extension: pending, resolveBy: at(600) }), undefined, at(701))).toBe(
      `the pending extension's until ${at(700).toISOString()} is no longer after now (${at(701).toISOString()}); reject it and ask for a later until`,
    );
    expect(forbiddenBecause('extension-approve', view('open', { extension: pending, resolveBy: at(600) }), undefined, at(699))).toBeUndefined();
    // A held case's request waits for the resume to be approved, as the case of record has it; it may be rejected (audit19 #3).
    expect(why('extension-approve', 'on-hold', { extension: pending })).toBe("case is on-hold; only an open or acknowledged case's extension can be approved");
    expect(why('extension-reject', 'on-hold', { extension: pending })).toBeUndefined();
  });
});

describe("a command's fields by the time", () => {
  it("takes a hold's until only after now, when the hold would begin; a command with no such rule does not look", () => {
    const issue = [{ path: 'until', message: 'until must be later than now, when the hold begins' }];
    expect(fieldIssues('hold', { reason: '等待法院', until: '2020-01-01T00:00:00Z' }, now)).toEqual(issue);
    expect(fieldIssues('hold', { until: now.toISOString() }, now)).toEqual(issue);
    expect(fieldIssues('hold', { until: at(1).toISOString() }, now)).toEqual([]);
    expect(fieldIssues('hold', { reason: '等待法院' }, now)).toEqual([]);
    expect(fieldIssues('resolve', { until: '2020-01-01T00:00:00Z' }, now)).toEqual([]);
  });

  it("takes an extension's until only after now too (resolveBy may already have passed); against resolveBy it is the case's state (409)", () => {
    const issue = [{ path: 'until', message: 'until must be later than now, when the extension is asked for' }];
    expect(fieldIssues('extension', { until: '2020-01-01T00:00:00Z', reason: '当事人外出' }, now)).toEqual(issue);
    expect(fieldIssues('extension', { until: now.toISOString() }, now)).toEqual(issue);
    expect(fieldIssues('extension', { until: at(1).toISOString() }, now)).toEqual([]);    // Against the case's resolveBy: still 409, the case's state, but naming the field as a bad field is named (audit22 #4).
    const early = refusal('extension', owner, view('open', { resolveBy: at(600) }), at(500), now);
    const said = `until must be later than the case's resolveBy (${at(600).toISOString()})`;
    expect(early).toEqual({ status: 409, detail: said, errors: [{ path: 'until', message: said }] });
    expect(refusal('extension', owner, view('open', { resolveBy: at(600), extension: { until: at(700).toISOString(), status: 'pending', requestedBy: owner } }), at(800), now)).toEqual({
      status: 409,
      detail: 'an extension request is already pending',
    });
  });
});

describe('who may issue a command', () => {
  it('lets an owner, the desk and a supervisor acknowledge; not another officer', () => {
    expect(refusal('acknowledge', owner, view('open'))).toBeUndefined();
    expect(refusal('acknowledge', desk, view('open'))).toBeUndefined();
    expect(refusal('acknowledge', supervisor, view('open'))).toBeUndefined();
    expect(refusal('acknowledge', stranger, view('open'))).toMatchObject({ status: 403, detail: expect.stringContaining('not an owner') });
    expect(refusal('acknowledge', { clientId: 'c-x', roles: ['officer'] }, view('open'))).toMatchObject({ status: 403, detail: expect.stringContaining('names no officer') });
  });

  it('verifies by supervisor or desk only, and not by whoever resolved', () => {
    expect(refusal('verify', owner, view('resolved'))).toMatchObject({ status: 403 });
    expect(refusal('verify', supervisor, view('resolved', { resolvedBy: owner }))).toBeUndefined();
    expect(refusal('verify', desk, view('resolved', { resolvedBy: { clientId: 'desk-1' } }))).toMatchObject({ status: 403, detail: expect.stringContaining('other than whoever resolved') });
    // The same officer behind another client is still the same person.
    expect(refusal('verify', supervisor, view('resolved', { resolvedBy: { clientId: 'other', officerId: 'o-chief' } }))).toMatchObject({ status: 403 });
  });

  it('asks for an extension only as an owner (admin too); decides it not as the requester', () => {
    expect(refusal('extension', owner, view('open'), at(700))).toBeUndefined();
    expect(refusal('extension', desk, view('open'), at(700))).toMatchObject({ status: 403 });
    expect(refusal('extension', { clientId: 'root', roles: ['admin'] }, view('open'), at(700))).toBeUndefined();
    const pending = { until: at(700).toISOString(), reason: 'r', status: 'pending' as const, requestedBy: supervisor };
    expect(refusal('extension-approve', supervisor, view('open', { extension: pending }))).toMatchObject({ status: 403, detail: expect.stringContaining('requester') });
    expect(refusal('extension-reject', desk, view('open', { extension: pending }))).toBeUndefined();
    expect(refusal('extension-approve', owner, view('open', { extension: pending }))).toMatchObject({ status: 403 });
  });

  it('holds, resumes and reopens as desk or supervisor only; checks who before the state', () => {
    expect(refusal('hold', owner, view('open'))).toMatchObject({ status: 403 });
    expect(refusal('hold', desk, view('closed'))).toMatchObject({ status: 409 });
    expect(refusal('resume', supervisor, view('on-hold'))).toBeUndefined();
    expect(refusal('reopen', owner, view('closed'))).toMatchObject({ status: 403 });
    expect(refusal('reopen', desk, view('closed'))).toBeUndefined();
    expect(refusal('note', stranger, view('open'))).toBeUndefined();
  });

  it('reassigns for the desk, a supervisor, admin or an officer who owns the case; refuses another officer saying why (audit4 #1)', () => {
    for (const by of [desk, supervisor, owner, { clientId: 'root', roles: ['admin' as const] }]) expect(refusal('reassign', by, view('acknowledged')), by.clientId).toBeUndefined();
    expect(refusal('reassign', stranger, view('acknowledged'))).toEqual({
      status: 403,
      detail: 'reassign needs an officer who owns the case (an officer token whose officerId is among its assignees) or desk or supervisor; this token is officer for officer o-zhao, not an owner',
    });
    // A case escalated to the chief is not the grid officer's any more.
    expect(refusal('reassign', owner, view('open', { assignees: [{ officerId: 'o-chief', role: 'chief' }] }))).toMatchObject({ status: 403, detail: expect.stringContaining('not an owner') });
    // The grid worker's community token owns the case but is no officer token.
    expect(refusal('reassign', gridWorker, view('open', { assignees: pair }))).toMatchObject({ status: 403, detail: expect.stringContaining('an owner but not an officer token') });
    expect(refusal('reassign', { clientId: 'c-x', roles: ['officer'] }, view('open'))).toMatchObject({ status: 403, detail: expect.stringContaining('names no officer') });
  });

  it('takes a note from the desk, any officer, a supervisor, and an owner whatever its role (the grid worker of the pair; audit4 #8)', () => {
    expect(refusal('note', gridWorker, view('open', { assignees: pair }))).toBeUndefined();
    expect(refusal('note', gridWorker, view('closed', { assignees: pair }))).toBeUndefined();
    expect(refusal('note', { ...gridWorker, officerId: 'o-worker-2' }, view('open', { assignees: pair }))).toMatchObject({ status: 403, detail: expect.stringContaining('not an owner') });
    expect(refusal('note', { clientId: 'c-rep', roles: ['reporter'] }, view('open'))).toMatchObject({ status: 403 });
  });
});
