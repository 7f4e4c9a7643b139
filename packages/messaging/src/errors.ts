import { ContractError } from '@gridcase/contracts';
import { isDatabaseUnavailable } from '@gridcase/db';

/** Thrown by a handler for input that can never succeed: it goes to the DLQ at once, without retries. */
export class PoisonError extends Error {}

/**
 * A PoisonError for a record malformed as its sender sent it (not JSON, not the schema, a header missing or naming
 * nobody): labelled 'invalid-message' as a ContractError is, so the runbook sends the operator to the sender, not to
 * a rule ('rejected').
 */
export class InvalidMessageError extends PoisonError {}

/** Thrown by a handler for a fault outside the message (a dependency away): retried until it clears. */
export class TransientError extends Error {}

/** A bounded wait that ran out (withTimeout): ours, so its message ("kafka send timed out after 30000 ms") is shown. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export type ErrorClass = 'poison' | 'transient' | 'unknown';

type Fields = { name?: unknown; code?: unknown; message?: unknown; retriable?: unknown; type?: unknown; issues?: unknown };

const TRANSIENT_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

// pg's own messages for a connection lost or not obtained; they carry no SQLSTATE.
const TRANSIENT_PG_MESSAGE =
  /^Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/;

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * SQLSTATEs that tell the same statement will work later: the database not there for us right now
 * (isDatabaseUnavailable: none of that is the message's fault, so none may dead-letter it), a
 * serialization failure or deadlock (40001, 40P01), a lock not available (55P03), read-only during a
 * failover (25006), an I/O error (58030).
 */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '25006', '58030']);

function sqlstateClass(code: string, error: { message?: unknown; routine?: unknown } = {}): ErrorClass {
  if (isDatabaseUnavailable(code, error) || TRANSIENT_SQLSTATES.has(code)) return 'transient';
  // Class 22 (data exception: bad text, byte sequence, out of range) depends only on the input, so a
  // retry fails the same way. Class 23 (constraints) does not: a unique or foreign-key violation can
  // come from a concurrent writer or from events arriving out of order, so it stays 'unknown'.
  if (code.startsWith('22')) return 'poison';
  return 'unknown';
}

const causeOf = (err: unknown): unknown => {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { cause?: unknown; originalError?: unknown };
  return e.cause ?? e.originalError;
};

const isZodError = (f: Fields) => f.name === 'ZodError' && Array.isArray(f.issues);

const isKafkaJs = (f: Fields) => typeof f.name === 'string' && f.name.startsWith('KafkaJS');

/** Classifies one error (not its causes). */
function classifyOne(err: unknown): ErrorClass {
  if (err instanceof ContractError || err instanceof PoisonError) return 'poison';
  if (err instanceof TransientError) return 'transient';
  if (typeof err !== 'object' || err === null) return 'unknown';
  const f = err as Fields;
  if (isZodError(f)) return 'poison';
  if (typeof f.code === 'string') {
    if (TRANSIENT_ERRNO.has(f.code)) return 'transient';
    if (SQLSTATE.test(f.code) && !isKafkaJs(f)) return sqlstateClass(f.code, f as { message?: unknown; routine?: unknown });
  }
  if (typeof f.message === 'string' && TRANSIENT_PG_MESSAGE.test(f.message)) return 'transient';
  // "Retries exceeded" is non-retriable by itself; what it gave up on decides (below, via its cause).
  if (isKafkaJs(f) && f.name !== 'KafkaJSNumberOfRetriesExceeded' && f.retriable === true) return 'transient';
  return 'unknown';
}

/**
 * Poison: the message can never succeed (contract or data errors) → DLQ at once.
 * Transient: a dependency is away (database, broker, network) → retry until it is back.
 * Unknown: probably a bug → a few retries, then the DLQ. Wrapped errors (drizzle's query error,
 * kafkajs's retries-exceeded) are judged by their cause.
 */
export function classifyError(err: unknown): ErrorClass {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current !== undefined; depth++) {
    const c = classifyOne(current);
    if (c !== 'unknown') return c;
    current = causeOf(current);
  }
  return 'unknown';
}

/** Why a record was dead-lettered, as a metric label: a few fixed values, never the error text. */
export const DEAD_LETTER_REASONS = ['invalid-message', 'rejected', 'bad-data', 'retries-exhausted'] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

/** The reason label for a dead letter: what made it poison, or 'retries-exhausted' for an error retried in vain. */
export function deadLetterReason(err: unknown): DeadLetterReason {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current !== undefined; depth++) {
    if (current instanceof ContractError || (typeof current === 'object' && current !== null && isZodError(current as Fields))) {
      return 'invalid-message';
    }
    if (current instanceof InvalidMessageError) return 'invalid-message';
    if (current instanceof PoisonError) return 'rejected';
    const code = (current as Fields | null)?.code;
    if (typeof code === 'string' && SQLSTATE.test(code) && sqlstateClass(code) === 'poison') return 'bad-data';
    current = causeOf(current);
  }
  return 'retries-exhausted';
}

/** A text as one printable line of at most `max` UTF-16 units, never ending in half a surrogate pair. */
export function oneLine(text: string, max: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: headers and log lines stay one printable line
  const line = text.replace(/[\u0000-\u001f]+/g, ' ');
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const last = cut.charCodeAt(max - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

const MAX_REASON = 300;

/**
 * A reason for logs and DLQ headers that carries no input values: our own errors' messages, and
 * only names and codes of foreign ones (pg messages quote input values, drizzle's lists the params).
 */
export function describeError(err: unknown): string {
  return oneLine(describeOne(err), MAX_REASON);
}

function describeOne(err: unknown): string {
  if (err instanceof ContractError) return `contract violation: ${err.detail}`;
  if (err instanceof PoisonError || err instanceof TransientError || err instanceof TimeoutError) return err.message;
  if (typeof err !== 'object' || err === null) return 'non-error thrown';
  const f = err as Fields & { constructor?: { name?: string } };
  const name = typeof f.name === 'string' ? f.name : 'Error';
  if (isZodError(f)) {
    const issues = (f.issues as { path?: unknown[]; code?: string }[]).map(
      (i) => `${i.path?.length ? i.path.join('.') : '(root)'}: ${i.code ?? 'invalid'}`,
    );
    return `invalid data: ${issues.join('; ')}`;
  }
  if (typeof f.code === 'string' && SQLSTATE.test(f.code) && !isKafkaJs(f)) return `database error ${f.code}`;
  if (typeof f.code === 'string' && TRANSIENT_ERRNO.has(f.code)) return `${name} ${f.code}`;
  if (isKafkaJs(f)) {
    const cause = causeOf(err);
    const type = typeof f.type === 'string' ? ` ${f.type}` : '';
    return cause ? `${name}${type}: ${describeOne(cause)}` : `${name}${type}: ${String(f.message)}`;
  }
  const cause = causeOf(err);
  if (cause) return `${name}: ${describeOne(cause)}`;
  if (typeof f.message === 'string' && TRANSIENT_PG_MESSAGE.test(f.message)) return f.message;
  // Plain errors are ours (a bug's message, an assertion); other shapes are named, not quoted.
  if (err instanceof Error && (name === 'Error' || err.constructor === Error || name === 'TypeError' || name === 'RangeError')) {
    return name === 'Error' ? err.message : `${name}: ${err.message}`;
  }
  return name;
}

/** The broker does not know the topic (it lost its data, or nobody created it yet). */
export function isTopicMissing(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    const f = current as Fields;
    if (f.type === 'UNKNOWN_TOPIC_OR_PARTITION') return true;
    if (typeof f.message === 'string' && /does not host this topic-partition|unknown topic/i.test(f.message)) return true;
    current = causeOf(current);
  }
  return false;
}
