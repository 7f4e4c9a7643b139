import type { Problem } from '@gridcase/contracts';
import { isDatabaseUnavailable } from '@gridcase/db';

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
    405: 'method-not-allowed',
    408: 'request-timeout',
    409: 'conflict',
    413: 'payload-too-large',
    415: 'unsupported-media-type',
    429: 'rate-limited',
    431: 'headers-too-large',
    503: 'unavailable',
  };
  return `urn:gridcase:problem:${slug[status] ?? (status >= 500 ? 'internal' : 'client-error')}`;
};

/**
 * A 404 whose detail says what kind of thing was not found ("no case with this id"), never the id
 * itself: errors do not quote the input (an id may be a path, or personal data).
 */
export const notFound = (detail: string) => new HttpProblem(404, 'Not Found', detail);
export const conflict = (detail: string) => new HttpProblem(409, 'Conflict', detail);

/** A 400 naming every bad field of the request in `errors`, each with why; `detail` says the first few. */
export function invalidRequest(errors: NonNullable<Problem['errors']>): HttpProblem {
  const more = errors.length > 5 ? `; and ${errors.length - 5} more` : '';
  const detail = `invalid request: ${errors.slice(0, 5).map((e) => `${e.path} (${e.message})`).join('; ')}${more}`;
  return new HttpProblem(400, 'Bad Request', detail, { errors });
}

/** An error, its causes (`cause`, kafkajs's `originalError`) and an AggregateError's parts, depth-first. */
export function* errorChain(err: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (depth > 8 || typeof err !== 'object' || err === null) return;
  const e = err as Record<string, unknown>;
  yield e;
  yield* errorChain(e.cause, depth + 1);
  if (e.originalError !== e.cause) yield* errorChain(e.originalError, depth + 1);
  if (Array.isArray(e.errors)) for (const part of e.errors) yield* errorChain(part, depth + 1);
}

const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const KAFKA_CONNECTIVITY = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSGroupCoordinatorNotFound',
]);
const POOL_MESSAGES = [/^Connection terminated/, /Client has encountered a connection error/];
// pg-pool's error when no connection came within connectionTimeoutMillis: every connection was busy
// with other requests (load), or opening a new one hung (an outage). Either way: later, not never.
const POOL_ACQUIRE_TIMEOUT = /timeout exceeded when trying to connect/i;

/**
 * Why a request cannot be served now, when that is the reason it failed: `outage` (the database or
 * the broker is unreachable), `busy` (no database connection came in time: too much in hand), or
 * undefined for any other error. Both answer 503 with Retry-After, never 500: the one place that
 * decides it (the error handler and the load shedding of buildHttp use it).
 */
export function unavailability(err: unknown): 'outage' | 'busy' | undefined {
  for (const e of errorChain(err)) {
    const code = typeof e.code === 'string' ? e.code : '';
    // The database not there right now (@gridcase/db decides which SQLSTATEs say so), not "this request is wrong".
    if (isDatabaseUnavailable(code, e) || NET_CODES.has(code)) return 'outage';
    if (typeof e.name === 'string' && KAFKA_CONNECTIVITY.has(e.name)) return 'outage';
    if (typeof e.message === 'string') {
      if (POOL_ACQUIRE_TIMEOUT.test(e.message)) return 'busy';
      if (POOL_MESSAGES.some((m) => m.test(e.message as string))) return 'outage';
    }
  }
  return undefined;
}

/** True when an error means a dependency is unreachable or too busy to answer: worth a 503 and a retry, not a 500. */
export const isConnectivityFault = (err: unknown): boolean => unavailability(err) !== undefined;

/** Seconds a client should wait before retrying after a 503 for an outage. */
export const RETRY_AFTER_SECONDS = 5;

/** The parts not working, each with why ("database (connecting: Error ECONNREFUSED); kafka (…)"). */
export const namedParts = (failing: Record<string, string>): string => Object.entries(failing).map(([part, why]) => `${part} (${why})`).join('; ');

/** /readyz's 503 body, naming each part not working and why (the app's, and the start-up gate's while it waits). */
export const notReadyProblem = (failing: Record<string, string>) => ({
  type: problemType(503),
  title: 'Service Unavailable',
  status: 503,
  detail: `not ready: ${namedParts(failing)}`,
  failing,
});
/** Seconds a client should wait after a 503 for load: a burst passes sooner than an outage. */
export const BUSY_RETRY_AFTER_SECONDS = 2;

/** The problem a request that cannot be served now answers with. */
export const unavailableProblem = (why: 'outage' | 'busy') =>
  why === 'busy'
    ? unavailable('the service is over capacity right now (shedding load); retry later', BUSY_RETRY_AFTER_SECONDS)
    : unavailable('the database or the message broker is unreachable; retry later');

export const unavailable = (detail: string, retryAfterSeconds = RETRY_AFTER_SECONDS) =>
  new HttpProblem(503, 'Service Unavailable', detail, { headers: { 'retry-after': String(retryAfterSeconds) } });
