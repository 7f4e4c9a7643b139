import { z } from 'zod';
import { looksLikeFieldName, nameText, text } from './text.ts';
import { ClientRole, INSTANT_EXPECTED, Instant, queryable } from './common.ts';

export {
  fieldsCheck,
  MAX_COPIED_DEPTH,
  MAX_UNKNOWN_KEYS_NAMED,
  objectSchemaOf,
  refusesUnknownKeys,
  WITHHELD_TOO_DEEP,
  WITHHELD_UNEXPECTED_VALUE,
  WITHHELD_UNKNOWN_FIELD,
  withFieldsCheck,
  withholdUnknownFields,
  withinCopiedDepth,
} from './fields-check.ts';

/** RFC 9457 problem details, as every service answers an error (`application/problem+json`; /docs names it `Problem`). */
export const Problem = z.object({
  type: text().describe('the kind of problem, a URN: urn:gridcase:problem:validation, …:not-found, …:conflict'),
  title: text().describe('the HTTP status in words'),
  status: z.number().int().describe('the HTTP status'),
  detail: text().optional().describe('what is wrong, for a person; never quotes the input'),
  instance: text().optional(),
  errors: z
    .array(z.object({ path: text(), message: text() }))
    .optional()
    .describe('a 400 for bad input: every bad field, by path (`location.lat`, `querystring.limit`, `params.caseId`), with what is wrong with it'),
});
export type Problem = z.infer<typeof Problem>;

/** One entry of a validation problem's `errors`: the field (`holidays.0`, `params.year`) and what is wrong with it. */
export type FieldIssue = { path: string; message: string };

const UNKNOWN_FIELD = 'unknown field';

/** What an email address must be, in the sender's terms rather than zod's "Invalid email address" (audit18 #1). */
export const EMAIL_EXPECTED = 'must be an email address, e.g. li.si@example.cn';

/** What a URL must be, rather than zod's "Invalid URL" (audit26 #2). */
export const URL_EXPECTED = 'must be an absolute URL, e.g. https://example.cn/hooks/gridcase (a port, if given, 1–65535)';

const mustBeOneOf = (values: readonly unknown[]) => (values.length === 1 ? `must be ${String(values[0])}` : `must be one of: ${values.map(String).join(', ')}`);

/**
 * zod's own wording of the commonest issues, said as a person would ("required" rather than "Invalid
 * input: expected string, received undefined"). Only zod's default messages are reworded (they start
 * with its "Invalid input:", "Invalid option:", "Too small:" or "Too big:", or are "Invalid ISO datetime"
 * or "Invalid email address"); a schema's own message is kept as written.
 */
export function readableMessage(issue: z.core.$ZodIssue): string {
  const m = issue.message;
  if (issue.code === 'invalid_type' && m.startsWith('Invalid input:')) {
    if (m.endsWith('received undefined')) return 'required';
    if (issue.expected === 'int') return 'must be an integer';
    if (issue.expected === 'number') return 'must be a number';
    if (issue.expected === 'string') return 'must be a string';
    if (issue.expected === 'boolean') return 'must be true or false';
    if (issue.expected === 'object') return 'must be an object';
    if (issue.expected === 'array') return 'must be an array';
  }
  // An enum's or a literal's values, bare: "must be one of: a, b, c" rather than zod's `expected one of "a"|"b"|"c"`.
  if (issue.code === 'invalid_value' && (m.startsWith('Invalid option:') || m.startsWith('Invalid input:'))) return mustBeOneOf(issue.values);
  if (issue.code === 'invalid_union') {
    // A discriminated union's tag (a grid's geometry.type), wrong or missing: its values (audit26 #2).
    const tag = issue as { note?: string; options?: unknown };
    if (tag.note === 'No matching discriminator' && Array.isArray(tag.options)) return mustBeOneOf(tag.options);
    // A union of enums and literals (a category's kind): all their values, not zod's "Invalid input".
    const values = issue.errors.map((option) => (option.length === 1 && option[0]?.code === 'invalid_value' && !option[0].path.length ? option[0].values : undefined));
    if (m === 'Invalid input' && values.length && values.every((v) => v !== undefined)) return mustBeOneOf(values.flat());
  }
  if (issue.code === 'invalid_format' && issue.format === 'url' && m === 'Invalid URL') return URL_EXPECTED;
  // Instants other than Instant (envelopes, commands) that still have zod's wording.
  if (issue.code === 'invalid_format' && issue.format === 'datetime' && m === 'Invalid ISO datetime') return INSTANT_EXPECTED;
  if (issue.code === 'invalid_format' && issue.format === 'email' && m === 'Invalid email address') return EMAIL_EXPECTED;
  if (issue.code === 'too_small' && m.startsWith('Too small:')) {
    const n = Number(issue.minimum);
    if (issue.origin === 'string') return n === 1 ? 'must not be empty' : `must be at least ${n} characters`;
    if (issue.origin === 'array') return `must have at least ${n} item${n === 1 ? '' : 's'}`;
    if (issue.origin === 'number') return issue.inclusive ? `must be at least ${n}` : `must be greater than ${n}`;
  }
  if (issue.code === 'too_big' && m.startsWith('Too big:')) {
    const n = Number(issue.maximum);
    if (issue.origin === 'string') return `must be at most ${n} characters`;
    if (issue.origin === 'array') return `must have at most ${n} item${n === 1 ? '' : 's'}`;
    if (issue.origin === 'number') return issue.inclusive ? `must be at most ${n}` : `must be less than ${n}`;
  }
  return m;
}

/**
 * zod's issues as a problem's `errors` name them: dotted paths, prefixed by `where` (e.g. `params`) when
 * given (`root` names the whole value), with readable messages (readableMessage). An unknown key is named at its own path (`extraTop`,
 * `reporter.nickname`), one entry each, when it looks like a field name; other unknown keys are not
 * quoted, only counted at the object that has them.
 */
export const fieldIssues = (error: z.ZodError, where?: string, root = '(body)'): FieldIssue[] =>
  withoutRepeats(withoutLengthsOfWrongType(error.issues).flatMap((i) => {
    const at = (field: string) => (where ? (field ? `${where}.${field}` : where) : field || root);
    const field = i.path.map(String).join('.');
    if (i.code !== 'unrecognized_keys') return [{ path: at(field), message: readableMessage(i) }];
    const named = i.keys.filter(looksLikeFieldName);
    const unnamed = i.keys.length - named.length;
    return [
      ...named.map((key) => ({ path: at(field ? `${field}.${key}` : key), message: UNKNOWN_FIELD })),
      ...(unnamed ? [{ path: at(field), message: `${unnamed} unknown field${unnamed > 1 ? 's' : ''} (not named: not field names)` }] : []),
    ];
  }));

/**
 * Without the length checks zod runs on a value of the wrong type: it measures anything with a length,
 * so a string sent for a list of at most 10 was also "at most 10 characters" (audit17 #8). The field's
 * type is what is wrong with it.
 */
const withoutLengthsOfWrongType = (issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] => {
  const mistyped = new Set(issues.filter((i) => i.code === 'invalid_type').map((i) => i.path.map(String).join('\u0000')));
  if (!mistyped.size) return [...issues];
  return issues.filter((i) => !((i.code === 'too_big' || i.code === 'too_small') && mistyped.has(i.path.map(String).join('\u0000'))));
};

/** Each problem once: a check of a check (withFieldsCheck twice) counts an object's unnamed unknown keys in each. */
const withoutRepeats = (issues: FieldIssue[]): FieldIssue[] => {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

/** What a list says of a cursor it did not give out (one of another list or service, or made up). */
export const NOT_THIS_LISTS_CURSOR = "not a cursor of this list; use nextCursor of this list's previous page";

/**
 * An optional `cursor` query parameter that `decode` must read (it answers undefined for one this
 * list never gave out): checked in the schema, so a bad cursor is named beside the other bad parameters.
 */
export const cursorParam = (maxLength: number, decode: (cursor: string) => unknown) =>
  z
    .string()
    .min(1)
    .max(maxLength)
    .refine((c) => decode(c) !== undefined, NOT_THIS_LISTS_CURSOR)
    .optional();

export interface PageCursor<P> {
  encode(position: P): string;
  /** The position a cursor stands for, or undefined when this list did not give it out. */
  decode(token: string): P | undefined;
}

/**
 * A list's page cursor, opaque to clients: base64url of `[list, ...position]`. It reads back only the
 * cursors its own list gave out, exactly as written: a cursor of another list or service (a timer's
 * read as a case's, one service's audit position at another's) is refused, not read as a position of
 * this one (audit19 #7).
 */
export function pageCursor<P>(list: string, position: { write: (p: P) => (string | number)[]; read: (parts: unknown[]) => P | undefined }): PageCursor<P> {
  const encode = (p: P) => Buffer.from(JSON.stringify([list, ...position.write(p)])).toString('base64url');
  return {
    encode,
    decode(token) {
      try {
        const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
        if (!Array.isArray(parsed) || parsed[0] !== list) return undefined;
        const p = position.read(parsed.slice(1));
        // Base64 decoding skips what is not base64: only the token as given out reads back.
        return p !== undefined && encode(p) === token ? p : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** The cursor of a list ordered by one unique value (an id, a sequence number): `accepts` says which values it can be. */
export const keyCursor = <K extends string | number>(list: string, accepts: (key: unknown) => key is K): PageCursor<K> =>
  pageCursor(list, { write: (key) => [key], read: (parts) => (parts.length === 1 && accepts(parts[0]) ? parts[0] : undefined) });

/** Where a page ends in a list ordered by an instant, then a unique key. */
export interface InstantCursor {
  at: Date;
  key: string;
}

/** The cursor of a list ordered by an instant, then a unique key. */
export const instantCursor = (list: string): PageCursor<InstantCursor> =>
  pageCursor(list, {
    write: (c) => [c.at.toISOString(), c.key],
    read(parts) {
      const [iso, key] = parts;
      if (parts.length !== 2 || typeof iso !== 'string' || typeof key !== 'string' || key.length === 0) return undefined;
      // An instant a query holds, as this service writes one: '+275760-09-13T00:00:00.000Z' and '0000-…' read back the same but Postgres refuses them.
      const at = new Date(iso);
      return Number.isNaN(at.getTime()) || at.toISOString() !== iso || queryable(at.getTime()) !== at.getTime() ? undefined : { at, key };
    },
  });

/** A client's own rate limit: a whole number of requests a minute, as RATE_LIMIT_PER_MINUTE is. */
const ClientRatePerMinute = () => z.number().int().min(1).max(1_000_000);

/** A list of codes each given once: a repeat is named, as a role listed twice is (audit26 #4). */
const codesOnce = <List extends z.ZodArray<z.ZodType<string>>>(list: List) =>
  list.superRefine((codes: string[], ctx) => {
    const twice = codes.filter((code, i) => codes.indexOf(code) !== i);
    if (twice.length) ctx.addIssue({ code: 'custom', message: `lists ${[...new Set(twice)].join(', ')} more than once` });
  });

export const CreateClientBody = z.strictObject({
  // Shown in GET /v1/clients and the audit, where a client is told from the others by it.
  name: nameText(200),
  roles: codesOnce(z.array(ClientRole).min(1).max(ClientRole.options.length)),
  // Stations travel inside every token the client holds, so a client gets a short list of codes.
  stations: codesOnce(z.array(text().min(1).max(32)).max(50)).optional(),
  /** The officer (or grid worker) this token acts as; "an owner" of a case means a token naming one of its assignees. */
  officerId: text().min(1).max(128).optional(),
  /** Community grid codes a `community` token sees; without it, the grid of the grid worker named by `officerId`. */
  grids: codesOnce(z.array(text().min(1).max(32)).min(1).max(50)).optional(),
  /** When the token stops working (401 everywhere after it); must be in the future. Absent: until revoked. */
  expiresAt: Instant.optional(),
  /** Requests a minute this client may make (429 past it); absent: the install's RATE_LIMIT_PER_MINUTE. */
  ratePerMinute: ClientRatePerMinute().optional(),
});
/** PATCH /v1/clients/{clientId}: what may change on a client without a new token. `null` puts the install's default back. */
export const UpdateClientBody = z.strictObject({
  ratePerMinute: ClientRatePerMinute().nullable(),
});
export const ClientCreated = z.object({
  clientId: text(),
  token: text(),
  expiresAt: Instant.optional(),
  /** What the token names that this install does not know (a station, officer or grid), or stations it lacks (a desk, officer or supervisor token without any): issued all the same, but it will see nothing of it. */
  warnings: z.array(z.object({ path: text(), message: text() })).optional(),
});

/** What a token proves about its holder once verified. */
export const Principal = z.object({
  clientId: text(),
  name: text(),
  roles: z.array(ClientRole),
  stations: z.array(text()).optional(),
  officerId: text().optional(),
  grids: z.array(text()).optional(),
  /** The token is refused from this instant on (absent: until revoked). */
  expiresAt: Instant.optional(),
});
export type Principal = z.infer<typeof Principal>;

/**
 * ISO 8601 duration like PT30M, P1D, P1W, PT1H30M, in milliseconds. Weeks, days, hours, minutes and
 * seconds (a day is 24 h); not years or months, whose length depends on the calendar.
 */
export function parseDuration(text: string): number | undefined {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, w, d, h, min, s] = m;
  return (((Number(w ?? 0) * 7 + Number(d ?? 0)) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
}

export const Duration = text().refine(
  (v) => parseDuration(v) !== undefined,
  'must be an ISO 8601 duration in weeks, days, hours, minutes or seconds, like PT30M, P1D or P1W',
);
