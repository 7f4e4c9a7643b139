/** Sum and count of one consumer group's handler histogram on one topic. */
export interface HandlerTotals {
  sum: number;
  count: number;
}

export type HandlerSnapshot = Map<string, HandlerTotals>;

const HANDLE = /^gridcase_consumer_handle_seconds_(sum|count)\{group="([^"]+)",topic="([^"]+)"\} (\S+)$/gm;

/** Reads every `gridcase_consumer_handle_seconds` series of a /metrics text, keyed `group ← topic` without the stack's prefix. */
export function parseHandlerTimes(metricsText: string, topicPrefix: string): HandlerSnapshot {
  const out: HandlerSnapshot = new Map();
  for (const m of metricsText.matchAll(HANDLE)) {
    const key = `${m[2]!.replace(topicPrefix, '')} ← ${m[3]}`;
    const entry = out.get(key) ?? { sum: 0, count: 0 };
    entry[m[1] as 'sum' | 'count'] = Number(m[4]);
    out.set(key, entry);
  }
  return out;
}

/** What changed between two snapshots: messages handled and their mean handling time, per series with any. */
export function handlerDelta(before: HandlerSnapshot, after: HandlerSnapshot): { key: string; count: number; meanMs: number }[] {
  const rows: { key: string; count: number; meanMs: number }[] = [];
  for (const [key, a] of after) {
    const b = before.get(key) ?? { sum: 0, count: 0 };
    const count = a.count - b.count;
    if (count > 0) rows.push({ key, count, meanMs: ((a.sum - b.sum) / count) * 1000 });
  }
  return rows.sort((x, y) => x.key.localeCompare(y.key));
}
