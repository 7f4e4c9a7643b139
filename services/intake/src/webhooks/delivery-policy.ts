import { createHmac } from 'node:crypto';

/** How long a receiver has to answer one POST before the attempt counts as failed (the contract's 10 s). */
export const SEND_TIMEOUT_MS = 10_000;
/** How long a delivery is retried before it is parked. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;
const FIRST_RETRY_MS = 10_000;
const MAX_RETRY_MS = 3_600_000;

/**
 * When to try again after failed attempt number `attempt` (1-based): doubling from 10 s, at most an
 * hour, with full jitter over the upper half so many receivers coming back are not hit at once.
 * `random` is in [0, 1). Undefined: the retry window (from `createdAt`) is over, so park it.
 */
export function nextAttemptAt(attempt: number, createdAt: Date, now: Date, random: number): Date | undefined {
  const ceiling = Math.min(FIRST_RETRY_MS * 2 ** Math.min(attempt - 1, 30), MAX_RETRY_MS);
  const delay = ceiling / 2 + (ceiling / 2) * random;
  if (now.getTime() - createdAt.getTime() >= RETRY_WINDOW_MS) return undefined;
  return new Date(now.getTime() + delay);
}

/** The `X-Gridcase-Signature` value: hex HMAC-SHA256 of the raw body. */
export const signature = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
