import { describe, expect, it } from 'vitest';
import { forbiddenBecause } from '../src/domain/commands.ts';
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

  it('counts resolveBy while the case is unresolved, and not after', () => {
    expect(isOverdue({ status: 'acknowledged', respondBy: at(-100), resolveBy: at(-1) }, now)).toBe(true);
    expect(isOverdue({ status: 'resolved', respondBy: at(-100), resolveBy: at(-1) }, now)).toBe(false);
    expect(isOverdue({ status: 'closed', respondBy: at(-100), resolveBy: at(-1) }, now)).toBe(false);
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

describe('commands against the case state', () => {
  it('acknowledges only an open case', () => {
    expect(forbiddenBecause('acknowledge', 'open')).toBeUndefined();
    expect(forbiddenBecause('acknowledge', 'acknowledged')).toMatch(/acknowledged/);
    expect(forbiddenBecause('acknowledge', 'resolved')).toMatch(/resolved/);
  });

  it('resolves anything not yet resolved or closed', () => {
    expect(forbiddenBecause('resolve', 'open')).toBeUndefined();
    expect(forbiddenBecause('resolve', 'acknowledged')).toBeUndefined();
    expect(forbiddenBecause('resolve', 'resolved')).toMatch(/resolved/);
    expect(forbiddenBecause('resolve', 'closed')).toMatch(/closed/);
  });

  it('reopens only a resolved case', () => {
    expect(forbiddenBecause('reopen', 'resolved')).toBeUndefined();
    expect(forbiddenBecause('reopen', 'open')).toMatch(/open/);
    expect(forbiddenBecause('reopen', 'closed')).toMatch(/closed/);
  });

  it('takes notes until closed and reassigns unresolved cases', () => {
    expect(forbiddenBecause('note', 'resolved')).toBeUndefined();
    expect(forbiddenBecause('note', 'closed')).toMatch(/closed/);
    expect(forbiddenBecause('reassign', 'acknowledged')).toBeUndefined();
    expect(forbiddenBecause('reassign', 'resolved')).toMatch(/resolved/);
  });
});
