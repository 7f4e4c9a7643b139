import { z } from 'zod';

/**
 * True when Postgres can store `s` in a text or jsonb column: no U+0000 (text refuses it, jsonb
 * refuses the \u0000 escape) and no unpaired UTF-16 surrogate (jsonb refuses the escape; text would
 * silently get U+FFFD instead of what was sent). The database is UTF-8, so every other code point fits.
 */
export function isStorableText(s: string): boolean {
  return !s.includes('\u0000') && s.isWellFormed();
}

export const UNSTORABLE_TEXT = 'contains a NUL character or an unpaired surrogate';

/** A string Postgres can store. Chain `.min()`, `.max()`, `.regex()` as on `z.string()`. */
export const text = () => z.string().refine(isStorableText, { message: UNSTORABLE_TEXT, abort: true });

// What shows nothing: white space, invisible format characters (\p{Cf}: zero-width space and joiners
// U+200B–U+200D, word joiner U+2060, BOM U+FEFF, bidi marks, soft hyphen…), what Unicode says to render
// as nothing (\p{Default_Ignorable_Code_Point}: the Hangul fillers U+115F, U+1160, U+3164, U+FFA0,
// variation selectors…), the blank Braille pattern U+2800 (a symbol of no dots, printed as a space) and
// the object replacement character U+FFFC (a placeholder for something not there): all are used to fake a
// filled-in field.
const BLANK = /[\s\p{Cf}\p{Default_Ignorable_Code_Point}\u2800\uFFFC]/gu;
// What says something once those are gone: a letter, a digit or a symbol (an emoji, a currency sign). Not
// punctuation alone (. ？ …), combining marks with nothing to sit on, private-use or unassigned code points.
const SAYING = /[\p{L}\p{N}\p{S}]/u;

/** True when `s` shows something: text of white space, punctuation and invisible characters only says nothing (audit 10). */
export const showsSomething = (s: string): boolean => SAYING.test(s.replace(BLANK, ''));

/** True when `s` names something a place could be: a letter or a digit, not symbols alone (~~, ★) nor what showsSomething drops. */
export const namesSomething = (s: string): boolean => /[\p{L}\p{N}]/u.test(s.replace(BLANK, ''));

/** True when `s` is made of white space and invisible characters only ('' too): an identifier of these identifies nothing. */
export const isBlank = (s: string): boolean => s.replace(BLANK, '') === '';

/** Free text of white space, punctuation or invisible characters only says nothing ('' is min(1)'s to name). */
export const saysSomething = (s: string): boolean => s === '' || showsSomething(s);

/**
 * A name people tell one thing from another by (a client, a station, a grid, an officer): 1–`max`
 * characters that say something; one of white space or invisible characters only is refused as `""` is
 * (audit26 #4). Text, so a name in any script or with digits and punctuation is taken.
 */
export const nameText = (max: number) =>
  text()
    .min(1)
    .max(max)
    .refine(saysSomething, { message: 'says nothing (only white space, punctuation or invisible characters): a name must tell one thing from another' });

/**
 * A required free text (a note, a reason): storable, at least one character and up to `max`, and not
 * white space, punctuation or invisible characters only, which would count as written while saying nothing.
 */
export const writtenText = (max: number, what = 'this text') =>
  text().min(1).max(max).refine(saysSomething, { message: `says nothing (only white space, punctuation or invisible characters): ${what} must say something` });

/** A URL that is also storable text (`z.url()` accepts a NUL in the path). */
export const storableUrl = () => z.url().refine(isStorableText, { message: UNSTORABLE_TEXT, abort: true });

/** True when `url` carries userinfo credentials (https://user:pw@host/): a secret no copy of it should hold. */
export function carriesCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false; // not a URL: the schema's own check names that
  }
}

/**
 * The longest link taken (Open311's media_url has the same cap): a signed storage URL is 1–2 KB, and
 * ten unbounded ones made a report whose report.received the broker refused, holding intake's outbox
 * behind it for good (audit18 #6).
 */
export const MAX_URL_LENGTH = 4000;

/**
 * A link someone may open in a browser: an absolute `http:` or `https:` URL, storable text, without
 * credentials. Never `javascript:`, `data:` or `file:`, which a client rendering the link would run or
 * read locally, and never `user:pw@`, which every copy of the link (topics, webhooks, the desk) would show.
 */
export const webUrl = () =>
  z
    .url({ protocol: z.regexes.httpProtocol, message: 'must be an absolute http or https URL' })
    .max(MAX_URL_LENGTH, { message: `must be at most ${MAX_URL_LENGTH} characters` })
    .refine(isStorableText, { message: UNSTORABLE_TEXT, abort: true })
    .refine((url) => !carriesCredentials(url), { message: 'must not carry credentials' });

const IDENTIFIER = /^[A-Za-z_$][\w$]{0,63}$/;

/** A run of digits as long as a phone number's shortest form (a landline without its area code). */
const NUMBER_RUN = /\d{7}/;

/**
 * True for a key that may be named in an error: a short identifier, not free text a sender put in a key,
 * and with no run of digits a phone or ID number could be (`tel13812345678`: counted, not named).
 */
export const looksLikeFieldName = (key: string): boolean => IDENTIFIER.test(key) && !NUMBER_RUN.test(key);

// Error messages go into problem details, logs and DLQ headers, so they never echo what was sent.
// zod's own messages name types and expected values only, except unrecognized keys, which it lists:
// list them only when they look like field names.
z.config({
  customError: (issue) => {
    if (issue.code !== 'unrecognized_keys') return undefined;
    const keys = issue.keys;
    const s = keys.length > 1 ? 's' : '';
    return keys.every(looksLikeFieldName) ? `Unrecognized key${s}: ${keys.join(', ')}` : `Unrecognized key${s}`;
  },
});
