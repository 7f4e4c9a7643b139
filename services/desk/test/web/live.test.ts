import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveStream, SILENCE_MS } from '../../web/src/live.ts';

/** A stream answer that sends `text` and ends (the connection drops); `retry: 0` makes the page reconnect at once. */
const answer = (text: string) => new Response(new Blob([`retry: 0\n\n${text}`]).stream(), { headers: { 'content-type': 'text/event-stream' } });

/** One case event as the stream frames it. */
const event = (id: string) => `id: ${id}\nevent: gridcase.case.note-added.v1\ndata: ${JSON.stringify({ seq: 1, eventId: id, caseId: 'c1', type: 'gridcase.case.note-added.v1', time: '2026-03-01T08:00:00Z' })}\n\n`;

describe('desk page live stream', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('reloads when it cannot resume, or when the stream says what was missed is not coming; not after a replay', async () => {
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

  it('takes a stream that stays silent, no event and no heartbeat, for a lost connection: shows the drop and resumes from its last event', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // Each connection's body stays open until the page aborts it, as a stalled instance's does; an abort errors it, as fetch does.
    const bodies: ReadableStreamDefaultController<Uint8Array>[] = [];
    const sent: (string | null)[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      sent.push(new Headers(init.headers).get('last-event-id'));
      const body = new ReadableStream<Uint8Array>({
        start: (c) => {
          bodies.push(c);
          init.signal?.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')));
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    });
    const states: string[] = [];
    const events: string[] = [];
    const stream = new LiveStream('token', { onEvent: (e) => events.push(e.eventId), onState: (s) => states.push(s.kind), onReset: () => {} }).start();
    const send = (text: string) => bodies.at(-1)!.enqueue(new TextEncoder().encode(text));
    try {
      await vi.advanceTimersByTimeAsync(0);
      send(event('e1'));
      await vi.advanceTimersByTimeAsync(SILENCE_MS - 1);
      // A heartbeat alone keeps it: the silence counts from the last thing heard.
      send(': heartbeat\n\n');
      await vi.advanceTimersByTimeAsync(SILENCE_MS - 1);
      expect({ states, sent, events }).toEqual({ states: ['connecting', 'live'], sent: [null], events: ['e1'] });

      await vi.advanceTimersByTimeAsync(1);
      // 已断开: the state a dropped connection shows, then a reconnect after the backoff that resumes after e1.
      expect(states).toEqual(['connecting', 'live', 'retrying']);
      await vi.advanceTimersByTimeAsync(1000);
      expect(states).toEqual(['connecting', 'live', 'retrying', 'connecting', 'live']);
      expect(sent).toEqual([null, 'e1']);
    } finally {
      stream.stop();
    }
  });
});
