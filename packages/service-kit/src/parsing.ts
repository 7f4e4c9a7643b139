import { STATUS_CODES } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { type FieldIssue, looksLikeFieldName } from '@gridcase/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpProblem, invalidRequest, problemType } from './problem.ts';

/**
 * What a request meets before any route: HTTP that Node cannot parse, and how bodies are read.
 * Every answer here is problem+json too, and none quotes what was sent.
 */

const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'the request did not arrive in time' },
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'the request line and headers are too large' },
  HPE_INVALID_URL: { status: 400, detail: 'the URL has a character that must be percent-encoded (any byte outside printable ASCII)' },
};
const NOT_HTTP = { status: 400, detail: 'the request is not valid HTTP/1.1' };

/**
 * fastify's clientErrorHandler: answers a request Node's HTTP parser refused (raw UTF-8 in the URL,
 * headers too large, too slow) with problem+json rather than fastify's plain JSON, then closes the
 * connection, as the parser cannot go on reading it.
 */
export function answerClientError(this: FastifyInstance, err: Error & { code?: string }, socket: Duplex): void {
  // A reset connection is gone; there is no one to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, detail } = CLIENT_ERRORS[err.code ?? ''] ?? NOT_HTTP;
  // The code only: the parser's error carries the raw bytes it read (tokens, personal data).
  this.log.debug({ code: err.code }, 'unparseable request');
  if (socket.writable) {
    const body = JSON.stringify({ type: problemType(status), title: STATUS_CODES[status], status, detail });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** The body type routes other than Open311's read: fastify's other default (text/plain) answers 415 instead. */
export const ACCEPTED_BODY = 'application/json';

/**
 * The other JSON types read as ACCEPTED_BODY is: `application/<name>+json` (RFC 6839's structured syntax
 * suffix: `application/merge-patch+json`, `application/problem+json`), with any parameters. Matched
 * against fastify's normalised Content-Type (lower-cased, `; key="value"` parameters).
 */
export const JSON_SUFFIX_BODY = /^application\/[a-z0-9][a-z0-9!#$&^_.-]*\+json(?:;|$)/;

/** The top-level media types of IANA's registry: a 415 names a Content-Type back only when it is of one of them. */
const TOP_LEVEL_TYPES = new Set(['application', 'audio', 'example', 'font', 'haptics', 'image', 'message', 'model', 'multipart', 'text', 'video']);
const SUBTYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;

/**
 * A Content-Type's media type, lower-cased and without its parameters (`text/plain` of
 * `Text/Plain; charset=x`), when it is a registered top-level type with a plain subtype; undefined
 * for anything else, which may be text a sender put there and is never quoted back.
 */
export function nameableMediaType(contentType: string | undefined): string | undefined {
  const [type, subtype, ...rest] = ((contentType ?? '').split(';')[0] ?? '').trim().toLowerCase().split('/');
  if (rest.length || type === undefined || subtype === undefined) return undefined;
  return TOP_LEVEL_TYPES.has(type) && SUBTYPE.test(subtype) ? `${type}/${subtype}` : undefined;
}

/**
 * The detail of the 415 for a body of a type no parser of the route reads: the type received (when it
 * can be named, nameableMediaType) or its absence, and the types `accepted`.
 */
export function unsupportedMediaTypeDetail(contentType: string | undefined, accepted: readonly string[]): string {
  const send = `send the body as ${accepted.join(' or ')} (Content-Type)`;
  if (contentType === undefined || contentType.trim() === '') return `the body has no Content-Type; ${send}`;
  const named = nameableMediaType(contentType);
  return named ? `the body's Content-Type is ${named}; ${send}` : `the body's Content-Type is not a media type read here; ${send}`;
}

const FORBIDDEN_KEY = '"__proto__" is not allowed as a key';
const FORBIDDEN_PROTOTYPE = '"prototype" is not allowed as a key inside "constructor"';

/**
 * The keys through which a merge of this value could reach an object's prototype (`__proto__`, and
 * `constructor.prototype`, as fastify's own parser refuses them), by path as validation names fields,
 * each taken out of the value as it is found (the first 20), so the rest can be validated as it is.
 */
export function takeForbiddenKeys(value: unknown): FieldIssue[] {
  const found: FieldIssue[] = [];
  // A stack, not recursion: a body may nest thousands deep.
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length && found.length < 20) {
    const { value: node, path } = stack.pop() as { value: unknown; path: string };
    if (typeof node !== 'object' || node === null) continue;
    // A key that is no field name (free text a sender put in a key) is shown as (key), never quoted back.
    const at = (key: string) => {
      const segment = looksLikeFieldName(key) || /^\d+$/.test(key) ? key : '(key)';
      return path ? `${path}.${segment}` : segment;
    };
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(node)) {
      const child = record[key];
      if (key === '__proto__') {
        found.push({ path: at(key), message: FORBIDDEN_KEY });
        // JSON.parse made it an own data property: delete removes that, never the prototype.
        delete record[key];
      } else if (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype')) {
        found.push({ path: `${at(key)}.prototype`, message: FORBIDDEN_PROTOTYPE });
        delete (child as Record<string, unknown>).prototype;
      } else stack.push({ value: child, path: at(key) });
    }
  }
  return found;
}

/** The one charset bodies are read in (RFC 8259 §8.1: JSON exchanged between systems is UTF-8). */
export const BODY_CHARSET = 'utf-8';

// Fatal: a byte sequence that is not UTF-8 is refused, never read as U+FFFD. One leading BOM
// (EF BB BF, which .NET and PowerShell write) is dropped, as RFC 8259 §8.1 lets a JSON parser do.
const UTF8 = new TextDecoder(BODY_CHARSET, { fatal: true });

/** Bytes as UTF-8 text, without a leading BOM; undefined when they are not valid UTF-8 (a Kafka record's value, a body). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The `charset` parameter of a Content-Type, lower-cased and unquoted; undefined when there is none. */
export function charsetOf(contentType: string | undefined): string | undefined {
  for (const param of (contentType ?? '').split(';').slice(1)) {
    const eq = param.indexOf('=');
    if (eq >= 0 && param.slice(0, eq).trim().toLowerCase() === 'charset') return param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return undefined;
}

/**
 * A body's bytes as text in the one charset bodies are read in: 415 for a Content-Type naming any
 * other charset (`utf8` is taken as the common misspelling it is), 400 for bytes that are not
 * valid UTF-8. Neither quotes what was sent.
 */
export function bodyText(contentType: string | undefined, bytes: Uint8Array): string {
  const charset = charsetOf(contentType);
  if (charset !== undefined && charset !== BODY_CHARSET && charset !== 'utf8') {
    throw new HttpProblem(415, 'Unsupported Media Type', `the body must be ${BODY_CHARSET}: send Content-Type with charset=${BODY_CHARSET} or without a charset`);
  }
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new HttpProblem(400, 'Bad Request', `the body is not valid UTF-8; send it encoded as ${BODY_CHARSET}`);
  return text;
}

/** Why a query parameter or form field is refused (README: a URL that is not validly percent-encoded → 400). */
export const NOT_PERCENT_ENCODED_UTF8 = 'not validly percent-encoded UTF-8: each % must start a %XX escape, and the bytes they give must be UTF-8';

/** A query string's or form's parameters, and the names of those whose percent-escapes did not decode. */
export interface DecodedParams {
  params: Record<string, string | string[]>;
  undecodable: string[];
}

/** One key or value: `+` is a space; undefined when its escapes are malformed (`%ZZ`) or give bytes that are not UTF-8 (`%FF`). */
function decodeComponent(part: string): string | undefined {
  const plain = part.replaceAll('+', ' ');
  if (!plain.includes('%')) return plain;
  try {
    return decodeURIComponent(plain);
  } catch {
    return undefined;
  }
}

/**
 * `a=1&b=x+y&a=2` as fastify's default parser (fast-querystring) reads it: a key given twice is a list,
 * one without `=` has an empty value. But strictly: a parameter whose key or value does not decode
 * (`%ZZ`, a stray `%FF`, a GBK form's `%BE%AE`) is left out and named in `undecodable`, where
 * fast-querystring kept its escapes as the text, so a report was stored as `%BE%AE` (audit21 #2, #5).
 * A name that is no field name (or does not decode itself) is shown as (key), never quoted back.
 */
export function decodeParams(input: string): DecodedParams {
  const params: Record<string, string | string[]> = Object.create(null);
  const undecodable = new Set<string>();
  for (const part of input.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(part.slice(eq + 1));
    if (key === undefined || value === undefined) {
      undecodable.add(key !== undefined && looksLikeFieldName(key) ? key : '(key)');
      continue;
    }
    const current = params[key];
    if (current === undefined) params[key] = value;
    else if (Array.isArray(current)) current.push(value);
    else params[key] = [current, value];
  }
  return { params, undecodable: [...undecodable] };
}

/** The form type Open311's POST reads beside JSON. */
export const FORM_BODY = 'application/x-www-form-urlencoded';

/**
 * A form body (`application/x-www-form-urlencoded`), read as strictly as JSON: its bytes and charset
 * as bodyText checks them (415 for another charset, 400 for bytes that are not UTF-8), then 400 naming
 * each field whose percent-escapes do not decode to UTF-8.
 */
export function parseFormBody(contentType: string | undefined, bytes: Uint8Array): Record<string, string | string[]> {
  const { params, undecodable } = decodeParams(bodyText(contentType, bytes));
  if (undecodable.length) throw invalidRequest(undecodable.map((path) => ({ path, message: NOT_PERCENT_ENCODED_UTF8 })));
  return params;
}

/**
 * Whether a JSON body of no bytes is no body at all: on a route that reads none (a DELETE, a POST with
 * nothing to say) or whose body is optional (its schema takes null, which fastify makes an absent body).
 * Many HTTP clients send `Content-Type: application/json` on every request, a DELETE's included; where
 * the route needs a body, an empty one is still refused (parseJsonBody).
 */
export async function takesNoBody(bodySchema: unknown): Promise<boolean> {
  if (bodySchema === undefined) return true;
  return bodySchema instanceof z.ZodType && (await bodySchema.safeParseAsync(null)).success;
}

/**
 * Whether a request's body stream ends without a byte. It stops reading at the first byte, so a body
 * about to be refused is never buffered.
 */
export function endsWithoutBytes(payload: Readable): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const settle = (settled: () => void) => {
      payload.off('data', onData).off('end', onEnd).off('error', onError);
      settled();
    };
    const onData = (chunk: Buffer | string) => {
      if (chunk.length === 0) return;
      payload.pause();
      settle(() => resolve(false));
    };
    const onEnd = () => settle(() => resolve(true));
    const onError = (err: Error) => settle(() => reject(err));
    payload.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/** A JSON body as parsed, and the keys that could pollute a prototype, taken out of it and named. */
export interface ParsedJsonBody {
  value: unknown;
  forbidden: FieldIssue[];
}

/**
 * The JSON body parser (in place of fastify's): a body that is valid JSON but carries a key that could
 * pollute a prototype comes back without it, the key named in `forbidden`, so that the request is
 * refused naming it beside every other bad field (audit9 #19), where fastify's said "not valid JSON".
 * JSON.parse itself makes `__proto__` an ordinary own key, so nothing is polluted while it is looked for.
 */
export function parseJsonBody(text: string): ParsedJsonBody {
  if (text.length === 0) throw new HttpProblem(400, 'Bad Request', 'the body is empty; send a JSON value');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'Bad Request', 'the body is not valid JSON');
  }
  // Such a key is written out, or escaped (\u005f_proto__): most bodies are neither, and skip the walk.
  if (!text.includes('proto') && !text.includes('\\u')) return { value, forbidden: [] };
  return { value, forbidden: takeForbiddenKeys(value) };
}

/**
 * A 415 for a body sent with a Content-Encoding other than identity (gzip, br…): no service decodes
 * one, and read as it is the body would be refused as "not valid UTF-8", which misleads. Undefined for
 * none or identity. Names the encoding when it is a plain token, never other text a sender put there.
 */
export function unsupportedEncoding(contentEncoding: string | string[] | undefined): HttpProblem | undefined {
  if (contentEncoding === undefined) return undefined;
  const codings = [contentEncoding]
    .flat()
    .flatMap((v) => v.split(','))
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (!codings.length) return undefined;
  const named = codings.every((c) => /^[a-z0-9!#$%&'*+.^_`|~-]{1,32}$/.test(c)) ? ` (${codings.join(', ')})` : '';
  return new HttpProblem(415, 'Unsupported Media Type', `the body's Content-Encoding${named} is not supported; send the body unencoded (identity)`);
}
