/** Where a page of pending deadlines ends: the list runs soonest first by (dueAt, timer id). */
export interface TimerCursor {
  dueAt: Date;
  id: string;
}

/** Opaque to clients: base64url of [dueAt ISO, timer id]. */
export const encodeTimerCursor = (c: TimerCursor): string => Buffer.from(JSON.stringify([c.dueAt.toISOString(), c.id])).toString('base64url');

/** The cursor a token stands for, or undefined when it is not one this service gave out. */
export function decodeTimerCursor(token: string): TimerCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [at, id] = parsed as unknown[];
    if (typeof at !== 'string' || typeof id !== 'string' || id.length === 0) return undefined;
    const dueAt = new Date(at);
    return Number.isNaN(dueAt.getTime()) || dueAt.toISOString() !== at ? undefined : { dueAt, id };
  } catch {
    return undefined;
  }
}
