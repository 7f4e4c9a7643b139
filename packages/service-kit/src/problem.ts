import type { Problem } from '@gridcase/contracts';

/** An error a route throws to answer with a specific problem+json. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly errors: Problem['errors'];
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    title: string,
    detail?: string,
    extra: { errors?: Problem['errors']; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? title);
    this.status = status;
    this.title = title;
    this.errors = extra.errors;
    this.headers = extra.headers ?? {};
  }
}

export const problemType = (status: number): string => {
  const slug: Record<number, string> = {
    400: 'validation',
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'not-found',
    409: 'conflict',
    413: 'payload-too-large',
    415: 'unsupported-media-type',
    429: 'rate-limited',
    503: 'unavailable',
  };
  return `urn:gridcase:problem:${slug[status] ?? (status >= 500 ? 'internal' : 'client-error')}`;
};

export const notFound = (what: string) => new HttpProblem(404, 'Not Found', `${what} not found`);
export const conflict = (detail: string) => new HttpProblem(409, 'Conflict', detail);

/** An error, its causes (`cause`, kafkajs's `originalError`) and an AggregateError's parts, depth-first. */
export function* errorChain(err: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (depth > 8 || typeof err !== 'object' || err === null) return;
  const e = err as Record<string, unknown>;
  yield e;
  yield* errorChain(e.cause, depth + 1);
  if (e.originalError !== e.cause) yield* errorChain(e.originalError, depth + 1);
  if (Array.isArray(e.errors)) for (const part of e.errors) yield* errorChain(part, depth + 1);
}

// pg SQLSTATEs that mean "the database is not there right now", not "this request is wrong":
// class 08 (connection exception), 57P01-57P03 (admin/crash shutdown, cannot connect now), 53300 (too many connections).
const DB_UNAVAILABLE = /^(08...|57P0[1-3]|53300)$/;
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const KAFKA_CONNECTIVITY = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSGroupCoordinatorNotFound',
]);
const POOL_MESSAGES = [/^Connection terminated/, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/];

/** True when an error means the database or the broker is unreachable: worth a 503 and a retry, not a 500. */
export function isConnectivityFault(err: unknown): boolean {
  for (const e of errorChain(err)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (DB_UNAVAILABLE.test(code) || NET_CODES.has(code)) return true;
    if (typeof e.name === 'string' && KAFKA_CONNECTIVITY.has(e.name)) return true;
    if (typeof e.message === 'string' && POOL_MESSAGES.some((m) => m.test(e.message as string))) return true;
  }
  return false;
}

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5;

export const unavailable = (detail: string, retryAfterSeconds = RETRY_AFTER_SECONDS) =>
  new HttpProblem(503, 'Service Unavailable', detail, { headers: { 'retry-after': String(retryAfterSeconds) } });
