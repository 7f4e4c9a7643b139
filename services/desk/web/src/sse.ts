/** One Server-Sent Event as the stream frames it (WHATWG HTML "Server-sent events"). */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * Splits what arrived so far into whole events and the unfinished rest. Comments (`: heartbeat`)
 * and `retry:` carry no event; a block without data is not an event either.
 */
export function parseSse(buffer: string): { events: SseEvent[]; rest: string; retryMs?: number } {
  const text = buffer.replace(/\r\n?/g, '\n');
  const events: SseEvent[] = [];
  let retryMs: number | undefined;
  let start = 0;
  for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n', start)) {
    const block = text.slice(start, end);
    start = end + 2;
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
    }
    if (data.length) events.push({ ...(id !== undefined ? { id } : {}), event, data: data.join('\n') });
  }
  return { events, rest: text.slice(start), ...(retryMs !== undefined ? { retryMs } : {}) };
}
