import { v7 } from 'uuid';

// Random bytes are drawn from a pool filled 4 KiB at a time, as Node's randomUUID does: asking the
// CSPRNG for 16 bytes costs about as much as asking it for 4 KiB, and a report takes four draws
// (its id, its event's id, its trace's two ids). No byte is handed out twice. Web Crypto, not
// node:crypto: the desk's web page imports this package too.
const pool = new Uint8Array(4096);
let taken = pool.length;

/** `n` (at most 4096) fresh random bytes, a view of the pool: use them before the next call. */
function randomBytesPooled(n: number): Uint8Array {
  if (taken + n > pool.length) {
    globalThis.crypto.getRandomValues(pool);
    taken = 0;
  }
  const bytes = pool.subarray(taken, taken + n);
  taken += n;
  return bytes;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `bytes` random bytes as lowercase hex (trace and span ids). */
export function randomHex(bytes: number): string {
  let hex = '';
  for (const byte of randomBytesPooled(bytes)) hex += HEX[byte];
  return hex;
}

// uuid's own monotonic state is used only when it draws its own random bytes, so it is kept here:
// within one millisecond the 31-bit counter counts up from a random start, as uuid does.
const v7State = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a text is a UUID, as every id gridcase issues is (newId): one can name an event or a client and
 * nothing else, so it may be logged as it is, where other text a sender chose may hold personal data.
 */
export const isUuid = (text: string): boolean => UUID.test(text);

/** UUIDv7: time-ordered, so ids sort by creation and index well (ordered within the process even in one millisecond). */
export function newId(): string {
  const random = randomBytesPooled(16);
  const now = Date.now();
  if (now > v7State.msecs) {
    v7State.msecs = now;
    v7State.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    v7State.seq = (v7State.seq + 1) | 0;
    if (v7State.seq === 0) v7State.msecs++;
  }
  return v7({ random, msecs: v7State.msecs, seq: v7State.seq });
}
