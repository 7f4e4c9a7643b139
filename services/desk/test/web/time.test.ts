import { describe, expect, it } from 'vitest';
import { formatSeconds, formatSpan, formatTime, untilDeadline } from '../../web/src/time.ts';

const MIN = 60_000;

describe('desk page times', () => {
  it('shows an instant as Asia/Shanghai wall time, whatever zone it was written in', () => {
    expect(formatTime('2026-11-29T02:44:50Z')).toBe('2026-11-29 10:44');
    expect(formatTime('2026-11-29T10:44:59+08:00')).toBe('2026-11-29 10:44');
    // Past midnight in Beijing while still the day before in UTC.
    expect(formatTime('2026-12-31T16:05:00Z')).toBe('2027-01-01 00:05');
    expect(formatTime(null)).toBe('—');
    expect(formatTime('not a time')).toBe('—');
  });

  it('says how long is left before a deadline and how long since one passed', () => {
    const due = Date.parse('2026-11-29T10:44:00+08:00');
    expect(untilDeadline('zh', new Date(due).toISOString(), due - 25 * MIN - 30_000)).toEqual({ text: '还剩 25 分钟', overdue: false, soon: true });
    expect(untilDeadline('zh', new Date(due).toISOString(), due + 5 * MIN + 1000)).toEqual({ text: '已超时 5 分钟', overdue: true, soon: false });
    expect(untilDeadline('en', new Date(due).toISOString(), due - 2 * 60 * MIN - 5 * MIN)).toEqual({ text: '2 h 5 min left', overdue: false, soon: false });
    // A deadline equal to now has not passed (as the desk judges overdue).
    expect(untilDeadline('zh', new Date(due).toISOString(), due)).toMatchObject({ text: '还剩 不到 1 分钟', overdue: false });
    expect(untilDeadline('zh', new Date(due).toISOString(), due + 1)).toMatchObject({ overdue: true });
  });

  it('keeps the two largest units of a span', () => {
    expect(formatSpan('zh', 3 * 24 * 60 * MIN + 4 * 60 * MIN + 59 * MIN)).toBe('3 天 4 小时');
    expect(formatSpan('zh', 2 * 24 * 60 * MIN)).toBe('2 天');
    expect(formatSpan('zh', 60 * MIN)).toBe('1 小时');
    expect(formatSpan('zh', 59 * MIN + 59_000)).toBe('59 分钟');
    expect(formatSpan('en', 30_000)).toBe('under 1 min');
  });

  it('rounds a duration of the figures to the nearest unit, with seconds under an hour (audit 7: 118.7 s was "1 分钟")', () => {
    expect(formatSeconds('zh', 118.7)).toBe('1 分钟 59 秒');
    expect(formatSeconds('zh', 120)).toBe('2 分钟');
    expect(formatSeconds('zh', 39.9)).toBe('40 秒');
    expect(formatSeconds('zh', 0.2)).toBe('0 秒');
    expect(formatSeconds('en', 69.5)).toBe('1 min 10 s');
    expect(formatSeconds('zh', 3599.6)).toBe('1 小时');
    expect(formatSeconds('zh', 2 * 3600 + 29 * 60 + 40)).toBe('2 小时 30 分钟');
    expect(formatSeconds('zh', 86_400 + 3 * 3600 + 40 * 60)).toBe('1 天 4 小时');
  });
});
