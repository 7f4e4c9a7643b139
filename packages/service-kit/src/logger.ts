import pino, { type Logger } from 'pino';
import { errorChain } from './problem.ts';

/** Personal data never reaches a log line, whatever object carries it. */
const PERSONAL = ['name', 'phone', 'idNumber', 'email'];
export const REDACT_PATHS = [
  ...PERSONAL.flatMap((f) => [`reporter.${f}`, `*.reporter.${f}`, `*.*.reporter.${f}`, `*.*.*.reporter.${f}`]),
  'req.headers.authorization',
  'headers.authorization',
  'token',
  '*.token',
];

const isErrorLike = (v: unknown): v is Record<string, unknown> & { message: string } =>
  typeof v === 'object' && v !== null && typeof (v as { message?: unknown }).message === 'string';

/** A pg DatabaseError: a five-character SQLSTATE plus server fields (its message and detail may echo values). */
const isPgError = (e: Record<string, unknown>): boolean =>
  typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && ('severity' in e || 'routine' in e);

/** drizzle's DrizzleQueryError: "Failed query: <sql>\nparams: <values>", the pg error as its cause. */
const isQueryError = (e: Record<string, unknown>): boolean =>
  typeof e.query === 'string' && ('params' in e || String(e.message).startsWith('Failed query:'));

/**
 * Drizzle's query-error text ("Failed query: <sql>\nparams: <values>") inside any string, e.g. a
 * message built from `err.message`: cut to the SQL's first words; the bound values go.
 */
export const scrubText = (s: string): string =>
  s.replace(/Failed query: ([\s\S]*?)(?:\nparams: [\s\S]*)?$/, (_m, sql: string) => `Failed query: ${sqlHead(sql)}`);

/** The first words of a statement with its literals blanked: enough to know which query, never a value. */
export function sqlHead(sql: string, words = 6): string {
  const bare = sql
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\$\$[\s\S]*?\$\$/g, '?')
    .replace(/\b\d+(?:\.\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
  const head = bare.split(' ').slice(0, words).join(' ');
  return head.length < bare.length ? `${head} …` : head;
}

const frames = (stack: unknown): string | undefined =>
  typeof stack === 'string'
    ? stack
        .split('\n')
        .filter((l) => /^\s+at /.test(l))
        .join('\n') || undefined
    : undefined;

/** Fields of an unknown error safe to keep: identifiers and numbers, never free text a caller filled in. */
const SAFE_FIELDS = ['code', 'errno', 'syscall', 'address', 'port', 'statusCode', 'status', 'retryCount', 'broker', 'type'];

/**
 * The pino `err` serializer. Database errors become `{type, code, table, constraint, column, query}`
 * (the SQL's first words, no values); pg's message and detail and drizzle's params never appear,
 * because they echo what was inserted (a reporter's phone, name, ID number). Other errors keep
 * their type, message (with any drizzle params cut), stack frames, identifying codes and causes.
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!isErrorLike(err)) return err;
  const type = (err.constructor?.name !== 'Object' && err.constructor?.name) || (err.name as string) || 'Error';
  if (isQueryError(err) || isPgError(err)) {
    const pgErr = [...errorChain(err)].find(isPgError);
    const out: Record<string, unknown> = { type: 'DatabaseError', name: pgErr ? 'DatabaseError' : type };
    if (pgErr) for (const k of ['code', 'schema', 'table', 'constraint', 'column']) if (pgErr[k]) out[k] = pgErr[k];
    if (isQueryError(err)) out.query = sqlHead(err.query as string);
    const stack = frames(err.stack);
    if (stack) out.stack = stack;
    // A query error without a server error underneath failed on the way (connection lost): keep that cause.
    if (!pgErr && err.cause && depth < 5) out.cause = serializeError(err.cause, depth + 1);
    return out;
  }
  const out: Record<string, unknown> = { type, message: scrubText(err.message) };
  if (typeof err.name === 'string' && err.name !== type) out.name = err.name;
  for (const k of SAFE_FIELDS) {
    const v = err[k];
    if (typeof v === 'string' || typeof v === 'number') out[k] = typeof v === 'string' ? scrubText(v) : v;
  }
  const stack = frames(err.stack);
  if (stack) out.stack = stack;
  if (depth < 5) {
    const cause = err.cause ?? err.originalError;
    if (cause !== undefined) out.cause = serializeError(cause, depth + 1);
    if (Array.isArray(err.errors)) out.errors = err.errors.map((e) => serializeError(e, depth + 1));
  }
  return out;
}

/** A log message for an error: the SQLSTATE for database errors, the scrubbed message otherwise. */
export function errorMessage(err: unknown): string {
  if (!isErrorLike(err)) return String(err);
  const s = serializeError(err) as Record<string, unknown>;
  if (s.type === 'DatabaseError') return `database error${s.code ? ` ${s.code}` : ''}${s.query ? ` in ${s.query}` : ''}`;
  return s.message as string;
}

export function createLogger(service: string, level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name: service,
      level,
      base: { service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Fastify's request loggers are children of this one and inherit this serializer.
      serializers: { err: serializeError, error: serializeError, cause: serializeError },
      hooks: {
        // `logger.error(err)` would make the raw message the log line, and a message built from
        // `err.message` can carry drizzle's params: both go through the same scrubbing.
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          if (isErrorLike(first)) {
            const msg = typeof rest[0] === 'string' ? scrubText(rest[0]) : errorMessage(first);
            return method.apply(this, [{ err: first }, msg, ...rest.slice(1)] as Parameters<typeof method>);
          }
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubText(a) : a));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
