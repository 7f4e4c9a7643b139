/** Sum and count of one consumer group's handler histogram on one topic. */
export interface HandlerTotals {
  sum: number;
  count: number;
  /** Handled within 50 ms (the histogram's bucket), where the series has buckets. */
  within50ms?: number;
}

export type HandlerSnapshot = Map<string, HandlerTotals>;

const HANDLE = /^gridcase_consumer_handle_seconds_(sum|count)\{group="([^"]+)",topic="([^"]+)"\} (\S+)$/gm;
const WITHIN_50MS = /^gridcase_consumer_handle_seconds_bucket\{le="0\.05",group="([^"]+)",topic="([^"]+)"\} (\S+)$/gm;

/** Reads every `gridcase_consumer_handle_seconds` series of a /metrics text, keyed `group ← topic` without the stack's prefix. */
export function parseHandlerTimes(metricsText: string, topicPrefix: string): HandlerSnapshot {
  const out: HandlerSnapshot = new Map();
  for (const m of metricsText.matchAll(HANDLE)) {
    const key = `${m[2]!.replace(topicPrefix, '')} ← ${m[3]}`;
    const entry = out.get(key) ?? { sum: 0, count: 0 };
    entry[m[1] as 'sum' | 'count'] = Number(m[4]);
    out.set(key, entry);
  }
  for (const m of metricsText.matchAll(WITHIN_50MS)) {
    const entry = out.get(`${m[1]!.replace(topicPrefix, '')} ← ${m[2]}`);
    if (entry) entry.within50ms = Number(m[3]);
  }
  return out;
}

/** What changed between two snapshots: messages handled and their mean handling time, per series with any. */
export function handlerDelta(before: HandlerSnapshot, after: HandlerSnapshot): { key: string; count: number; meanMs: number; over50ms: number }[] {
  const rows: { key: string; count: number; meanMs: number; over50ms: number }[] = [];
  for (const [key, a] of after) {
    const b = before.get(key) ?? { sum: 0, count: 0 };
    const count = a.count - b.count;
    const within = (a.within50ms ?? a.count) - (b.within50ms ?? b.count);
    if (count > 0) rows.push({ key, count, meanMs: ((a.sum - b.sum) / count) * 1000, over50ms: count - within });
  }
  return rows.sort((x, y) => x.key.localeCompare(y.key));
}

const LAG = /^gridcase_consumer_lag_messages\{[^}]*\} (\S+)$/gm;

/** Messages the service's consumer groups have not yet committed, summed over their partitions (the lag gauge of a /metrics text). */
export function parseLag(metricsText: string): number {
  let total = 0;
  for (const m of metricsText.matchAll(LAG)) total += Number(m[1]);
  return total;
}

/** A service's garbage collections by kind (prom-client's nodejs_gc_duration_seconds) and its event loop's longest delay since the last scrape. */
export interface RuntimeSnapshot {
  gc: Map<string, HandlerTotals>;
  loopMaxMs: number;
}

const GC = /^nodejs_gc_duration_seconds_(sum|count)\{kind="([^"]+)"\} (\S+)$/gm;
const LOOP_MAX = /^nodejs_eventloop_lag_max_seconds (\S+)$/m;

export function parseRuntime(metricsText: string): RuntimeSnapshot {
  const gc = new Map<string, HandlerTotals>();
  for (const m of metricsText.matchAll(GC)) {
    const entry = gc.get(m[2]!) ?? { sum: 0, count: 0 };
    entry[m[1] as 'sum' | 'count'] = Number(m[3]);
    gc.set(m[2]!, entry);
  }
  return { gc, loopMaxMs: Number(LOOP_MAX.exec(metricsText)?.[1] ?? Number.NaN) * 1000 };
}

/** The collections between two snapshots, e.g. `major 3 (41 ms), minor 120 (95 ms)`, and the loop's longest delay in the second. */
export function describeRuntimeDelta(before: RuntimeSnapshot, after: RuntimeSnapshot): string {
  const kinds = [...after.gc].flatMap(([kind, a]) => {
    const b = before.gc.get(kind) ?? { sum: 0, count: 0 };
    const count = a.count - b.count;
    return count > 0 ? [`${kind} ${count} (${((a.sum - b.sum) * 1000).toFixed(0)} ms)`] : [];
  });
  return `GC ${kinds.join(', ') || 'none'}; event loop's longest delay ${after.loopMaxMs.toFixed(0)} ms`;
}
