import type { TimelineEntry } from '@gridcase/contracts';

type Details = Pick<TimelineEntry, 'at' | 'actor' | 'note' | 'reason'>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The time an event's data says it happened at (each event names it its own way). */
const happenedAt = (d: Record<string, unknown>): string | undefined => str(d.at) ?? str(d.mergedAt) ?? str(d.openedAt);

/**
 * What a timeline entry shows of the event it records: when it happened, who did it (the command's
 * actor, without the token's roles), and the note or reason they gave. Read from the stored data,
 * so entries projected before these fields existed show them too.
 */
export function timelineDetails(time: Date, data: Record<string, unknown>): Details {
  const by = data.by as Record<string, unknown> | undefined;
  const clientId = by ? str(by.clientId) : undefined;
  const name = by ? str(by.name) : undefined;
  const officerId = by ? str(by.officerId) : undefined;
  return {
    at: happenedAt(data) ?? time.toISOString(),
    actor: clientId ? { clientId, ...(name ? { name } : {}), ...(officerId ? { officerId } : {}) } : null,
    // A note-added event's note is its text.
    note: str(data.note) ?? str(data.text) ?? null,
    reason: str(data.reason) ?? null,
  };
}
