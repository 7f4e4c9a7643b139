/** The p-th percentile (nearest rank) of unsorted values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Items carried per second: the count over the span from the first start to the last arrival. With a
 * burst offered at once this is the rate a stage drains it at, start-up and tail included.
 */
export const carriedRate = (count: number, seconds: number) => (seconds > 0 ? count / seconds : 0);

/** Waits until `done()` is true, giving up once nothing new arrived for `quietMs` or `maxMs` passed; never throws. */
export async function boundedWait(progress: () => number, done: () => boolean, quietMs: number, maxMs: number): Promise<{ complete: boolean; waitedMs: number }> {
  const start = performance.now();
  let last = progress();
  let lastChange = start;
  while (!done()) {
    const now = performance.now();
    if (now - start > maxMs || now - lastChange > quietMs) return { complete: false, waitedMs: now - start };
    await new Promise((r) => setTimeout(r, 100));
    const p = progress();
    if (p !== last) {
      last = p;
      lastChange = performance.now();
    }
  }
  return { complete: true, waitedMs: performance.now() - start };
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
export const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : '—');
