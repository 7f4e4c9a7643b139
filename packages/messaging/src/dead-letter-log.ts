import { Envelope, isUuid } from '@gridcase/contracts';
import type { InboundRecord } from './consumer.ts';
import { oneLine } from './errors.ts';

/** The most characters of a text a sender chose (a key, a header) that the dead-letter log line takes: a huge header must not make a huge line. */
export const MAX_LOGGED_TEXT = 128;

/** What tells an operator which record a dead letter was: its key, its sender, its event. Each absent when unknown. */
export interface DeadLetterIdentity {
  key?: string;
  sender?: string;
  eventType?: string;
  eventId?: string;
}

/**
 * The identity of a dead-lettered record for its log line, each text cut to MAX_LOGGED_TEXT. `key` is the key
 * as it may leave the service (keyOut's), `senderOf` the consumer's own (its answer is logged as it is given).
 */
export function deadLetterIdentity(record: InboundRecord, key: string | null, senderOf: ((record: InboundRecord) => string | undefined) | undefined): DeadLetterIdentity {
  let sender: string | undefined;
  try {
    sender = senderOf?.(record);
  } catch {
    // The dead letter is written already: a failing senderOf must not have the record handled again.
  }
  const { eventType, eventId } = envelopeIdentity(record.value);
  return {
    ...(key !== null ? { key: oneLine(key, MAX_LOGGED_TEXT) } : {}),
    ...(sender ? { sender: oneLine(sender, MAX_LOGGED_TEXT) } : {}),
    ...(eventType ? { eventType: oneLine(eventType, MAX_LOGGED_TEXT) } : {}),
    ...(eventId ? { eventId } : {}),
  };
}

/**
 * The type and id of a value that is our event envelope (Envelope, contracts); nothing for any other value. Our
 * envelopes carry neither in a record header, so the value is read (once per dead letter, never per record). An id
 * is kept only when it is a UUID, as ours are: a sender may write an envelope onto gridcase.reports.inbound, and
 * its id may be any text (a phone number). A type is letters and dots (Envelope's pattern).
 */
function envelopeIdentity(value: Buffer | null): { eventType?: string; eventId?: string } {
  // Only a JSON object can be an envelope: a stub, bytes or a list is not parsed.
  if (value?.[0] !== 0x7b) return {};
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return {};
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) return {};
  const { type, id } = envelope.data;
  return { eventType: type, ...(isUuid(id) ? { eventId: id } : {}) };
}
