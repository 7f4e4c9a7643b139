import type { DeadLetter } from '@gridcase/messaging';
import { describe, expect, it } from 'vitest';
import { detail, matches, parseFilter, parseInstant, selector, summary, UsageError } from '../../scripts/dlq.ts';

const NOW = new Date('2026-11-29T12:00:00Z');

const letter = (over: Partial<DeadLetter> = {}): DeadLetter => ({
  partition: 2,
  offset: '41',
  key: 'case-1',
  value: Buffer.from(JSON.stringify({ id: 'evt-1', type: 'gridcase.case.opened.v1', data: {} })),
  headers: {},
  origin: { topic: 'gridcase.cases', partition: 4, offset: '900', group: 'tabc.gridcase-assignment-cases' },
  error: 'ContractError: data.severity: Invalid option',
  attempts: 1,
  failedAt: '2026-11-29T10:30:00.000Z',
  truncated: false,
  eventId: 'evt-1',
  eventType: 'gridcase.case.opened.v1',
  ...over,
});

describe('dlq CLI filters', () => {
  it('reads times as ISO or as a duration back from now', () => {
    expect(parseInstant('2h', NOW).toISOString()).toBe('2026-11-29T10:00:00.000Z');
    expect(parseInstant('7d', NOW).toISOString()).toBe('2026-11-22T12:00:00.000Z');
    expect(parseInstant('2026-11-29T08:00:00Z', NOW).toISOString()).toBe('2026-11-29T08:00:00.000Z');
    expect(() => parseInstant('yesterday', NOW)).toThrow(UsageError);
  });

  it('refuses unknown keys, empty values and a key given twice', () => {
    expect(() => parseFilter(['colour=red'], NOW)).toThrow(/KEY one of topic, group/);
    expect(() => parseFilter(['topic='], NOW)).toThrow(UsageError);
    expect(() => parseFilter(['=x'], NOW)).toThrow(UsageError);
    expect(() => parseFilter(['topic=a', 'topic=b'], NOW)).toThrow(/given twice/);
    expect(parseFilter(['reason=a=b'], NOW)).toEqual({ reason: 'a=b' });
  });

  it('keeps a dead letter only when every filter holds', () => {
    const e = letter();
    const f = (...args: string[]) => matches(e, parseFilter(args, NOW), 'tabc.');
    expect(f()).toBe(true);
    expect(f('topic=gridcase.cases')).toBe(true);
    expect(f('topic=gridcase.reports')).toBe(false);
    expect(f('reason=invalid OPTION')).toBe(true);
    expect(f('reason=timeout')).toBe(false);
    // The group as operators name it (without the stack's prefix) or as the header has it.
    expect(f('group=gridcase-assignment-cases')).toBe(true);
    expect(f('group=tabc.gridcase-assignment-cases')).toBe(true);
    expect(f('group=gridcase-desk-projection')).toBe(false);
    expect(f('since=2h')).toBe(true);
    expect(f('since=1h')).toBe(false);
    expect(f('until=1h')).toBe(true);
    expect(f('until=2026-11-29T10:00:00Z')).toBe(false);
    expect(f('type=gridcase.case.opened.v1', 'id=evt-1', 'key=case-1')).toBe(true);
    expect(f('type=gridcase.case.opened.v1', 'id=evt-2')).toBe(false);
    // No failure time: no time filter can hold.
    expect(matches(letter({ failedAt: undefined }), parseFilter(['since=7d'], NOW), '')).toBe(false);
  });

  it('selects by partition:offset, by offset in any partition, or by event id', () => {
    expect(selector('2:41')(letter())).toBe(true);
    expect(selector('1:41')(letter())).toBe(false);
    expect(selector('41')(letter())).toBe(true);
    expect(selector('evt-1')(letter())).toBe(true);
    expect(selector('evt-2')(letter())).toBe(false);
  });

  it('shows the value as JSON, text, or base64, and sums a record up on one line', () => {
    expect(detail(letter()).value).toEqual({ id: 'evt-1', type: 'gridcase.case.opened.v1', data: {} });
    expect(detail(letter({ value: Buffer.from('not json') })).value).toBe('not json');
    expect(detail(letter({ value: Buffer.from([0xff, 0xfe]) })).value).toEqual({ base64: '//4=' });
    expect(detail(letter({ value: null })).value).toBeNull();
    expect(summary(letter())).toBe(
      '2:41  2026-11-29T10:30:00.000Z  gridcase.cases 4@900  tabc.gridcase-assignment-cases  x1  gridcase.case.opened.v1 evt-1  ContractError: data.severity: Invalid option',
    );
    expect(summary(letter({ value: null, eventId: undefined, eventType: undefined, truncated: true, error: 'x'.repeat(200) }))).toMatch(
      /\(not an event\) \[truncated\] {2}x{119}…$/,
    );
  });
});
