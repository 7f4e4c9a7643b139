import type { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';

/**
 * One live stream's connection, written only while it is open. A client more than `maxBufferedBytes`
 * behind (it stopped reading: a frozen tab, a stalled network) is cut off at once, its connection
 * destroyed rather than ended: an end waits to flush what the client does not read, holding its memory,
 * and the connection's close (which stops the stream's timers) with it. A write after the end or the
 * cut is dropped: a timer (the heartbeat, the token recheck, a held event's release) may fire before
 * the close is seen, and Node answers such a write with an error event that, unheard, ended the
 * process (audit25 #2: both desk instances, 23 s after cutting a slow client).
 */
export class SseWriter {
  readonly #res: Writable;
  readonly #maxBufferedBytes: number;
  readonly #tooSlow: () => void;

  constructor(res: Writable, options: { maxBufferedBytes: number; tooSlow: () => void; log: FastifyBaseLogger }) {
    this.#res = res;
    this.#maxBufferedBytes = options.maxBufferedBytes;
    this.#tooSlow = options.tooSlow;
    // Whatever the socket says after this (a reset, a write raced by a close) ends one stream, never the process.
    res.on('error', (err) => options.log.debug({ err }, 'SSE connection error; the stream is closed'));
  }

  /** Whether frames still go out: not ended, not cut off. */
  get open(): boolean {
    return !this.#res.writableEnded && !this.#res.destroyed;
  }

  write(frame: string): void {
    if (!this.open) return;
    this.#res.write(frame);
    if (this.#res.writableLength > this.#maxBufferedBytes) {
      this.#tooSlow();
      this.#res.destroy();
    }
  }

  /** Ends the stream, with a last frame (a comment saying why) if given. */
  end(frame?: string): void {
    if (this.open) this.#res.end(frame);
  }
}
