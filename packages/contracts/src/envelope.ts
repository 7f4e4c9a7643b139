import { z } from 'zod';
import { text } from './text.ts';
import { COMMAND_SCHEMAS } from './commands.ts';
import { EVENT_SCHEMAS } from './events.ts';
import { fieldIssues } from './http.ts';
import { newId } from './ids.ts';

/** Every message type carried in a CloudEvents envelope: events and commands. */
export const MESSAGE_SCHEMAS = { ...EVENT_SCHEMAS, ...COMMAND_SCHEMAS } as const;
type Schemas = typeof MESSAGE_SCHEMAS;
export type MessageType = keyof Schemas;
export type EventType = keyof typeof EVENT_SCHEMAS;
export type CommandType = keyof typeof COMMAND_SCHEMAS;
export type DataOf<T extends MessageType> = z.infer<Schemas[T]>;

/** CloudEvents 1.0, structured JSON mode. */
export const Envelope = z.object({
  specversion: z.literal('1.0'),
  id: text().min(1),
  source: text().min(1),
  type: text().regex(/^gridcase\.[a-z-]+\.[a-z-]+\.v\d+$/, 'type must look like gridcase.<entity>.<event>.v<n>'),
  subject: text().min(1),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  data: z.unknown(),
});

export interface Message<T extends MessageType = MessageType> {
  specversion: '1.0';
  id: string;
  source: string;
  type: T;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: DataOf<T>;
}

/** A message of any known type, narrowed by `type`. */
export type AnyMessage = { [T in MessageType]: Message<T> }[MessageType];

type MessageFields<T extends MessageType> = { source: string; subject: string; data: DataOf<T>; id?: string; time?: Date };

/** A message of `type` around `data`, which must satisfy the type's schema (it throws naming what does not). */
export function makeMessage<T extends MessageType>(type: T, fields: MessageFields<T>): Message<T> {
  return envelopeOf(type, { ...fields, data: MESSAGE_SCHEMAS[type].parse(fields.data) as DataOf<T> });
}

/**
 * makeMessage without parsing the data again, for data built from input already parsed by a schema
 * at least as strict as the type's, whose builder a test holds to the type's schema (intake's
 * report.received, made from a body validated on receipt). The second parse cost about 11 µs a report.
 */
export function envelopeOf<T extends MessageType>(type: T, fields: MessageFields<T>): Message<T> {
  return {
    specversion: '1.0',
    id: fields.id ?? newId(),
    source: fields.source,
    type,
    subject: fields.subject,
    time: (fields.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    data: fields.data,
  };
}

/** Thrown when a message does not match its contract; `detail` names what is wrong. */
export class ContractError extends Error {
  readonly detail: string;
  constructor(detail: string) {
    super(`contract violation: ${detail}`);
    this.detail = detail;
  }
}

/** Issues for a log line or a DLQ reason, worded and named as a 400's `errors` are ("location.floor: unknown field"). */
const describeIssues = (error: z.ZodError): string =>
  fieldIssues(error, undefined, '(root)')
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');

const isKnownType = (type: string): type is MessageType => Object.hasOwn(MESSAGE_SCHEMAS, type);

/** Parses and validates a message read from Kafka: the envelope, then `data` against its type. */
export function parseMessage(raw: Buffer | string | null): AnyMessage {
  return validateMessage(jsonOf(raw));
}

/**
 * parseMessage for a consumer that acts on `types` only: a record of any other type gives undefined,
 * read no further than its envelope's `type` (validating events a consumer skips cost it as much as
 * the rest of its work). A type this version does not know yet (a newer producer's, in a rolling
 * deploy) is another type too: not this consumer's, so not poison to it. A record of one of `types`
 * is validated as parseMessage does, and one that is not JSON or names no type still fails.
 */
export function parseMessageOf<T extends MessageType>(raw: Buffer | string | null, types: ReadonlySet<T>): Extract<AnyMessage, { type: T }> | undefined {
  const json = jsonOf(raw);
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && !types.has(type as T)) return undefined;
  return validateMessage(json) as Extract<AnyMessage, { type: T }>;
}

function jsonOf(raw: Buffer | string | null): unknown {
  if (raw === null) throw new ContractError('record has no value');
  try {
    return JSON.parse(raw.toString());
  } catch {
    throw new ContractError('value is not JSON');
  }
}

function validateMessage(json: unknown): AnyMessage {
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) throw new ContractError(`envelope: ${describeIssues(envelope.error)}`);
  const { type } = envelope.data;
  if (!isKnownType(type)) throw new ContractError(`unknown type ${type}`);
  const data = MESSAGE_SCHEMAS[type].safeParse(envelope.data.data);
  if (!data.success) throw new ContractError(`${type} data: ${describeIssues(data.error)}`);
  return { ...envelope.data, type, data: data.data } as AnyMessage;
}

export { describeIssues };
