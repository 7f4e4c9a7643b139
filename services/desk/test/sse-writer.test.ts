import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { SseWriter } from '../src/sse-writer.ts';

/** A client that never reads: nothing written ever leaves the buffer. */
const stalled = () => new Writable({ highWaterMark: 16, write: () => undefined });

describe('a live stream to a client that stopped reading (audit25 #2)', () => {
  it('is cut off once too far behind, counted once, and takes no write after that: a heartbeat does not end the process', async () => {
    const res = stalled();
    const errors: unknown[] = [];
    let cut = 0;
    const out = new SseWriter(res, { maxBufferedBytes: 1_000, tooSlow: () => cut++, log: pino({ level: 'silent' }) });
    res.on('error', (err) => errors.push(err));
    const closed = new Promise<void>((resolve) => res.on('close', resolve));
    for (let i = 0; i < 20 && out.open; i++) out.write(`data: ${'x'.repeat(100)}\n\n`);
    expect(cut).toBe(1);
    expect(out.open).toBe(false);
    // Cut means destroyed, not ended: the close comes at once, so the stream's timers stop.
    await closed;
    out.write(': heartbeat\n\n');
    out.end(': token revoked\n\n');
    expect(cut).toBe(1);
    expect(errors).toEqual([]);
  });

  it('drops a write after the stream was ended, where Node would emit write after end', async () => {
    const res = stalled();
    const out = new SseWriter(res, { maxBufferedBytes: 1_000, tooSlow: () => undefined, log: pino({ level: 'silent' }) });
    out.end(': grids changed\n\n');
    out.write(': heartbeat\n\n');
    // The same write straight to the connection: the error the process died of, heard here by the writer's listener.
    const raced = new Promise<Error>((resolve) => res.once('error', resolve));
    res.write(': heartbeat\n\n');
    expect((await raced as NodeJS.ErrnoException).code).toBe('ERR_STREAM_WRITE_AFTER_END');
  });
});
