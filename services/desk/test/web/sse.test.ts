import { describe, expect, it } from 'vitest';
import { parseSse } from '../../web/src/sse.ts';

describe('desk page SSE parsing', () => {
  it('splits whole events from a partial one and skips comments', () => {
    const text =
      'retry: 3000\n: connected as c1\n\n' +
      'id: e1\nevent: gridcase.case.opened.v1\ndata: {"caseId":"a"}\n\n' +
      ': heartbeat\n\n' +
      'id: e2\nevent: gridcase.case.assigned.v1\ndata: {"case';
    const { events, rest, retryMs } = parseSse(text);
    expect(retryMs).toBe(3000);
    expect(events).toEqual([{ id: 'e1', event: 'gridcase.case.opened.v1', data: '{"caseId":"a"}' }]);
    expect(rest).toBe('id: e2\nevent: gridcase.case.assigned.v1\ndata: {"case');
    const more = parseSse(`${rest}Id":"b"}\n\n`);
    expect(more.events).toEqual([{ id: 'e2', event: 'gridcase.case.assigned.v1', data: '{"caseId":"b"}' }]);
    expect(more.rest).toBe('');
  });

  it('joins data lines, takes CRLF and defaults the event name', () => {
    expect(parseSse('data: a\r\ndata: b\r\n\r\n').events).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});
