import { describe, expect, it } from 'vitest';
import { fromDeadlines, toDeadlines } from '../src/db/cases.ts';
import type { Deadlines } from '../src/domain/deadlines.ts';

describe('clocks as stored', () => {
  it('keep a working-day clock’s warning, so a resume after a reload moves it whole (warned once)', () => {
    const deadlines: Deadlines = {
      respond: { startedAt: new Date('2026-03-05T12:15:00Z'), dueAt: new Date('2026-03-05T14:15:00Z') },
      resolve: { startedAt: new Date('2026-03-05T12:15:00Z'), dueAt: new Date('2026-03-12T10:00:00Z'), warnAt: new Date('2026-03-11T07:45:00Z') },
      verify: { startedAt: new Date('2026-03-05T12:15:00Z'), dueAt: new Date('2026-03-09T10:00:00Z'), warnAt: new Date('2026-03-09T05:30:00Z') },
      'follow-up': undefined,
    };
    const stored = JSON.parse(JSON.stringify(fromDeadlines(deadlines)));
    expect(stored.verify).toEqual({ startedAt: '2026-03-05T12:15:00.000Z', dueAt: '2026-03-09T10:00:00.000Z', warnAt: '2026-03-09T05:30:00.000Z' });
    expect(stored.respond).not.toHaveProperty('warnAt');
    expect(toDeadlines(stored)).toEqual(deadlines);
  });
});
