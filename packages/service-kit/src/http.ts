import { STATUS_CODES } from 'node:http';
import type { Readable } from 'node:stream';
import swagger from '@fastify/swagger';
import { ClientRole, type FieldIssue, fieldIssues, isStorableText, isUuid, objectSchemaOf, type Principal, refusesUnknownKeys, UNSTORABLE_TEXT } from '@gridcase/contracts';
import { describeError, OutageLog } from '@gridcase/messaging';
import Fastify, { errorCodes, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type HTTPMethods, LogController } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { register } from 'prom-client';
import { z } from 'zod';
import { bearerToken, hasRole, ROOT_CLIENT_ID, type RevocationList, type TokenSigner } from './auth.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './config.ts';
import { observeRequest } from './http-metrics.ts';
import { openapiTransform, openapiTransformObject, overBodyLimit } from './openapi.ts';
import {
  ACCEPTED_BODY,
  answerClientError,
  bodyText,
  decodeParams,
  endsWithoutBytes,
  FORM_BODY,
  JSON_SUFFIX_BODY,
  NOT_PERCENT_ENCODED_UTF8,
  parseJsonBody,
  takesNoBody,
  unsupportedEncoding,
  unsupportedMediaTypeDetail,
} from './parsing.ts';
import { HttpProblem, invalidRequest, notReadyProblem, problemType, unavailability, unavailable, unavailableProblem } from './problem.ts';
import { registerShedding, type SheddingOptions, shedTotal } from './shedding.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    traceparent?: string;
  }
  interface FastifyContextConfig {
    /** Roles allowed on this route (admin always is); every route but the public ones names them. */
    roles?: readonly ClientRole[];
    /** What the route shows or changes, so the matrix test knows what scope means for it (RouteScope). */
    scope?: RouteScope;
    public?: boolean;
    /**
     * A check across the request's parts, which no one part's schema can make (a body judged by a path
     * parameter): a schema over `{params, querystring, body}` whose issues name their part first, made
     * with fieldsCheck so that it stays silent until what it reads parses. Named beside the parts' own problems.
     */
    acrossParts?: z.ZodType;
    /**
     * The route lets query parameters it does not know through: one whose query another spec defines
     * (Open311), or one probes, scrapers and browsers call with whatever they add (/healthz, the page).
     * Every other route refuses them (README: query strings refuse unknown fields).
     */
    anyQuery?: boolean;
    /**
     * Problems this route answers beyond those /docs derives from what it declares (openapi.ts's
     * routeProblems: 400, 401, 403, 404, 413, 415, 503), each with when: 409 for a conflict, 429 where
     * it is rate-limited. Documentation only: the route throws them itself.
     */
    problems?: Partial<Record<number, string>>;
    /**
     * The body this route's errors are rewritten to before they are sent (Open311's `[{code, description}]`),
     * for /docs to show instead of problem+json. Documentation only: the route's own onSend rewrites them.
     */
    errorBody?: { mediaType: string; schema: z.ZodType };
  }
  interface FastifyInstance {
    /** Every route with its roles and scope, as registered: the authorization matrix is checked over it. */
    accessTable: RouteAccess[];
    /** The service's name (intake, desk…): what names its own things, such as its lists' cursors. */
    serviceName: string;
  }
}

/**
 * - `station`: cases, reports, grids, stats or streams of a station: filtered by the token's scope
 *   (scope.ts), another station's item answers 404.
 * - `own`: the calling client's own things (its reports, its webhooks).
 * - `install`: this install's own settings and records (reference data, ladder, SLA policies, rules,
 *   calendar, audit): a token limited to stations must list the one this install serves (403 otherwise),
 *   so an admin of another station neither changes nor reads them.
 * - `none`: data of no station (the catalogue, the calendar, rules, clients, docs).
 */
const RouteScopes = z.enum(['station', 'own', 'install', 'none']);
export type RouteScope = z.infer<typeof RouteScopes>;

/** One route of GET /v1/access; the type is derived from it, so the two cannot drift apart. */
const RouteAccessView = z.object({
  method: z.string(),
  url: z.string(),
  /** `bearer`: buildHttp checks the token and roles; `route`: the route takes its token itself (Open311's api_key); `public`: no token. */
  auth: z.enum(['bearer', 'route', 'public']),
  roles: z.array(ClientRole).readonly(),
  scope: RouteScopes,
});
export type RouteAccess = z.infer<typeof RouteAccessView>;

/** GET /v1/access: the accessTable of a service. */
const AccessView = z.object({ service: z.string(), routes: z.array(RouteAccessView) });

/** Every role: for routes any valid token may use. */
export const ANY_ROLE: readonly ClientRole[] = ['reporter', 'desk', 'officer', 'supervisor', 'admin', 'community'];

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  ZodTypeProvider
>;

/** The /readyz parts requests need (`/readyz?for=http`): the database, and the revoked-token list client tokens are checked against. */
export const HTTP_READINESS_PARTS: ReadonlySet<string> = new Set(['database', 'revocations']);

/** A named dependency check for /readyz: resolves when the part works, throws naming why not. */
export type ReadinessCheck = () => Promise<void> | void;

export interface HttpOptions {
  service: string;
  version?: string;
  logger: Logger;
  signer: TokenSigner;
  revocations?: RevocationList;
  /**
   * A further check that the token's client may still act (intake reads its own clients table), run
   * right after the token is verified and before the route's roles are: a revoked token gets 401, and
   * never learns which roles a route needs. Throws to refuse.
   */
  checkPrincipal?: (principal: Principal) => Promise<void>;
  readiness: Record<string, ReadinessCheck>;
  /** Each readiness check gets this long before /readyz names it failing (default 2 s). */
  readinessTimeoutMs?: number;
  bodyLimit?: number;
  /**
   * How long a client has to send its whole request, headers and body (default 30 s); past it the
   * connection is closed (408 when nothing was answered yet). It ends when the request has arrived,
   * so a long answer (desk's SSE stream) is not cut by it. HTTP_REQUEST_TIMEOUT_MS in config.
   */
  requestTimeoutMs?: number;
  /** Turn requests away with 503 past these bounds rather than queue them (see shedding.ts). */
  shedding?: SheddingOptions;
  /** OpenAPI 3.1 `webhooks` for /docs: the requests this service makes to its clients (intake's case events). */
  webhooks?: Record<string, unknown>;
  /** The station this install serves (STATION_CODE): a token limited to other stations is refused its `install` routes. */
  station?: string;
}

/** Why a token limited to stations may not use a route of this install's own settings (scope `install`); it names neither station. */
export const OTHER_STATION_REFUSAL =
  "the token's stations do not include the station this install serves: it neither changes nor reads this install's settings; use a token scoped to it (or unscoped)";

/**
 * The principal a bearer token proves (with the current grids of a client whose grids follow its grid
 * worker's: RevocationList.current). Throws 401 for a missing, bad or revoked token, and 503
 * for any token but the admin one while the revocation list is stale: a token revoked while the
 * list could not be refreshed must not work again.
 */
export function authenticate(token: string | undefined, signer: TokenSigner, revocations?: RevocationList): Principal {
  const principal = token ? signer.verify(token) : undefined;
  if (!principal || revocations?.has(principal.clientId)) {
    throw new HttpProblem(401, 'Unauthorized', token ? 'the bearer token is invalid, expired or revoked' : 'a bearer token is required', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  if (principal.clientId !== ROOT_CLIENT_ID && revocations?.stale) {
    throw unavailable('the revocation list is stale (it could not be refreshed lately), so client tokens cannot be checked; retry later');
  }
  // A grid worker's community token sees the grid its worker serves now, not the one it was issued with.
  return revocations ? revocations.current(principal) : principal;
}

/** Resolves as the check does, or rejects once `ms` pass: a hung dependency must not hang /readyz. */
async function bounded(check: ReadinessCheck, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(check),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Every string (and object key) in the parsed request that Postgres could not store, as
 * `{path, message}`: `querystring.<name>`, `params.<name>`, and body fields as validation names them.
 */
export function findUnstorableText(parts: { query?: unknown; params?: unknown; body?: unknown }): { path: string; message: string }[] {
  const found: { path: string; message: string }[] = [];
  const walk = (value: unknown, path: string, depth: number): void => {
    if (found.length >= 20 || depth > 64) return;
    if (typeof value === 'string') {
      if (!isStorableText(value)) found.push({ path: path || '(body)', message: UNSTORABLE_TEXT });
    } else if (typeof value === 'object' && value !== null) {
      // Arrays too: their entries are keyed '0', '1', … as validation paths name them.
      for (const [k, v] of Object.entries(value)) {
        if (!isStorableText(k)) found.push({ path: path || '(body)', message: `a key ${UNSTORABLE_TEXT}` });
        else walk(v, path ? `${path}.${k}` : k, depth + 1);
      }
    }
  };
  walk(parts.query, 'querystring', 0);
  walk(parts.params, 'params', 0);
  walk(parts.body, '', 0);
  return found;
}

/** The parts of a request a route's schema may name, in the order errors[] lists them, and how it prefixes their fields. */
const REQUEST_PARTS = [
  { schema: 'params', field: 'params', prefix: 'params' },
  { schema: 'querystring', field: 'query', prefix: 'querystring' },
  { schema: 'body', field: 'body', prefix: undefined },
  { schema: 'headers', field: 'headers', prefix: 'headers' },
] as const;

/**
 * Checks every part of the request against the route's zod schemas at once and returns every problem,
 * params as `params.<name>`, the query as `querystring.<name>`, body fields bare (`url`, `location.lat`).
 * fastify's own validation stops at the first bad part, so a bad id hid the body's problems and the
 * client had to fix its request twice. Parts that pass are replaced by their parsed values. Schemas
 * may carry async refinements (a code looked up in the database): they run here, beside the rest, as
 * does the route's check across parts (config.acrossParts).
 */
export async function validateRequest(req: FastifyRequest): Promise<FieldIssue[]> {
  // A route may check across parts without a schema for any one part.
  const schemas = (req.routeOptions.schema ?? {}) as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const parts = req as unknown as Record<string, unknown>;
  for (const part of REQUEST_PARTS) {
    const schema = schemas[part.schema];
    if (!(schema instanceof z.ZodType)) continue;
    // As fastify validates: an absent part is null, so a required body answers "expected object".
    const parsed = await schema.safeParseAsync(parts[part.field] ?? null);
    const repeated = part.schema === 'querystring' ? repeatedParams(schema, parts[part.field]) : [];
    if (parsed.success && repeated.length === 0) parts[part.field] = parsed.data;
    else {
      // A repeated parameter is named as such, not by what its schema made of the list ("must be a string").
      const named = repeated.map((key) => ({ path: `${part.prefix}.${key}`, message: GIVEN_MORE_THAN_ONCE }));
      const others = parsed.success ? [] : fieldIssues(parsed.error, part.prefix).filter((i) => !named.some((n) => i.path === n.path || i.path.startsWith(`${n.path}.`)));
      issues.push(...named, ...others);
    }
  }
  const across = req.routeOptions.config?.acrossParts;
  if (across) {
    // Each part as it parsed, or as sent where it did not.
    const checked = await across.safeParseAsync(Object.fromEntries(REQUEST_PARTS.map((part) => [part.schema, parts[part.field]])));
    if (!checked.success) issues.push(...checked.error.issues.flatMap(partIssues));
  }
  return issues;
}

export const GIVEN_MORE_THAN_ONCE = 'given more than once; give it once';

/**
 * The query parameters sent more than once (`?status=open&status=closed`, which the query parser reads
 * as a list) where the query's schema takes one value: a list there would be refused for its type,
 * or (a coerced value) read as something the client did not mean.
 */
function repeatedParams(schema: z.ZodType, query: unknown): string[] {
  if (typeof query !== 'object' || query === null) return [];
  return Object.entries(query).flatMap(([key, value]) => {
    if (!Array.isArray(value)) return [];
    const field = fieldSchema(schema, key);
    // A parameter the schema does not name is its own problem (unknown field), or let through (anyQuery).
    return field && !takesList(field) ? [key] : [];
  });
}

/** The schema of one field of an object schema, seen through withFieldsCheck's intersections. */
function fieldSchema(schema: z.ZodType, key: string): z.ZodType | undefined {
  const shape = objectSchemaOf(schema)?.shape;
  return shape && Object.hasOwn(shape, key) ? (shape[key] as z.ZodType) : undefined;
}

/** Whether a schema may take a list: an array, or something that wraps or may be one. */
function takesList(schema: z.ZodType): boolean {
  const def = schema._zod.def as z.core.$ZodTypeDef & { innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; options?: z.ZodType[]; left?: z.ZodType; right?: z.ZodType };
  switch (def.type) {
    case 'array':
    case 'tuple':
    case 'set':
    case 'unknown':
    case 'any':
      return true;
    case 'pipe':
      // z.preprocess: what the transform takes is unknown, so what it hands on decides.
      return def.in?._zod.def.type === 'transform' ? takesList(def.out as z.ZodType) : takesList(def.in as z.ZodType);
    case 'union':
      return (def.options ?? []).some(takesList);
    case 'intersection':
      return takesList(def.left as z.ZodType) && takesList(def.right as z.ZodType);
    case 'lazy':
      return true;
    default:
      return def.innerType ? takesList(def.innerType) : false;
  }
}

/** An issue of an acrossParts check, its path led by the part, named as the parts' own issues are. */
function partIssues(issue: z.core.$ZodIssue): FieldIssue[] {
  const [part, ...field] = issue.path.map(String);
  const prefix = REQUEST_PARTS.find((p) => p.schema === part)?.prefix;
  return fieldIssues(new z.ZodError([{ ...issue, path: field }]), prefix);
}

/** The query of a route that declares none: every parameter is unknown. */
const NO_QUERY = z.strictObject({});

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * fastify's per-request logger (its bindings carry the reqId), made only when the request logs
 * something at an enabled level. pino makes a child by running its bindings through the redaction
 * (logger.ts's wildcard paths): several µs on every request, most of which log nothing at warn.
 * A class, so that one costs an object, not a closure per level.
 */
class LazyRequestLogger {
  readonly #parent: Logger;
  readonly #bindings: Record<string, unknown>;
  #child: Logger | undefined;

  constructor(parent: Logger, bindings: Record<string, unknown>) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  #real(): Logger {
    this.#child ??= this.#parent.child(this.#bindings);
    return this.#child;
  }

  #log(level: LogLevel, args: unknown[]): void {
    if (this.#child || this.#parent.isLevelEnabled(level)) (this.#real()[level] as (...a: unknown[]) => void)(...args);
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }

  error(...args: unknown[]): void {
    this.#log('error', args);
  }

  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }

  info(...args: unknown[]): void {
    this.#log('info', args);
  }

  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }

  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }

  silent(): void {}

  child(bindings: Record<string, unknown>, options?: object): Logger {
    return this.#real().child(bindings, options);
  }
}

/** The request logger fastify is given (childLoggerFactory): lazy, unless a route sets its own level or serializers. */
export function lazyRequestLogger(parent: Logger, bindings: Record<string, unknown>, options: { level?: string; serializers?: unknown }): FastifyBaseLogger {
  if (options.level !== undefined || options.serializers !== undefined) return parent.child(bindings, options as never) as FastifyBaseLogger;
  return new LazyRequestLogger(parent, bindings) as unknown as FastifyBaseLogger;
}

/** fastify's errors about a URL it cannot route, said without the URL they quote. */
const URL_ERRORS: Record<string, string> = {
  FST_ERR_BAD_URL: 'the URL is not validly percent-encoded',
  FST_ERR_MAX_PARAM_LENGTH: 'a path segment of the URL is too long',
};

/** The body types any gridcase route reads, for a 415 to name those its route takes. */
const BODY_TYPES = [ACCEPTED_BODY, FORM_BODY];

/**
 * Every problem answer. One given before the request's body has arrived (a 401 or 415 from a hook,
 * which never reads it) closes the connection after it: else Node reads and drops the rest of the
 * body, and a client trickling a byte at a time holds the connection as long as it likes (audit9 #18).
 */
const sendProblem = (reply: FastifyReply, p: Record<string, unknown> & { status: number }) => {
  if (!reply.request.raw.complete) reply.header('connection', 'close');
  return reply.status(p.status).type('application/problem+json').send(p);
};


/** At most this many entries in a problem's `errors`: a body of 20 000 unknown keys must not answer with a bigger one. */
export const MAX_PROBLEM_ERRORS = 100;
/** At most this many field paths on a refused request's log line. */
const MAX_LOGGED_FIELDS = 20;

/** The names of a query's parameters that did not percent-decode (decodeParams), by the query object the parser made. */
const undecodableParams = new WeakMap<object, string[]>();

/**
 * fastify's query string parser: decodeParams, which leaves out a parameter that does not decode, so
 * that validation names it (400) rather than the route reading its escapes as text (audit21 #5). The
 * router calls it with no request at hand, and an error thrown there would escape fastify's handlers.
 */
function parseQuery(query: string): Record<string, string | string[]> {
  const { params, undecodable } = decodeParams(query);
  if (undecodable.length) undecodableParams.set(params, undecodable);
  return params;
}

/** Keys the JSON body parser took out of a request's body (they could reach a prototype), for validation to name. */
const forbiddenBodyKeys = new WeakMap<FastifyRequest, FieldIssue[]>();

/** The fields a refused request's problem named, kept for its 'request completed' line (paths only, never values). */
const refusedFields = new WeakMap<FastifyRequest, string[]>();

/**
 * What the 'request completed' line adds for a refused or failed request, so an operator can tell who
 * is refused and why: the client (its id, never its token), the fields a 400 named, the limit a 429 hit.
 */
export function refusalContext(req: FastifyRequest, reply: FastifyReply): Record<string, unknown> {
  const status = reply.statusCode;
  if (status < 400) return {};
  const context: Record<string, unknown> = {};
  if (req.principal) context.clientId = req.principal.clientId;
  const fields = refusedFields.get(req);
  if (status === 400 && fields?.length) {
    context.fields = fields.slice(0, MAX_LOGGED_FIELDS);
    if (fields.length > MAX_LOGGED_FIELDS) context.moreFields = fields.length - MAX_LOGGED_FIELDS;
  }
  if (status === 429) {
    const limit = reply.getHeader('x-ratelimit-limit');
    if (limit !== undefined) context.limit = Number(limit);
  }
  return context;
}

/**
 * True when the request failed because its client went away while sending it (a slow upload given
 * up, a reset connection): the client's doing, not an unreachable dependency. Node reports it as an
 * 'aborted' error with code ECONNRESET, which would otherwise read as a network outage.
 */
export function clientAborted(req: FastifyRequest, err: unknown): boolean {
  if (req.raw.readableAborted) return true;
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === 'ECONNRESET' && e.message === 'aborted';
}

/** A problem's `errors` capped at MAX_PROBLEM_ERRORS, its detail saying how many were left off. */
function cappedErrors(detail: string, errors: NonNullable<HttpProblem['errors']>): { detail: string; errors: HttpProblem['errors'] } {
  if (errors.length <= MAX_PROBLEM_ERRORS) return { detail, errors };
  const more = errors.length - MAX_PROBLEM_ERRORS;
  return { detail: `${detail} (errors lists the first ${MAX_PROBLEM_ERRORS}; ${more} more not listed)`, errors: errors.slice(0, MAX_PROBLEM_ERRORS) };
}

/**
 * The fastify app every service starts from: zod validation and OpenAPI, problem+json errors,
 * bearer auth by route config, health, readiness, metrics, and traceparent on every request.
 */
export async function buildHttp(options: HttpOptions): Promise<App> {
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  // A database away answers every request 503: one error line when that starts, one when a request is served again (audit 24 #1).
  const dependencyOutage = new OutageLog(options.logger, {
    level: 'error',
    down: 'request failed: a dependency is unreachable (503 with Retry-After; further such failures are logged at debug until a request is served again)',
    up: 'requests served again after a dependency outage',
  });
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const app = Fastify({
    // A body trickled in a byte at a time must not hold a connection open for minutes (audit9 #18).
    // Node checks the bound every connectionsCheckingInterval (30 s by default, which would double a
    // 30 s bound), so that is a fraction of it; the headers get no longer than the whole request.
    requestTimeout,
    http: { connectionsCheckingInterval: Math.max(10, Math.min(5000, Math.floor(requestTimeout / 4))), headersTimeout: Math.min(60_000, requestTimeout) },
    loggerInstance: options.logger as FastifyBaseLogger,
    childLoggerFactory: (parent, bindings, childOptions) => lazyRequestLogger(parent as Logger, bindings, childOptions),
    bodyLimit,
    requestIdHeader: 'x-request-id',
    // fastify's own request lines carry the whole URL, query and all; a token sent as ?api_key= or
    // ?access_token= would land in the log. The hook below logs the path only.
    logController: new LogController({ disableRequestLogging: true }),
    // A malformed path (bad percent-encoding) or an over-long route parameter: problem+json, not fastify's
    // JSON, and without fastify's message, which quotes the path.
    frameworkErrors: (err, _req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      const detail = URL_ERRORS[err.code] ?? 'the URL could not be read';
      return sendProblem(reply, { type: problemType(status), title: STATUS_CODES[status] ?? 'Bad Request', status, detail });
    },
    // A request Node's HTTP parser refuses (raw UTF-8 in the query, huge headers) never reaches a route.
    clientErrorHandler: answerClientError,
    routerOptions: { querystringParser: parseQuery },
    // fastify's own 503 for a request that comes while the app closes is plain JSON without Retry-After;
    // the first onRequest hook answers it as every other 503 (audit25 #3).
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();
  // JSON is the one body every route but Open311's (which adds forms) reads; a body sent as text/plain
  // answers 415 as an absent content type does, rather than reach the route as a string.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  // Read as bytes, so a body that is not UTF-8, or says it is in another charset, is refused rather than read with U+FFFD.
  const readJson = async (req: FastifyRequest, body: string | Buffer) => {
    const bytes = body as Buffer;
    // A JSON Content-Type with no bytes (a DELETE from a client that sets the header on every request): no body, where the route reads none.
    if (bytes.length === 0 && (await takesNoBody(req.routeOptions.schema?.body))) return undefined;
    const { value, forbidden } = parseJsonBody(bodyText(req.headers['content-type'], bytes));
    // Named by the validation below, beside every other bad field.
    if (forbidden.length) forbiddenBodyKeys.set(req, forbidden);
    return value;
  };
  app.addContentTypeParser(ACCEPTED_BODY, { parseAs: 'buffer' }, readJson);
  // application/merge-patch+json and the like are JSON too (audit11 #11).
  app.addContentTypeParser(JSON_SUFFIX_BODY, { parseAs: 'buffer' }, readJson);
  // Any other type (or a body with none) is refused with 415, as when no parser matches, except where the
  // route reads no body and none came: a client library's default Content-Type on a DELETE is no body, as
  // under JSON. A body about to be refused is not read; a path no route has goes on to its 404 unread.
  app.addContentTypeParser('*', async (req: FastifyRequest, payload: Readable) => {
    if (req.is404) return undefined;
    if ((await takesNoBody(req.routeOptions.schema?.body)) && (await endsWithoutBytes(payload))) return undefined;
    throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE();
  });
  // A body in an encoding no service decodes (gzip…) is refused before it is read: 415 naming it, not
  // a misleading 400 "not valid UTF-8" once read (audit9 #19). A request without a body is let be.
  app.addHook('preParsing', async (req, _reply, payload) => {
    const refused = unsupportedEncoding(req.headers['content-encoding']);
    if (refused && (req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0)) throw refused;
    return payload;
  });
  // fastify's validation step only lets every part through: validateRequest (a preHandler below) checks
  // them all together. A schema that is not zod would go unchecked, so it does not start.
  app.setValidatorCompiler(({ schema, method, url }) => {
    if (!(schema instanceof z.ZodType)) throw new Error(`route ${method} ${url}: request schemas must be zod schemas`);
    return (data) => ({ value: data });
  });
  app.setSerializerCompiler(serializerCompiler);
  // First of every onRequest hook: a request turned away costs no authentication or database work.
  // Operators (the root token) are never turned away, as the rate limit never throttles them.
  const isRoot = (req: FastifyRequest) => options.signer.verify(bearerToken(req.headers.authorization) ?? '')?.clientId === ROOT_CLIENT_ID;
  if (options.shedding) await registerShedding(app as unknown as FastifyInstance, { exempt: isRoot, ...options.shedding });

  // A route that does not say who may call it and what scope means for it does not start: so a new
  // route cannot be forgotten by the authorization matrix or left open by mistake.
  app.decorate('accessTable', [] as RouteAccess[]);
  app.decorate('serviceName', options.service);
  app.addHook('onRoute', (route) => {
    const config = route.config as { roles?: readonly ClientRole[]; scope?: RouteScope; public?: boolean; anyQuery?: boolean } | undefined;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    const declared = config?.roles && config.scope ? { roles: config.roles, scope: config.scope } : undefined;
    if (!declared && !config?.public) {
      throw new Error(`route ${methods.join(',')} ${route.url} must declare config.roles and config.scope (or public: true)`);
    }
    // Every part is validated once, here, with every problem named together: a route does not parse them again.
    if (route.attachValidation) {
      throw new Error(`route ${methods.join(',')} ${route.url}: no attachValidation; put its checks in its schemas (withFieldsCheck, config.acrossParts)`);
    }
    // A misspelt filter must not be ignored (?externalID= answering every report): a route without a
    // querystring schema takes no parameter, and one with a schema takes only those it names.
    if (!config?.anyQuery) {
      const query = (route.schema as { querystring?: unknown } | undefined)?.querystring;
      if (query === undefined) route.schema = { ...route.schema, querystring: NO_QUERY };
      else if (!(query instanceof z.ZodType && refusesUnknownKeys(query))) {
        throw new Error(`route ${methods.join(',')} ${route.url}: its querystring must refuse unknown parameters (z.strictObject), or the route says config.anyQuery`);
      }
    }
    const auth = config?.public ? (declared ? 'route' : 'public') : 'bearer';
    for (const method of methods) app.accessTable.push({ method, url: route.url, auth, roles: declared?.roles ?? [], scope: declared?.scope ?? 'none' });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `gridcase ${options.service}`, version: options.version ?? '1.0.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
      ...(options.webhooks ? { webhooks: options.webhooks } : {}),
    },
    // Each operation's schemas, and every problem+json answer it can give (openapi.ts).
    transform: openapiTransform(bodyLimit),
    transformObject: openapiTransformObject,
  });

  app.addHook('onResponse', async (req, reply) => {
    observeRequest(req.method, req.routeOptions.url, reply.statusCode, reply.elapsedTime);
    // A route that needs the database answered: an outage the error handler logged is over.
    if (reply.statusCode < 300 && !req.routeOptions.config?.public) dependencyOutage.answered();
    const path = req.url.split('?')[0];
    req.log.info({ method: req.method, path, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime), ...refusalContext(req, reply) }, 'request completed');
  });

  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (req, reply) => {
    // Every answer: no type sniffing, no referrer leaving the page. An answer behind a token is the
    // caller's own (cases, reports, personal data): no shared or browser cache keeps it. A route may
    // set its own cache-control (the page, its assets, the stream). A public route that names roles takes
    // its token itself (Open311's api_key, the desk's stream): behind a token as well (audit26 #1).
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    if (!req.routeOptions.config?.public || req.routeOptions.config.roles) reply.header('cache-control', 'no-store');
    if (closing) {
      const problem = unavailable('this instance is shutting down; retry the request: another instance, or this one once restarted, answers it');
      problem.headers.connection = 'close';
      throw problem;
    }
    const incoming = req.headers.traceparent;
    req.traceparent = typeof incoming === 'string' && TRACEPARENT.test(incoming) ? incoming : undefined;
    if (req.traceparent) reply.header('traceparent', req.traceparent);
    const roles = req.routeOptions.config?.roles;
    if (req.routeOptions.config?.public || !req.routeOptions.url) return;
    const header = req.headers.authorization;
    const token = bearerToken(header);
    const principal = authenticate(token, options.signer, options.revocations);
    if (options.checkPrincipal) await options.checkPrincipal(principal);
    req.principal = principal;
    if (roles && !hasRole(principal, roles)) {
      throw new HttpProblem(403, 'Forbidden', `this needs one of the roles: ${roles.join(', ')}`);
    }
    if (req.routeOptions.config?.scope === 'install' && options.station && principal.stations && !principal.stations.includes(options.station)) {
      throw new HttpProblem(403, 'Forbidden', OTHER_STATION_REFUSAL);
    }
  });

  // After every preValidation hook (a route's may refresh what its schema looks up, as intake's catalogue
  // does, or authenticate, as Open311's does) and before the route's own preHandlers, which may read the
  // parsed parts.
  app.addHook('preHandler', async (req) => {
    // Every id gridcase issues is a lower-case UUID (newId); RFC 9562 reads one case-insensitively, and a
    // sender's system may print it upper-case (SQL Server's uniqueidentifier does): the same item, not a 404.
    const params = req.params as Record<string, unknown> | undefined;
    for (const [name, value] of Object.entries(params ?? {})) {
      if (typeof value === 'string' && value !== value.toLowerCase() && isUuid(value)) params![name] = value.toLowerCase();
    }
    // Postgres cannot store a NUL or an unpaired surrogate: refuse them here, naming the field, rather
    // than let an insert fail with a 500.
    const unstorable = findUnstorableText({ query: req.query, params: req.params, body: req.body });
    // Read before validation replaces the query with what its schema made of it.
    const undecodable = (undecodableParams.get(req.query as object) ?? []).map((name) => ({ path: `querystring.${name}`, message: NOT_PERCENT_ENCODED_UTF8 }));
    const undecodablePaths = new Set(undecodable.map((e) => e.path));
    // Parameters that did not decode, then keys the body parser took out (`__proto__`), then what the
    // schemas find in the rest: one left out for its encoding is named for that, not as missing.
    const issues = [...undecodable, ...(forbiddenBodyKeys.get(req) ?? []), ...(await validateRequest(req)).filter((issue) => !undecodablePaths.has(issue.path))];
    if (unstorable.length) {
      // Named beside every other problem of the request; the schema's own unstorable-text issues are
      // these again, so each field is named once.
      const named = new Set(unstorable.map((e) => e.path));
      const others = issues.filter((issue) => !named.has(issue.path));
      throw new HttpProblem(400, 'Bad Request', `unstorable text in: ${unstorable.map((e) => e.path).join(', ')}`, { errors: [...unstorable, ...others] });
    }
    if (issues.length) throw invalidRequest(issues);
  });

  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof HttpProblem) {
      reply.headers(err.headers);
      if (err.errors) refusedFields.set(req, err.errors.map((e) => e.path));
      const { detail, errors } = err.errors ? cappedErrors(err.message, err.errors) : { detail: err.message, errors: undefined };
      return sendProblem(reply, {
        type: problemType(err.status),
        title: err.title,
        status: err.status,
        detail,
        ...(errors ? { errors } : {}),
      });
    }
    if (clientAborted(req, err)) {
      // Nobody is left to read the answer; logged as the client's doing, not as an outage.
      // Named by its route pattern (the URL may carry an id or a query a sender made of personal data).
      const where = { code: (err as { code?: unknown }).code, method: req.method, route: req.routeOptions.url };
      if (req.raw.complete) req.log.info(where, 'request abandoned: the client closed the connection before the answer');
      else req.log.info(where, 'request aborted by the client while sending its body');
      return sendProblem(reply, { type: problemType(400), title: 'Bad Request', status: 400, detail: 'the request was aborted before its body arrived' });
    }
    const why = unavailability(err);
    if (why) {
      // Load is counted, not logged: an overload would otherwise add a log line per request it turns away.
      if (why === 'outage') dependencyOutage.failed({ err, method: req.method, route: req.routeOptions.url });
      else shedTotal.inc({ reason: 'poolTimeout' });
      const problem = unavailableProblem(why);
      reply.headers(problem.headers);
      return sendProblem(reply, { type: problemType(503), title: problem.title, status: 503, detail: problem.message });
    }
    const e = err as { statusCode?: number; message?: string; code?: string; headers?: Record<string, string> };
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    if (e.headers) reply.headers(e.headers);
    // A content type the route's scope has no parser for, named with those it has; Open311's scope adds forms to JSON.
    const unsupported = () =>
      unsupportedMediaTypeDetail(
        req.headers['content-type'],
        BODY_TYPES.filter((t) => reply.server.hasContentTypeParser(t)),
      );
    return sendProblem(reply, {
      type: problemType(status),
      title: STATUS_CODES[status] ?? 'Error',
      status,
      // Client errors say what fastify found; server errors never leak internals.
      detail:
        status >= 500
          ? 'an internal error occurred; it has been logged'
          : e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? unsupported()
            : e.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
              ? // The limit, so that a sender knows how far to cut its body (audit19 #10).
                `${overBodyLimit(req.routeOptions.bodyLimit ?? bodyLimit)}, the most this route takes`
              : e.message,
    });
  });

  // A path that exists under other methods answers 405 naming them (fastify's own router says which).
  const methods = () => [...new Set(['HEAD', ...app.accessTable.map((route) => route.method)])];
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? '/';
    const allowed = methods().filter((method) => app.findRoute({ method: method as HTTPMethods, url }));
    if (allowed.length) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(reply, { type: problemType(405), title: 'Method Not Allowed', status: 405, detail: `this path takes only ${allowed.join(', ')}` });
    }
    return sendProblem(reply, { type: problemType(404), title: 'Not Found', status: 404, detail: 'no route has this method and path' });
  });

  app.get('/healthz', { config: { public: true, anyQuery: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));

  const readiness: Record<string, ReadinessCheck> = { ...options.readiness };
  const revocations = options.revocations;
  if (revocations && !readiness.revocations) {
    readiness.revocations = () => {
      if (revocations.failure) throw new Error(revocations.failure);
    };
  }
  const readinessTimeoutMs = options.readinessTimeoutMs ?? 2000;

  app.get('/readyz', { config: { public: true, anyQuery: true }, schema: { hide: true } }, async (req, reply) => {
    const failing: Record<string, string> = {};
    // `?for=http`: only what answering requests needs, for a load balancer's readiness probe. A broker
    // away delays the pipeline but every route still answers (intake keeps reports in its outbox), so it
    // must not take every instance out of the Service at once (audit 24 #5).
    const forHttp = (req.query as { for?: unknown }).for === 'http';
    const parts = Object.entries(readiness).filter(([part]) => !forHttp || HTTP_READINESS_PARTS.has(part));
    await Promise.all(
      parts.map(async ([part, check]) => {
        try {
          await bounded(check, readinessTimeoutMs);
        } catch (err) {
          // /readyz needs no token: a dependency's error is named, never quoted (a database's message may hold values).
          failing[part] = describeError(err);
        }
      }),
    );
    if (Object.keys(failing).length === 0) return { status: 'ready' };
    return sendProblem(reply, notReadyProblem(failing));
  });

  app.get('/metrics', { config: { public: true, anyQuery: true }, schema: { hide: true } }, async (_req, reply) => {
    reply.type(register.contentType);
    return register.metrics();
  });

  app.get('/docs', { config: { roles: ANY_ROLE, scope: 'none', anyQuery: true }, schema: { hide: true } }, async () => app.swagger());

  // Who may call what, as registered: for operators auditing access, and for the authorization matrix test.
  app.get(
    '/v1/access',
    {
      config: { roles: ['admin'], scope: 'none' },
      schema: { summary: 'Every route of this service with the roles that may call it and what its scope means', response: { 200: AccessView } },
    },
    async () => ({ service: options.service, routes: app.accessTable }),
  );

  return app;
}
