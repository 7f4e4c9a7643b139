import type { TimelineEntry } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { staleFormText } from '../../web/src/stale.ts';

const entry = (eventId: string, type: string, at: string, actor?: { clientId: string; name?: string }): TimelineEntry =>
  ({ eventId, type: `gridcase.case.${type}.v1`, time: at, at, actor: actor ?? null, data: {} }) as unknown as TimelineEntry;

describe('desk page: a form whose command became impossible', () => {
  const opened = entry('e1', 'opened', '2026-11-30T12:00:00Z');
  it('names who acted and what they did since the form opened (audit 7: the form vanished without a word)', () => {
    const timeline = [opened, entry('e2', 'note-added', '2026-11-30T12:01:00Z', { clientId: 'x', name: '张三' }), entry('e3', 'acknowledged', '2026-11-30T12:02:00Z', { clientId: 'sv', name: '督导' })];
    expect(staleFormText('zh', { timeline }, 'e1', '签收')).toBe('已由 督导 签收（2026-11-30 20:02），签收已不能执行。所填内容仍在下方，可复制后关闭。');
    expect(staleFormText('en', { timeline }, 'e1', 'Acknowledge')).toMatch(/^Acknowledged by 督导 \(2026-11-30 20:02\): Acknowledge can no longer be done/);
  });

  it('says what happened without a who when the event names none, and only that the case changed when nothing explains it', () => {
    const escalated = [opened, entry('e2', 'escalated', '2026-11-30T12:30:00Z')];
    expect(staleFormText('zh', { timeline: escalated }, 'e1', '签收')).toBe('案件已超时上交（2026-11-30 20:30），签收已不能执行。所填内容仍在下方，可复制后关闭。');
    expect(staleFormText('zh', { timeline: [opened] }, 'e1', '签收')).toBe('案件已有变化，签收已不能执行。所填内容仍在下方，可复制后关闭。');
  });
});
