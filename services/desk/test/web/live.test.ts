import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveStream } from '../../web/src/live.ts';

/** A stream answer that sends `text` and ends (the connection drops); `retry: 0` makes the page reconnect at once. */
const answer = (text: string) => new Response(new Blob([`retry: 0\n\n${text}`]).stream(), { headers: { 'content-type': 'text/event-stream' } });

describe('desk page live stream', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reloads when it cannot resume, or when the stream says what was missed is not coming; not after a replay', async () => {
    const event = (id: string) => `id: ${id}\nevent: gridcase.case.note-added.v1\ndata: ${JSON.stringify({ seq: 1, eventId: id, caseId: 'c1', type: 'gridcase.case.note-added.v1', time: '2026-03-01T08:00:00Z' })}\n\n`;
    const answers = [
      event('e1'),
      // Resumed after e1: the missed event replayed.
      event('e2'),
      // Resumed after e2: too much missed.
      'event: gridcase.stream.reset\ndata: {"reason":"too-many-missed"}\n\n',
    ];
    const sent: (string | null)[] = [];
    const resets: number[] = [];
    const events: string[] = [];
    let stream: LiveStream | undefined;
    const done = new Promise<void>((resolve) => {
      vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
        sent.push(new Headers(init.headers).get('last-event-id'));
        const next = answers.shift();
        if (next === undefined) {
          stream?.stop();
          resolve();
          throw new DOMException('stopped', 'AbortError');
        }
        return answer(next);
      });
    });
    stream = new LiveStream('token', {
      onEvent: (e) => events.push(e.eventId),
      onState: () => {},
      onReset: () => resets.push(events.length),
    }).start();
    await done;
    // The reset carries no id: the next connection resumes from the last event still.
    expect(sent).toEqual([null, 'e1', 'e2', 'e2']);
    expect(events).toEqual(['e1', 'e2']);
    // Once on the first connection (nothing to resume from), once on the reset; never as an event.
    expect(resets).toEqual([0, 2]);
  });
});
