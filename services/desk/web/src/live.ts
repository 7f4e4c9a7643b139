import type { STREAM_HEARTBEAT_MS, STREAM_RESET_EVENT } from '@gridcase/contracts';
import { unauthorized } from './api.ts';
import { parseSse } from './sse.ts';

/** One case event as GET /v1/stream sends it. */
export interface LiveEvent {
  seq: number;
  eventId: string;
  caseId: string;
  type: string;
  time: string;
}

export type LiveState = { kind: 'connecting' } | { kind: 'live' } | { kind: 'retrying'; seconds: number } | { kind: 'refused'; status: number };

/** The stream's "reload your state" event (its name checked against the contract; the value kept out of the bundle). */
const RESET: typeof STREAM_RESET_EVENT = 'gridcase.stream.reset';
/** The stream's heartbeat interval, checked against the contract as RESET is. */
const HEARTBEAT_MS: typeof STREAM_HEARTBEAT_MS = 15_000;
/**
 * Nothing heard this long (two heartbeats and a margin) is a lost connection though none was closed: a
 * stalled instance, a paused VM, a path dropping packets (audit23 #4). The page drops it and reconnects.
 */
export const SILENCE_MS = 2 * HEARTBEAT_MS + 5_000;
const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

/**
 * GET /v1/stream read with fetch, so the token travels in the Authorization header and never in
 * a URL (which proxies and logs keep). After a drop it reconnects with backoff and sends
 * Last-Event-ID, so the server replays what was missed. `onReset` tells the page to reload its
 * lists and open case when what it missed is not replayed: the server said so (too much missed,
 * an id it does not know, a failed replay), or there was no event id to resume from (a connection
 * before the first event). A refused token (401/403) stops it. A stream silent for SILENCE_MS
 * counts as dropped.
 */
export class LiveStream {
  private readonly controller = new AbortController();
  /** The connection being read: aborted on stop, or when it falls silent. */
  private connection: AbortController | undefined;
  private lastEventId: string | undefined;
  private readonly token: string;
  private readonly handlers: { onEvent(e: LiveEvent): void; onState(s: LiveState): void; onReset(): void };

  constructor(token: string, handlers: LiveStream['handlers']) {
    this.token = token;
    this.handlers = handlers;
  }

  start() {
    void this.run();
    return this;
  }

  stop() {
    this.controller.abort();
    this.connection?.abort();
  }

  private async run() {
    const { signal } = this.controller;
    let delay = MIN_DELAY_MS;
    while (!signal.aborted) {
      this.handlers.onState({ kind: 'connecting' });
      const connection = new AbortController();
      this.connection = connection;
      // Armed before the answer (a stalled instance may not even send its headers), again on every chunk.
      let silence: ReturnType<typeof setTimeout> | undefined;
      const heard = () => {
        clearTimeout(silence);
        silence = setTimeout(() => connection.abort(), SILENCE_MS);
      };
      heard();
      try {
        const res = await fetch('/v1/stream', {
          headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream', ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}) },
          signal: connection.signal,
          cache: 'no-store',
        });
        if (res.status === 401 || res.status === 403) {
          this.handlers.onState({ kind: 'refused', status: res.status });
          if (res.status === 401) unauthorized();
          return;
        }
        if (res.ok && res.body) {
          this.handlers.onState({ kind: 'live' });
          if (!this.lastEventId) this.handlers.onReset();
          delay = MIN_DELAY_MS;
          await this.read(res.body, heard, (ms) => {
            delay = ms;
          });
        }
      } catch {
        // A dropped connection, a silent one or a refused one: retried below unless stopped.
      } finally {
        clearTimeout(silence);
      }
      if (signal.aborted) return;
      const seconds = Math.round(delay / 1000);
      this.handlers.onState({ kind: 'retrying', seconds });
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }

  private async read(body: ReadableStream<Uint8Array>, heard: () => void, onRetry: (ms: number) => void) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      // Anything, a heartbeat comment too, shows the connection alive.
      heard();
      buffer += decoder.decode(value, { stream: true });
      const { events, rest, retryMs } = parseSse(buffer);
      buffer = rest;
      if (retryMs !== undefined) onRetry(retryMs);
      for (const e of events) {
        if (e.event === RESET) {
          this.handlers.onReset();
          continue;
        }
        if (e.id) this.lastEventId = e.id;
        try {
          this.handlers.onEvent(JSON.parse(e.data) as LiveEvent);
        } catch {
          // Not an event the page understands; the next reload shows its effect anyway.
        }
      }
    }
  }
}
