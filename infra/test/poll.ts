/** Polls until `probe` returns a value that is not undefined, or fails after `timeoutMs` naming what it waited for. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Intake's rate limits count per fixed minute of the clock (intake db/rate-limit-store.ts): waits until
 * at least `roomMs` of the current one is left, so a test counting a client's requests does not straddle
 * two (the budget would be whole again half way through).
 */
export const minuteWithRoom = (roomMs: number) =>
  eventually(`${roomMs / 1000} s left in the minute`, () => (60_000 - (Date.now() % 60_000) >= roomMs ? true : undefined), 61_000);
