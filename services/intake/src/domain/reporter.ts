import { keepEnds, maskEmail, maskNameInText, maskNamesInText, maskNumbersInText, type Principal, type ReportBody, type Reporter } from '@gridcase/contracts';

/**
 * What travels in report.received about the reporter: whether they are anonymous and reachable, never
 * who. `absent` when the report names no reporter at all (no personal data, not asking to stay anonymous):
 * nobody to call back, but nobody who asked to stay anonymous either.
 */
export function reporterFlags(reporter: Reporter | undefined): { anonymous: boolean; hasContact: boolean; absent?: true } {
  const identified = Boolean(reporter?.name || reporter?.phone || reporter?.idNumber || reporter?.email);
  const flags = { anonymous: reporter?.anonymous ?? !identified, hasContact: Boolean(reporter?.phone || reporter?.email) };
  // `{anonymous: false}` alone names nobody either: no one to call back (audit19 #5), as with no reporter.
  return !identified && reporter?.anonymous !== true ? { ...flags, absent: true } : flags;
}

/** A report's free text as written, only the fields in which phone or ID numbers or the reporter's name were masked (maskReportText). */
export interface WrittenText {
  title?: string;
  description?: string;
  /** The location's `address`. */
  address?: string;
  /** The location's `gridCode` and `communityCode`. */
  gridCode?: string;
  communityCode?: string;
  /** Every attachment's `url` as sent, in order, when masking changed any URL. */
  attachments?: string[];
}

export interface PersonalData {
  name: string | null;
  phone: string | null;
  idNumber: string | null;
  email: string | null;
  anonymous: boolean;
  /** The report's text as written, when masking the numbers in it changed it. */
  written?: WrittenText;
}

/**
 * The personal data to store for a report, or undefined when it carried none: its reporter's, and the
 * text as written when phone or ID numbers were masked in it (a report with no `reporter` may name a
 * person in its description: the desk still needs the number to call).
 */
export function personalData(reporter: Reporter | undefined, written?: WrittenText): PersonalData | undefined {
  if (!reporter?.name && !reporter?.phone && !reporter?.idNumber && !reporter?.email && !written) return undefined;
  return {
    name: reporter?.name ?? null,
    phone: reporter?.phone ?? null,
    idNumber: reporter?.idNumber ?? null,
    email: reporter?.email ?? null,
    anonymous: reporter?.anonymous ?? false,
    ...(written ? { written } : {}),
  };
}

/** What a caller who may read a report is shown of its reporter. */
export type ReporterAccess = 'whole' | 'masked' | 'refused';

/**
 * Need to know (audit9 #8): the desk, supervisors and admin see a report's reporter whole, and so do the
 * officers who own its case (its assignees); any other officer of the station sees it masked, as the
 * posting client does, so it still learns that there is someone to call back, but not who. A tip's
 * informant is refused outright to those other officers. `ownedCase` is the report's case (undefined while
 * there is none: no officer owns it yet). An anonymous reporter is masked for everyone, on top of this.
 */
export function reporterAccess(
  principal: Pick<Principal, 'roles' | 'officerId'>,
  ownedCase: { category: string; assignees: readonly { officerId: string }[] } | undefined,
): ReporterAccess {
  // As service-kit's hasRole (admin holds every role), which domain/ may not import (it is I/O's side).
  const has = (role: Principal['roles'][number]) => principal.roles.includes(role) || principal.roles.includes('admin');
  if (has('desk') || has('supervisor')) return 'whole';
  if (!has('officer')) return 'masked';
  if (principal.officerId !== undefined && ownedCase?.assignees.some((a) => a.officerId === principal.officerId)) return 'whole';
  return ownedCase?.category.startsWith('tip.') ? 'refused' : 'masked';
}

/** 张三丰 → 张**, 13812345678 → 138****5678, 620321199001011234 → 6203**********1234. */
export function maskReporter(data: PersonalData): PersonalData {
  return {
    name: data.name === null ? null : keepEnds(data.name, 1, 0),
    phone: data.phone === null ? null : keepEnds(data.phone, 3, 4),
    idNumber: data.idNumber === null ? null : keepEnds(data.idNumber, 4, 4),
    email: data.email === null ? null : maskEmail(data.email),
    anonymous: data.anonymous,
    ...(data.written ? { written: maskWritten(data.written, data.name ?? undefined) } : {}),
  };
}

/**
 * Query keys whose value is a credential, compared case-insensitively: a presigned link's signature or an
 * access token is a bearer secret, whoever reads the topic could use it.
 */
const CREDENTIAL_KEYS = new Set([
  'token',
  'access_token',
  'signature',
  'sig',
  'key',
  'api_key',
  'apikey',
  'password',
  'pwd',
  'secret',
  'auth',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
]);

/** Percent-decoded (undefined when not UTF-8 percent-encoding: no number can be read in it either). */
function decoded(raw: string, plusIsSpace: boolean): string | undefined {
  try {
    return decodeURIComponent(plusIsSpace ? raw.replaceAll('+', ' ') : raw);
  } catch {
    return undefined;
  }
}

/**
 * A part of a URL with the numbers in it masked (apart from letters, so a signature stays whole) and the
 * reporter's `name` (read in the percent-decoded part: a URL carries 周建国 as %E5%91%A8…), re-encoded by
 * `encode` only when masking changed it, else byte for byte.
 */
function maskUrlPart(raw: string, encode: (text: string) => string, name: string | undefined, plusIsSpace = false): string {
  const value = decoded(raw, plusIsSpace);
  if (value === undefined) return raw;
  const out = maskNumbersInText(maskNameInText(value, name), { apartFromLetters: true });
  return out === value ? raw : encode(out);
}

function maskQueryPair(pair: string, name: string | undefined): string {
  const eq = pair.indexOf('=');
  if (eq < 0) return pair;
  const key = pair.slice(0, eq);
  const value = pair.slice(eq + 1);
  if (value !== '' && CREDENTIAL_KEYS.has((decoded(key, true) ?? key).toLowerCase())) return `${key}=***`;
  return `${key}=${maskUrlPart(value, encodeURIComponent, name, true)}`;
}

// scheme:, //authority (userinfo@host:port), path, ?query, #fragment (RFC 3986, appendix B).
const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*:)(\/\/[^/?#]*)?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/su;
// A fragment's own delimiters (=, &, /) stay as they were; only a # in it must be escaped again.
const encodeFragment = (text: string) => encodeURI(text).replaceAll('#', '%23');

/**
 * A URL with what it must not carry to other services masked, still a valid URL that keeps its shape:
 * the value of a credential-like query key (`?token=abc` → `?token=***`, X-Amz-Signature and the like, the
 * key kept), the personal numbers and email addresses in the other query values, in each path segment and
 * in the fragment (`/13811113333/b.jpg?phone=13811112222#13800001111` → `/138****3333/b.jpg?phone=138****2222#138****1111`),
 * and userinfo (`user:pw@`, refused in a new report's attachments, masked in older copies) as `***@`; the
 * reporter's `name` too, where a path segment, query value or fragment writes it (`/周建国_1.jpg` → `/周**_1.jpg`,
 * the masked part percent-encoded again). Only
 * what masking changed is re-encoded; the rest stays byte for byte. A number touching a letter is left as
 * it is (a1b13912345678c is an opaque token, not a phone number).
 */
export function maskUrl(url: string, name?: string): string {
  const parts = URL_PARTS.exec(url);
  if (!parts) return url;
  const [, scheme = '', authority, path = '', query, fragment] = parts;
  const at = authority?.lastIndexOf('@') ?? -1;
  const host = authority === undefined || at < 0 ? (authority ?? '') : `//***@${authority.slice(at + 1)}`;
  const maskedPath = path
    .split('/')
    .map((segment) => maskUrlPart(segment, encodeURIComponent, name))
    .join('/');
  const maskedQuery = query === undefined ? '' : `?${query.split('&').map((pair) => maskQueryPair(pair, name)).join('&')}`;
  const maskedFragment = fragment === undefined ? '' : `#${maskUrlPart(fragment, encodeFragment, name)}`;
  return `${scheme}${host}${maskedPath}${maskedQuery}${maskedFragment}`;
}

/** The text as written, masked as every copy of the report has it (URLs as maskUrl masks them, the reporter's `name` in the text and URLs too). */
function maskWritten({ attachments, ...text }: WrittenText, name: string | undefined): WrittenText {
  return { ...(maskNumbersInJson(text, name) as WrittenText), ...(attachments ? { attachments: attachments.map((url) => maskUrl(url, name)) } : {}) };
}

/** Text as every copy of a report that leaves intake has it: the reporter's `name` and the personal numbers in it masked. */
const maskText = (text: string, name: string | undefined) => maskNumbersInText(maskNameInText(text, name));

const LOOKS_LIKE_URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//u;

/**
 * `maskNumbersInText` on every string of a JSON value (object keys kept as they are), and the reporter's
 * `name` masked in it as maskReportText masks it; a string that looks like a URL is masked as
 * maskUrl masks one instead (credentials and the name too), as report.received's attachments are, so the DLQ
 * copy's link is the same and no number touching letters is cut. `maybeNames` (what may be a name, sent
 * where none belongs) are masked in the text too, not in URLs.
 */
export function maskNumbersInJson(value: unknown, name?: string, maybeNames: readonly string[] = []): unknown {
  if (typeof value === 'string') return LOOKS_LIKE_URL.test(value) ? maskUrl(value, name) : maskText(maskNamesInText(value, maybeNames), name);
  if (Array.isArray(value)) return value.map((v) => maskNumbersInJson(v, name, maybeNames));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskNumbersInJson(v, name, maybeNames)]));
  return value;
}

/**
 * A report body as report.received carries it to every other service, and what masking changed as written
 * (undefined when nothing), for intake's personal data. The personal numbers and email addresses, and the
 * reporter's own name (maskNameInText, 周建国 → 周**, anonymous or not), are masked in its free text (title,
 * description, the location's address) and in the location's gridCode and communityCode (a sender may map a
 * contact field into a code: audit14 #1); in each attachment's URL as maskUrl masks it and in its
 * mediaType's parameters (`image/jpeg;owner=139…`); and in its externalId, which intake keeps whole as the
 * sender's idempotency key (no other service reads it). Kept as written: each text field and code masking
 * changed, and every attachment URL as sent when it changed any. The body is not changed.
 */
export function maskReportText(body: ReportBody): { body: ReportBody; written: WrittenText | undefined } {
  const name = body.reporter?.name;
  const written: WrittenText = {};
  const mask = <F extends 'title' | 'description' | 'address' | 'gridCode' | 'communityCode'>(field: F, value: string | undefined) => {
    if (value === undefined) return {};
    const masked = maskText(value, name);
    if (masked !== value) written[field] = value;
    return { [field]: masked } as Record<F, string>;
  };
  const { location } = body;
  const attachments = body.attachments?.map((a) => ({ url: maskUrl(a.url, name), mediaType: maskText(a.mediaType, name) }));
  if (attachments?.some((a, i) => a.url !== body.attachments?.[i]?.url)) written.attachments = body.attachments?.map((a) => a.url);
  const masked: ReportBody = {
    ...body,
    externalId: maskText(body.externalId, name),
    ...mask('title', body.title),
    description: maskText(body.description, name),
    location: { ...location, ...mask('address', location.address), ...mask('gridCode', location.gridCode), ...mask('communityCode', location.communityCode) },
    ...(attachments ? { attachments } : {}),
  };
  if (masked.description !== body.description) written.description = body.description;
  return { body: masked, written: Object.keys(written).length > 0 ? written : undefined };
}
